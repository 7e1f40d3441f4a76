import { PipeTransform } from '@nestjs/common';
import { FieldValidationException } from './http-exception.filter';

/** The largest URN PostgreSQL's integer column can hold. */
export const MAX_URN = 2_147_483_647;

/** A school's URN from the path: a whole number that fits the register, else a 400 naming it. */
export class UrnPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const urn = Number(value);
    if (!/^\d{1,10}$/.test(value) || urn < 1 || urn > MAX_URN) {
      throw new FieldValidationException([
        { field: 'urn', rule: 'isUrn', message: 'urn must be a whole number from 1 to 2147483647' },
      ]);
    }
    return urn;
  }
}

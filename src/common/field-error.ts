import { ValidationError } from '@nestjs/common';

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** Flattens class-validator errors (nested too) into one entry per field and broken rule. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

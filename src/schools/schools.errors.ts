import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum SchoolErrorCode {
  NotFound = 'school_not_found',
  RadiusWithoutPostcode = 'radius_without_postcode',
}

const STATUS: Record<SchoolErrorCode, HttpStatus> = {
  [SchoolErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [SchoolErrorCode.RadiusWithoutPostcode]: HttpStatus.BAD_REQUEST,
};

export class SchoolError extends DomainError<SchoolErrorCode> {
  get status() {
    return STATUS[this.code];
  }
}

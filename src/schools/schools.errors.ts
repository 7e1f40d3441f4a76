import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum SchoolErrorCode {
  NotFound = 'school_not_found',
  InvalidPostcode = 'invalid_postcode',
  UnknownOutcode = 'unknown_outcode',
  RadiusWithoutPostcode = 'radius_without_postcode',
}

const STATUS: Record<SchoolErrorCode, HttpStatus> = {
  [SchoolErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [SchoolErrorCode.InvalidPostcode]: HttpStatus.BAD_REQUEST,
  [SchoolErrorCode.UnknownOutcode]: HttpStatus.BAD_REQUEST,
  [SchoolErrorCode.RadiusWithoutPostcode]: HttpStatus.BAD_REQUEST,
};

export class SchoolError extends DomainError<SchoolErrorCode> {
  get status() {
    return STATUS[this.code];
  }
}

import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum SchoolErrorCode {
  NotFound = 'school_not_found',
  RadiusWithoutPostcode = 'radius_without_postcode',
}

export class SchoolError extends domainErrors<SchoolErrorCode>({
  [SchoolErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [SchoolErrorCode.RadiusWithoutPostcode]: HttpStatus.BAD_REQUEST,
}) {}

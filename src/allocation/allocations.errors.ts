import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum AllocationErrorCode {
  NotFound = 'allocation_not_found',
  InvalidScope = 'invalid_scope',
  InvalidTerm = 'invalid_term',
  InvalidWeights = 'invalid_weights',
  NotSucceeded = 'allocation_not_succeeded',
  JobsOff = 'background_jobs_off',
}

export class AllocationError extends domainErrors<AllocationErrorCode>({
  [AllocationErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [AllocationErrorCode.InvalidScope]: HttpStatus.BAD_REQUEST,
  [AllocationErrorCode.InvalidTerm]: HttpStatus.BAD_REQUEST,
  [AllocationErrorCode.InvalidWeights]: HttpStatus.BAD_REQUEST,
  [AllocationErrorCode.NotSucceeded]: HttpStatus.UNPROCESSABLE_ENTITY,
  [AllocationErrorCode.JobsOff]: HttpStatus.UNPROCESSABLE_ENTITY,
}) {}

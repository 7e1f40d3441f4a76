import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum MembershipErrorCode {
  NotFound = 'membership_not_found',
  AlreadyAsked = 'membership_exists',
  SchoolClosed = 'school_closed',
  StatusUnchanged = 'status_unchanged',
  NotAMember = 'not_a_member',
}

export class MembershipError extends domainErrors<MembershipErrorCode>({
  [MembershipErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [MembershipErrorCode.AlreadyAsked]: HttpStatus.CONFLICT,
  [MembershipErrorCode.SchoolClosed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [MembershipErrorCode.StatusUnchanged]: HttpStatus.UNPROCESSABLE_ENTITY,
  [MembershipErrorCode.NotAMember]: HttpStatus.NOT_FOUND,
}) {}

import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum VisitErrorCode {
  NotFound = 'visit_not_found',
  NotConfirmed = 'visit_not_confirmed',
  NotYetHappened = 'visit_not_yet_happened',
  AlreadyStarted = 'visit_already_started',
  FeedbackGiven = 'feedback_already_given',
  NotCompleted = 'visit_not_completed',
}

export class VisitError extends domainErrors<VisitErrorCode>({
  [VisitErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [VisitErrorCode.NotConfirmed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [VisitErrorCode.NotYetHappened]: HttpStatus.UNPROCESSABLE_ENTITY,
  [VisitErrorCode.AlreadyStarted]: HttpStatus.UNPROCESSABLE_ENTITY,
  [VisitErrorCode.FeedbackGiven]: HttpStatus.CONFLICT,
  [VisitErrorCode.NotCompleted]: HttpStatus.UNPROCESSABLE_ENTITY,
}) {}

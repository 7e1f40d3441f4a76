import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum VisitErrorCode {
  NotFound = 'visit_not_found',
  NotConfirmed = 'visit_not_confirmed',
  NotYetHappened = 'visit_not_yet_happened',
  AlreadyStarted = 'visit_already_started',
  FeedbackGiven = 'feedback_already_given',
  NotCompleted = 'visit_not_completed',
}

const STATUS: Record<VisitErrorCode, HttpStatus> = {
  [VisitErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [VisitErrorCode.NotConfirmed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [VisitErrorCode.NotYetHappened]: HttpStatus.UNPROCESSABLE_ENTITY,
  [VisitErrorCode.AlreadyStarted]: HttpStatus.UNPROCESSABLE_ENTITY,
  [VisitErrorCode.FeedbackGiven]: HttpStatus.CONFLICT,
  [VisitErrorCode.NotCompleted]: HttpStatus.UNPROCESSABLE_ENTITY,
};

export class VisitError extends DomainError<VisitErrorCode> {
  get status() {
    return STATUS[this.code];
  }
}

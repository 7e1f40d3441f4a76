import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum InvitationErrorCode {
  NotFound = 'invitation_not_found',
  NotACandidate = 'not_a_candidate',
  SlotNotInRequest = 'slot_not_in_request',
  AlreadyAsked = 'already_asked',
  TermInvitationCap = 'term_invitation_cap',
  NotPending = 'invitation_not_pending',
  RequestFull = 'request_full',
  RequestNotOpen = 'request_not_open',
  TermLimit = 'term_limit',
  Overlap = 'visit_overlap',
  NotYours = 'not_yours_to_answer',
  SameSlotRequired = 'same_slot_required',
}

export class InvitationError extends domainErrors<InvitationErrorCode>({
  [InvitationErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [InvitationErrorCode.NotACandidate]: HttpStatus.UNPROCESSABLE_ENTITY,
  [InvitationErrorCode.SlotNotInRequest]: HttpStatus.BAD_REQUEST,
  [InvitationErrorCode.AlreadyAsked]: HttpStatus.CONFLICT,
  [InvitationErrorCode.TermInvitationCap]: HttpStatus.CONFLICT,
  [InvitationErrorCode.NotPending]: HttpStatus.CONFLICT,
  [InvitationErrorCode.RequestFull]: HttpStatus.CONFLICT,
  [InvitationErrorCode.RequestNotOpen]: HttpStatus.CONFLICT,
  [InvitationErrorCode.TermLimit]: HttpStatus.CONFLICT,
  [InvitationErrorCode.Overlap]: HttpStatus.CONFLICT,
  [InvitationErrorCode.NotYours]: HttpStatus.FORBIDDEN,
  [InvitationErrorCode.SameSlotRequired]: HttpStatus.CONFLICT,
}) {}

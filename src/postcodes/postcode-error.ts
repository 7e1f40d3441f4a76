import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export enum PostcodeErrorCode {
  InvalidPostcode = 'invalid_postcode',
  UnknownOutcode = 'unknown_outcode',
}

export class PostcodeError extends DomainError<PostcodeErrorCode> {
  get status() {
    return HttpStatus.BAD_REQUEST;
  }
}

import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum AuthErrorCode {
  EmailTaken = 'email_taken',
  InvalidCredentials = 'invalid_credentials',
  TooManyAttempts = 'too_many_attempts',
  InvalidRefreshToken = 'invalid_refresh_token',
  RefreshTokenReused = 'refresh_token_reused',
  InvalidSetupLink = 'invalid_setup_link',
}

export class AuthError extends domainErrors<AuthErrorCode>({
  [AuthErrorCode.EmailTaken]: HttpStatus.CONFLICT,
  [AuthErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.TooManyAttempts]: HttpStatus.TOO_MANY_REQUESTS,
  [AuthErrorCode.InvalidRefreshToken]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.RefreshTokenReused]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.InvalidSetupLink]: HttpStatus.BAD_REQUEST,
}) {}

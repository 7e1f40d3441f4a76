import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum VolunteerErrorCode {
  ProfileMissing = 'profile_missing',
  ProfileExists = 'profile_exists',
  NotFound = 'volunteer_not_found',
  StatusUnchanged = 'status_unchanged',
  RegistrationBodyMismatch = 'registration_body_mismatch',
  RegistrationNumberFormat = 'registration_number_format',
  OnlyForMedicalStudents = 'only_for_medical_students',
  DateRangeOrder = 'date_range_order',
  DateInFuture = 'date_in_future',
  RepeatedCheck = 'repeated_check',
}

export class VolunteerError extends domainErrors<VolunteerErrorCode>({
  [VolunteerErrorCode.ProfileMissing]: HttpStatus.NOT_FOUND,
  [VolunteerErrorCode.ProfileExists]: HttpStatus.CONFLICT,
  [VolunteerErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [VolunteerErrorCode.StatusUnchanged]: HttpStatus.UNPROCESSABLE_ENTITY,
  [VolunteerErrorCode.RegistrationBodyMismatch]: HttpStatus.BAD_REQUEST,
  [VolunteerErrorCode.RegistrationNumberFormat]: HttpStatus.BAD_REQUEST,
  [VolunteerErrorCode.OnlyForMedicalStudents]: HttpStatus.BAD_REQUEST,
  [VolunteerErrorCode.DateRangeOrder]: HttpStatus.BAD_REQUEST,
  [VolunteerErrorCode.DateInFuture]: HttpStatus.BAD_REQUEST,
  [VolunteerErrorCode.RepeatedCheck]: HttpStatus.BAD_REQUEST,
}) {}

import type { LocatedPostcode } from '../postcodes/outcode-directory';
import { CheckDto, CreateVolunteerDto, UpdateVolunteerDto } from './dto/volunteer-profile.dto';
import { Volunteer } from './volunteer.entity';
import { Profession } from './volunteer.enums';
import { checkRegistration, halfDayCode, normaliseRegistrationNumber } from './volunteer.rules';
import { VolunteerError, VolunteerErrorCode } from './volunteers.errors';

const orNull = <T>(value: T | null | undefined): T | null =>
  value === undefined || value === '' ? null : value;

/**
 * Applies a sign-up or an edit to a profile, checking the rules that span fields. Fields the
 * request leaves out stay as they are; `null` clears an optional field.
 */
export function applyProfileChanges(
  volunteer: Volunteer,
  dto: CreateVolunteerDto | UpdateVolunteerDto,
  location: LocatedPostcode | undefined,
  today: string,
): void {
  const previousProfession = volunteer.profession;
  if (dto.displayName !== undefined) volunteer.displayName = dto.displayName;
  if (dto.profession !== undefined) volunteer.profession = dto.profession;
  if (location) {
    volunteer.postcode = location.postcode;
    volunteer.outcode = location.outcode;
    volunteer.region = location.region;
    volunteer.laGssCode = location.laGssCode;
    volunteer.latitude = location.latitude;
    volunteer.longitude = location.longitude;
  }
  if (dto.specialty !== undefined) volunteer.specialty = orNull(dto.specialty);
  if (dto.organisation !== undefined) volunteer.organisation = orNull(dto.organisation);
  if (dto.bio !== undefined) volunteer.bio = orNull(dto.bio);
  if (dto.travelRadiusKm !== undefined) volunteer.travelRadiusKm = dto.travelRadiusKm;
  if (dto.activities !== undefined) volunteer.activities = dto.activities;
  if (dto.formats !== undefined) volunteer.formats = dto.formats;
  if (dto.yearGroups !== undefined) volunteer.yearGroups = [...dto.yearGroups].sort();
  if (dto.languages !== undefined) volunteer.languages = dto.languages;
  if (dto.maxVisitsPerTerm !== undefined) volunteer.maxVisitsPerTerm = dto.maxVisitsPerTerm;
  if (dto.availability?.weekly !== undefined) {
    volunteer.weeklyHalfDays = [...new Set(dto.availability.weekly.map(halfDayCode))].sort(
      (a, b) => a - b,
    );
  }

  applyStudyDetails(volunteer, dto, previousProfession);
  applyRegistration(volunteer, dto);
  checkDates(dto, today);
}

function applyStudyDetails(
  volunteer: Volunteer,
  dto: CreateVolunteerDto | UpdateVolunteerDto,
  previousProfession: Profession | undefined,
) {
  const isStudent = volunteer.profession === Profession.MedicalStudent;
  if (!isStudent) {
    for (const field of ['medicalSchool', 'studyYear'] as const) {
      if (dto[field] !== undefined && dto[field] !== null) {
        throw new VolunteerError(
          VolunteerErrorCode.OnlyForMedicalStudents,
          `${field} is only for medical students`,
          field,
        );
      }
    }
    if (previousProfession === Profession.MedicalStudent) {
      volunteer.medicalSchool = null;
      volunteer.studyYear = null;
    }
    return;
  }
  if (dto.medicalSchool !== undefined) volunteer.medicalSchool = orNull(dto.medicalSchool);
  if (dto.studyYear !== undefined) volunteer.studyYear = orNull(dto.studyYear);
}

function applyRegistration(volunteer: Volunteer, dto: CreateVolunteerDto | UpdateVolunteerDto) {
  if (dto.registration === null) {
    volunteer.registrationBody = null;
    volunteer.registrationNumber = null;
  } else if (dto.registration !== undefined) {
    volunteer.registrationBody = dto.registration.body;
    volunteer.registrationNumber = normaliseRegistrationNumber(dto.registration.number);
  }
  // A change of profession must still fit the registration on record.
  if (volunteer.registrationBody && volunteer.registrationNumber) {
    const violation = checkRegistration(
      volunteer.profession,
      volunteer.registrationBody,
      volunteer.registrationNumber,
    );
    if (violation) throw new VolunteerError(violation.rule, violation.message, violation.field);
  }
}

function checkDates(dto: CreateVolunteerDto | UpdateVolunteerDto, today: string) {
  dto.availability?.unavailable?.forEach((range, i) => {
    if (range.to < range.from) {
      throw new VolunteerError(
        VolunteerErrorCode.DateRangeOrder,
        'to must be on or after from',
        `availability.unavailable.${i}.to`,
      );
    }
  });
  const seen = new Set<string>();
  dto.checks?.forEach((check: CheckDto, i) => {
    if (check.date > today) {
      throw new VolunteerError(
        VolunteerErrorCode.DateInFuture,
        'the date of a check cannot be in the future',
        `checks.${i}.date`,
      );
    }
    if (seen.has(check.type)) {
      throw new VolunteerError(
        VolunteerErrorCode.RepeatedCheck,
        `${check.type} is listed twice`,
        `checks.${i}.type`,
      );
    }
    seen.add(check.type);
  });
}

import {
  DAY_PARTS,
  DayPart,
  Profession,
  RegistrationBody,
  VolunteerDisplayStatus,
  VolunteerStatus,
  WEEKDAYS,
  Weekday,
} from './volunteer.enums';
import { VolunteerErrorCode } from './volunteers.errors';

export interface WeeklySlot {
  day: Weekday;
  part: DayPart;
}

/** A half-day of the week as a small integer: Monday morning 0 … Friday afternoon 9. */
export function halfDayCode({ day, part }: WeeklySlot): number {
  return WEEKDAYS.indexOf(day) * 2 + DAY_PARTS.indexOf(part);
}

export function weeklySlotOf(code: number): WeeklySlot {
  return { day: WEEKDAYS[Math.floor(code / 2)], part: DAY_PARTS[code % 2] };
}

/** The registers that can hold each profession's registration. */
const REGISTERS: Record<Profession, RegistrationBody[]> = {
  [Profession.Doctor]: [RegistrationBody.Gmc],
  [Profession.MedicalStudent]: [],
  [Profession.Nurse]: [RegistrationBody.Nmc],
  [Profession.Midwife]: [RegistrationBody.Nmc],
  [Profession.Paramedic]: [RegistrationBody.Hcpc],
  [Profession.Pharmacist]: [RegistrationBody.Gphc],
  [Profession.AlliedHealthProfessional]: [RegistrationBody.Hcpc, RegistrationBody.Other],
  [Profession.Dentist]: [RegistrationBody.Gdc],
  [Profession.HealthcareScientist]: [RegistrationBody.Hcpc, RegistrationBody.Other],
  [Profession.Other]: Object.values(RegistrationBody),
};

const NUMBER_FORMATS: Record<RegistrationBody, { pattern: RegExp; example: string }> = {
  [RegistrationBody.Gmc]: { pattern: /^\d{7}$/, example: 'a GMC number is 7 digits' },
  [RegistrationBody.Nmc]: {
    pattern: /^\d{2}[A-Z]\d{4}[A-Z]$/,
    example: 'an NMC PIN looks like 12A3456E',
  },
  [RegistrationBody.Hcpc]: {
    pattern: /^[A-Z]{2}\d{5,6}$/,
    example: 'an HCPC number is two letters and 5 or 6 digits, like PA123456',
  },
  [RegistrationBody.Gdc]: { pattern: /^\d{1,6}$/, example: 'a GDC number is up to 6 digits' },
  [RegistrationBody.Gphc]: { pattern: /^\d{7}$/, example: 'a GPhC number is 7 digits' },
  [RegistrationBody.Other]: { pattern: /^[A-Z0-9 /-]{2,40}$/, example: '2–40 letters and digits' },
};

export interface RuleViolation {
  field: string;
  rule: VolunteerErrorCode;
  message: string;
}

export function normaliseRegistrationNumber(number: string): string {
  return number.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** Whether a professional registration fits the profession and looks like a real number. */
export function checkRegistration(
  profession: Profession,
  body: RegistrationBody,
  number: string,
): RuleViolation | undefined {
  const allowed = REGISTERS[profession];
  if (!allowed.includes(body)) {
    return {
      field: 'registration.body',
      rule: VolunteerErrorCode.RegistrationBodyMismatch,
      message:
        allowed.length === 0
          ? `a ${label(profession)} gives a medical school and year instead of a registration`
          : `a ${label(profession)} is registered with ${allowed.map((b) => b.toUpperCase()).join(' or ')}`,
    };
  }
  const format = NUMBER_FORMATS[body];
  if (!format.pattern.test(normaliseRegistrationNumber(number))) {
    return {
      field: 'registration.number',
      rule: VolunteerErrorCode.RegistrationNumberFormat,
      message: format.example,
    };
  }
  return undefined;
}

export function label(profession: Profession): string {
  return profession.replace(/_/g, ' ');
}

/** Reads a profession as people write it in a spreadsheet: "Medical student", "GP" is not one. */
export function parseProfession(text: string): Profession | undefined {
  const code = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (Object.values(Profession) as string[]).includes(code) ? (code as Profession) : undefined;
}

/** The name a school sees: the first word of the display name. */
export function firstNameOf(displayName: string): string {
  return displayName.trim().split(/\s+/)[0];
}

export function displayStatus(
  status: VolunteerStatus,
  pausedAt: Date | null,
): VolunteerDisplayStatus {
  return status === VolunteerStatus.Approved && pausedAt ? 'paused' : status;
}

/** Coordinators' decisions: which status changes are allowed. */
export function canMoveTo(from: VolunteerStatus, to: VolunteerStatus): boolean {
  return from !== to && to !== VolunteerStatus.Pending;
}

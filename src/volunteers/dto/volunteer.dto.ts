import {
  CheckType,
  Profession,
  RegistrationBody,
  type VolunteerDisplayStatus,
} from '../volunteer.enums';
import { DateRangeDto, WeeklySlotDto } from './volunteer-profile.dto';

export class AvailabilityViewDto {
  weekly: WeeklySlotDto[];
  unavailable: DateRangeDto[];
}

export class RegistrationViewDto {
  body: RegistrationBody;
  number: string;
}

export class CheckViewDto {
  type: CheckType;
  date: string;
  consent: boolean;
  recordedAt: Date;
}

/** The whole profile: for the volunteer themselves and for coordinators only. */
export class VolunteerDto {
  id: string;
  /** Null once the account has gone. */
  email: string | null;
  displayName: string;
  /** What schools will see instead of the full name. */
  firstName: string;
  profession: Profession;
  specialty: string | null;
  medicalSchool: string | null;
  studyYear: number | null;
  organisation: string | null;
  postcode: string | null;
  outcode: string | null;
  region: string | null;
  travelRadiusKm: number;
  activities: string[];
  formats: string[];
  yearGroups: number[];
  languages: string[];
  bio: string | null;
  availability: AvailabilityViewDto;
  maxVisitsPerTerm: number;
  /** pending, approved, rejected, or paused (approved, taking a break). */
  status: VolunteerDisplayStatus;
  paused: boolean;
  /** The coordinator's reason for the last decision. */
  statusReason: string | null;
  reviewedAt: Date | null;
  registration: RegistrationViewDto | null;
  checks: CheckViewDto[];
  createdAt: Date;
  updatedAt: Date;
}

export class VolunteerPageDto {
  items: VolunteerDto[];
  total: number;
  page: number;
  pageSize: number;
}

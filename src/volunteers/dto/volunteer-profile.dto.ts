import { PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  Activity,
  CheckType,
  DAY_PARTS,
  type DayPart,
  Profession,
  RegistrationBody,
  VisitFormat,
  WEEKDAYS,
  type Weekday,
} from '../volunteer.enums';
import { IsIsoDate } from '../../common/iso-date';
import { trim } from '../../common/query';

/** The shape of a UK postcode or postcode district; whether the district exists is checked after. */
export const POSTCODE_SHAPE = /^\s*[A-Za-z]{1,2}[0-9][0-9A-Za-z]?(\s*[0-9][A-Za-z]{2})?\s*$/;

export class WeeklySlotDto {
  @IsIn(WEEKDAYS, { message: 'day must be one of mon, tue, wed, thu, fri' })
  day: Weekday;

  @IsIn(DAY_PARTS, { message: 'part must be am or pm' })
  part: DayPart;
}

export class DateRangeDto {
  /** First day unavailable (YYYY-MM-DD). */
  @IsIsoDate()
  from: string;

  /** Last day unavailable (YYYY-MM-DD), on or after `from`. */
  @IsIsoDate()
  to: string;
}

export class AvailabilityDto {
  /** Half-days of the school week the volunteer can usually do. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => WeeklySlotDto)
  weekly?: WeeklySlotDto[];

  /** Dates when the volunteer cannot visit: exams, rotas, leave. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DateRangeDto)
  unavailable?: DateRangeDto[];
}

export class RegistrationDto {
  /** gmc (doctors), nmc (nurses, midwives), hcpc, gdc, gphc or other. */
  @IsEnum(RegistrationBody)
  body: RegistrationBody;

  @Transform(trim)
  @IsString()
  @Length(1, 40)
  number: string;
}

export class CheckDto {
  @IsEnum(CheckType)
  type: CheckType;

  /** When the training was done or the certificate issued (YYYY-MM-DD); no copy is kept. */
  @IsIsoDate()
  date: string;

  /** The volunteer agrees that coordinators may rely on (and, for DBS, check) this. */
  @IsBoolean()
  consent: boolean;
}

/** A volunteer's profile: display name, profession and postcode are all that sign-up needs. */
export class CreateVolunteerDto {
  @Transform(trim)
  @IsString()
  @Length(1, 80)
  displayName: string;

  @IsEnum(Profession)
  profession: Profession;

  /** Full postcode or district; located at the district's centroid, never shown to schools. */
  @Transform(trim)
  @IsString()
  @Matches(POSTCODE_SHAPE, {
    message: 'postcode must be a UK postcode such as M13 9PL, or a district such as M13',
  })
  postcode: string;

  /** e.g. Paediatrics, General practice. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  specialty?: string;

  /** Medical students only. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 120)
  medicalSchool?: string;

  /** Medical students only: year of study. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8)
  studyYear?: number;

  /** NHS trust, practice or university. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  organisation?: string;

  /** How far the volunteer will travel, in km (default 15). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(80)
  travelRadiusKm?: number;

  /** Default: careers_talk. */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(Activity, { each: true })
  activities?: Activity[];

  /** Default: in_person. */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(VisitFormat, { each: true })
  formats?: VisitFormat[];

  /** Year groups 1–6 the volunteer is happy with (default 3–6, ages 7–11). */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(6, { each: true })
  yearGroups?: number[];

  /** Languages other than English the volunteer can speak with children. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(2, 40, { each: true })
  languages?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  bio?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AvailabilityDto)
  availability?: AvailabilityDto;

  /** Visits per school term (default 3). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxVisitsPerTerm?: number;

  /** Professional registration; null removes it. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RegistrationDto)
  registration?: RegistrationDto | null;

  /** Checks held; the list replaces the previous one. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => CheckDto)
  checks?: CheckDto[];
}

export class UpdateVolunteerDto extends PartialType(CreateVolunteerDto) {}

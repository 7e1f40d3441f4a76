import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto, trim } from '../../common/query';
import { Activity, VisitFormat } from '../../volunteers/volunteer.enums';
import { RequestStatus } from '../visit-request.entity';

export class SlotDto {
  /** ISO 8601 date and time with its offset, e.g. 2027-02-03T10:00:00Z. */
  @Type(() => Date)
  @IsDate({ message: 'startsAt must be a date and time, e.g. 2027-02-03T10:00:00Z' })
  startsAt: Date;

  @IsInt()
  @Min(15)
  @Max(240)
  durationMinutes: number;
}

export class CreateRequestDto {
  @IsEnum(Activity)
  activity: Activity;

  @IsEnum(VisitFormat)
  format: VisitFormat;

  /** One to five proposed times, on school days, in the future. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => SlotDto)
  slots: SlotDto[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(6, { each: true })
  yearGroups: number[];

  /** Expected number of pupils. */
  @IsInt()
  @Min(1)
  @Max(1000)
  pupils: number;

  @IsInt()
  @Min(1)
  @Max(10)
  volunteersWanted: number;

  /** The member of staff who stays with the volunteer throughout the visit. */
  @Transform(trim)
  @IsString()
  @Length(2, 80)
  supervisor: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;

  /** When an invitation expires unanswered, invite the next-ranked candidate automatically. */
  @IsOptional()
  @IsBoolean()
  autoInvite?: boolean;

  /** All the volunteers must come at the same time (one of the slots), e.g. for an assembly. */
  @IsOptional()
  @IsBoolean()
  sameSlot?: boolean;
}

export class RequestQueryDto extends PageQueryDto {
  @IsOptional()
  @IsEnum(RequestStatus)
  status?: RequestStatus;
}

export class SlotViewDto {
  id: string;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
}

export class RequestDto {
  id: string;
  schoolUrn: number;
  schoolName: string;
  activity: Activity;
  format: VisitFormat;
  slots: SlotViewDto[];
  yearGroups: number[];
  pupils: number;
  volunteersWanted: number;
  /** Visits confirmed so far. */
  volunteersConfirmed: number;
  /** Shown to the school and coordinators; to a volunteer once their visit is confirmed. */
  supervisor?: string;
  notes: string | null;
  autoInvite: boolean;
  sameSlot: boolean;
  status: RequestStatus;
  createdAt: Date;
}

import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { PageQueryDto } from '../../common/query';
import { MAX_URN } from '../../common/urn.pipe';
import { Activity } from '../../volunteers/volunteer.enums';

export const OUTREACH_ACTIVITIES = [...Object.values(Activity), 'other'] as const;

export class RecordOutreachDto {
  @IsInt()
  @Min(1)
  @Max(MAX_URN)
  urn: number;

  /** The day it happened (YYYY-MM-DD), not in the future. */
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'date must be a date written YYYY-MM-DD' })
  date: string;

  @IsInt()
  @Min(0)
  @Max(5000)
  pupilsReached: number;

  @IsIn(OUTREACH_ACTIVITIES)
  activity: (typeof OUTREACH_ACTIVITIES)[number];
}

export class OutreachQueryDto extends PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_URN)
  urn?: number;
}

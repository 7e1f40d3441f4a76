import { IsEnum, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/query';
import { Profession, VolunteerStatus } from '../volunteer.enums';

export const LISTABLE_STATUSES = [...Object.values(VolunteerStatus), 'paused'] as const;

export class VolunteerQueryDto extends PageQueryDto {
  /** pending (the review queue), approved (active), paused or rejected. */
  @IsOptional()
  @IsIn(LISTABLE_STATUSES)
  status?: (typeof LISTABLE_STATUSES)[number];

  @IsOptional()
  @IsEnum(Profession)
  profession?: Profession;

  /** English region of the volunteer's postcode district, e.g. "North West". */
  @IsOptional()
  @IsString()
  @Length(2, 60)
  region?: string;

  /** Part of the name, e-mail or organisation. */
  @IsOptional()
  @IsString()
  @Length(2, 100)
  q?: string;
}

import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { trim } from '../../common/query';

export class ApproveVolunteerDto {
  /** An optional note for the record. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class RejectVolunteerDto {
  /** Why: the volunteer is told. */
  @Transform(trim)
  @IsString()
  @Length(3, 500)
  reason: string;
}

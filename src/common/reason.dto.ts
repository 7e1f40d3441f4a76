import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { trim } from './query';

/** A decision with an optional note for the record. */
export class OptionalReasonDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 500)
  reason?: string;
}

/** A refusal or cancellation: the other party is told why. */
export class RequiredReasonDto {
  @Transform(trim)
  @IsString()
  @Length(3, 500)
  reason: string;
}

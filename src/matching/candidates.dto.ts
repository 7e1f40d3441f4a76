import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Profession } from '../volunteers/volunteer.enums';

export class CandidatesQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

export class ScoreBreakdownDto {
  distance: number;
  fit: number;
  reliability: number;
  newVolunteer: number;
}

/** What a school sees of a candidate: never contact details, full name or postcode. */
export class CandidateDto {
  volunteerId: string;
  firstName: string;
  profession: Profession;
  specialty: string | null;
  studyYear: number | null;
  organisation: string | null;
  distanceKm: number;
  score: number;
  breakdown: ScoreBreakdownDto;
  /** The proposed times the volunteer is free for. */
  freeSlotIds: string[];
}

export class UnmatchedReasonDto {
  code: string;
  message: string;
  volunteers: number;
}

export class CandidatesDto {
  requestId: string;
  items: CandidateDto[];
  /** Why there is nobody, when there is nobody. */
  reasons: UnmatchedReasonDto[];
}

import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { trim } from '../../common/query';

export class CompleteVisitDto {
  @IsInt()
  @Min(0)
  @Max(1000)
  pupilsReached: number;
}

export class FeedbackDto {
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

/** A visit as its two parties and coordinators see it: with both sides' contact details. */
export class VisitDto {
  id: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  requestId: string | null;
  activity: string | null;
  format: string | null;
  pupilsReached: number | null;
  cancelReason: string | null;
  cancelledBy: string | null;
  school: {
    urn: number;
    name: string;
    postcode: string | null;
    town: string | null;
    supervisor: string | null;
    contacts: string[];
  };
  volunteer: {
    id: string;
    displayName: string;
    profession: string;
    organisation: string | null;
    email: string | null;
  };
  feedback: { side: string; rating: number; comment: string | null; createdAt: Date }[];
}

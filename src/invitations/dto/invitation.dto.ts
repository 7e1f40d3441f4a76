import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { InvitationKind, InvitationStatus } from '../invitation.entity';

export class CreateInvitationDto {
  @IsUUID('4')
  volunteerId: string;

  @IsUUID('4')
  slotId: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  message?: string;
}

export class CreateOfferDto {
  @IsUUID('4')
  slotId: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  message?: string;
}

export class DeclineDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class InvitationDto {
  id: string;
  kind: InvitationKind;
  status: InvitationStatus;
  requestId: string;
  schoolUrn: number;
  schoolName: string;
  activity: string;
  format: string;
  slotId: string;
  startsAt: Date;
  endsAt: Date;
  message: string | null;
  /** An invitation not answered by then expires. */
  expiresAt: Date | null;
  /** What the school sees of the volunteer. */
  volunteer: {
    volunteerId: string;
    firstName: string;
    profession: string;
    organisation: string | null;
  };
  createdAt: Date;
}

export class AcceptedDto {
  invitation: InvitationDto;
  visit: { id: string; status: string; startsAt: Date; endsAt: Date };
}

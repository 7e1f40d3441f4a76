import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto, trim } from '../../common/query';
import { MembershipStatus } from '../school-membership.entity';

export class RequestMembershipDto {
  /** e.g. Head teacher, Deputy head, Careers lead. */
  @Transform(trim)
  @IsString()
  @Length(2, 80)
  jobTitle: string;
}

export class MembershipQueryDto extends PageQueryDto {
  @IsOptional()
  @IsEnum(MembershipStatus)
  status?: MembershipStatus;
}

export class MembershipDto {
  id: string;
  schoolUrn: number;
  schoolName: string;
  email: string;
  jobTitle: string;
  status: MembershipStatus;
  statusReason: string | null;
  createdAt: Date;
  reviewedAt: Date | null;
}

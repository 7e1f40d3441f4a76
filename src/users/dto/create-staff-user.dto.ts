import { IsIn, IsOptional } from 'class-validator';
import { NewAccountDto } from '../../auth/dto/credentials.dto';
import { Role } from '../user.entity';

export const STAFF_ROLES = [Role.Coordinator, Role.Admin] as const;

export class CreateStaffUserDto extends NewAccountDto {
  /** `coordinator` (default) or `admin`. */
  @IsOptional()
  @IsIn(STAFF_ROLES, { message: 'role must be coordinator or admin' })
  role: (typeof STAFF_ROLES)[number] = Role.Coordinator;
}

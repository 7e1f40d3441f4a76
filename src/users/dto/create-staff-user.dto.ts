import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MIN_LENGTH } from '../../auth/dto/credentials.dto';
import { Role } from '../user.entity';

export const STAFF_ROLES = [Role.Coordinator, Role.Admin] as const;

export class CreateStaffUserDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, {
    message: `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  })
  @MaxLength(256)
  password: string;

  /** `coordinator` (default) or `admin`. */
  @IsOptional()
  @IsIn(STAFF_ROLES, { message: 'role must be coordinator or admin' })
  role: (typeof STAFF_ROLES)[number] = Role.Coordinator;
}

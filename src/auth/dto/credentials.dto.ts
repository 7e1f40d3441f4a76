import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../users/user.entity';
import { trim } from '../../common/query';

export const PASSWORD_MIN_LENGTH = 10;

export class LoginDto {
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @IsString()
  @MaxLength(256)
  password: string;
}

/** Self-service accounts: volunteers and school staff. Coordinators are made by an admin. */
export const SELF_REGISTERED_ROLES = [Role.Volunteer, Role.SchoolStaff] as const;

/** E-mail and password of an account being created, by its owner or by an admin. */
export class NewAccountDto {
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, {
    message: `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  })
  @MaxLength(256)
  password: string;
}

export class RegisterDto extends NewAccountDto {
  /** `volunteer` or `school_staff`. */
  @IsIn(SELF_REGISTERED_ROLES, { message: 'role must be volunteer or school_staff' })
  role: (typeof SELF_REGISTERED_ROLES)[number];
}

export class RefreshDto {
  @IsString()
  @MinLength(20)
  @MaxLength(2048)
  refreshToken: string;
}

export class CompleteSignupDto {
  /** The token from the one-time link. */
  @IsString()
  @Length(20, 200)
  token: string;

  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, {
    message: `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  })
  @MaxLength(256)
  password: string;
}

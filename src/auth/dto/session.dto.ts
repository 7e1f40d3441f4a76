import { UserDto } from '../../users/dto/user.dto';

export class TokenPairDto {
  /** Short-lived JWT: send it as `Authorization: Bearer …`. */
  accessToken: string;
  /** Exchange it once at POST /auth/refresh for a new pair. */
  refreshToken: string;
  tokenType: 'Bearer';
  /** Lifetime of the access token, in seconds. */
  expiresIn: number;
}

export class SessionDto extends TokenPairDto {
  user: UserDto;
}

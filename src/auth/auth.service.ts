import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UsersService } from '../users/users.service';
import { AuthError, AuthErrorCode } from './auth.errors';
import { LoginDto, RegisterDto } from './dto/credentials.dto';
import { LoginThrottleService } from './login-throttle.service';
import { verifyPassword } from './passwords';
import { TokensService } from './tokens.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottleService,
  ) {}

  /** The account and its first session are created together, or not at all. */
  register(dto: RegisterDto) {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.create(dto.email, dto.password, dto.role, manager);
      return { user: this.users.toView(user), ...(await this.tokens.issue(user, manager)) };
    });
  }

  async login(dto: LoginDto, ip: string | null) {
    await this.throttle.assertAllowed(dto.email, ip);
    const user = await this.users.findByEmail(dto.email);
    if (!(await verifyPassword(user?.passwordHash ?? undefined, dto.password)) || !user) {
      await this.throttle.recordFailure(dto.email, ip);
      throw new AuthError(
        AuthErrorCode.InvalidCredentials,
        'The e-mail address or password is not right',
      );
    }
    await this.throttle.clearAccount(dto.email);
    return { user: this.users.toView(user), ...(await this.tokens.issue(user)) };
  }

  refresh(refreshToken: string) {
    return this.tokens.rotate(refreshToken);
  }

  logout(refreshToken: string) {
    return this.tokens.revoke(refreshToken);
  }
}

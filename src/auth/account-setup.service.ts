import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { User } from '../users/user.entity';
import { AccountSetupToken } from './account-setup-token.entity';
import { AuthError, AuthErrorCode } from './auth.errors';
import { SessionDto } from './dto/session.dto';
import { hashPassword } from './passwords';
import { TokensService } from './tokens.service';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** One-time links with which an account created for someone else gets its password. */
@Injectable()
export class AccountSetupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates a link for the account; only the hash of its secret is stored. */
  async createLink(manager: EntityManager, userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await manager.insert(AccountSetupToken, {
      userId,
      tokenHash: hash(token),
      expiresAt: new Date(Date.now() + this.config.accountSetupTtlSeconds * 1000),
    });
    return `${this.config.publicUrl}/signup/complete?token=${token}`;
  }

  /** Sets the password and signs the person in; the link cannot be used again. */
  complete(token: string, password: string): Promise<SessionDto> {
    return this.dataSource.transaction(async (manager) => {
      const link = await manager.findOne(AccountSetupToken, {
        where: { tokenHash: hash(token) },
        lock: { mode: 'pessimistic_write' },
      });
      const user = link && (await manager.findOneBy(User, { id: link.userId }));
      if (!link || !user || link.usedAt || link.expiresAt <= new Date()) {
        throw new AuthError(
          AuthErrorCode.InvalidSetupLink,
          'This sign-up link has expired or was already used: ask your coordinator for a new one',
          'token',
        );
      }
      await manager.update(AccountSetupToken, link.id, { usedAt: new Date() });
      await manager.update(User, user.id, { passwordHash: await hashPassword(password) });
      const session = await this.tokens.issue(user, manager);
      return {
        user: { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt },
        ...session,
      };
    });
  }
}

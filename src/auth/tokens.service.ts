import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Role, User } from '../users/user.entity';
import { AuthError, AuthErrorCode } from './auth.errors';
import { TokenPairDto } from './dto/session.dto';
import { RefreshToken } from './refresh-token.entity';

export interface AccessTokenPayload {
  sub: string;
  role: Role;
}

interface RefreshTokenPayload {
  sub: string;
  fam: string;
  jti: string;
}

/**
 * Short-lived access tokens and rotating refresh tokens. Each refresh token can be used once;
 * using one a second time means it was copied, so the whole family is revoked.
 */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a new family (a new sign-in). */
  issue(
    user: Pick<User, 'id' | 'role'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TokenPairDto> {
    return this.issueInFamily(manager, user, randomUUID());
  }

  async rotate(refreshToken: string): Promise<TokenPairDto> {
    const payload = this.verify(refreshToken);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const token = await manager.findOne(RefreshToken, {
        where: { id: payload.jti },
        lock: { mode: 'pessimistic_write' },
      });
      const user = token && (await manager.findOneBy(User, { id: token.userId }));
      if (
        !token ||
        !user ||
        token.userId !== payload.sub ||
        token.revokedAt ||
        token.expiresAt <= new Date()
      ) {
        return 'invalid' as const;
      }
      if (token.usedAt) {
        await this.revokeFamily(manager, token.familyId);
        return 'reused' as const;
      }
      await manager.update(RefreshToken, { id: token.id }, { usedAt: new Date() });
      return this.issueInFamily(manager, user, token.familyId);
    });
    if (outcome === 'reused') {
      throw new AuthError(
        AuthErrorCode.RefreshTokenReused,
        'This refresh token was already used: every session that came from it has been signed out',
      );
    }
    if (outcome === 'invalid') throw this.invalid();
    return outcome;
  }

  /** Signs out the session (family) the refresh token belongs to. */
  async revoke(refreshToken: string): Promise<void> {
    const payload = this.verify(refreshToken);
    await this.dataSource.transaction((manager) => this.revokeFamily(manager, payload.fam));
  }

  private async issueInFamily(
    manager: EntityManager,
    user: Pick<User, 'id' | 'role'>,
    familyId: string,
  ): Promise<TokenPairDto> {
    const { accessSecret, refreshSecret, accessTtlSeconds, refreshTtlSeconds } = this.config.jwt;
    const id = randomUUID();
    await manager.insert(RefreshToken, {
      id,
      familyId,
      userId: user.id,
      expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
    });
    const access: AccessTokenPayload = { sub: user.id, role: user.role };
    const refresh: RefreshTokenPayload = { sub: user.id, fam: familyId, jti: id };
    return {
      accessToken: await this.jwt.signAsync(access, {
        secret: accessSecret,
        expiresIn: accessTtlSeconds,
      }),
      refreshToken: await this.jwt.signAsync(refresh, {
        secret: refreshSecret,
        expiresIn: refreshTtlSeconds,
      }),
      tokenType: 'Bearer',
      expiresIn: accessTtlSeconds,
    };
  }

  /** The payload of a valid access token, or null when it is missing, forged or expired. */
  verifyAccess(token: string | undefined): AccessTokenPayload | null {
    if (!token) return null;
    try {
      return this.jwt.verify<AccessTokenPayload>(token, {
        secret: this.config.jwt.accessSecret,
        algorithms: ['HS256'],
      });
    } catch {
      return null;
    }
  }

  /** The sign-in a refresh token belongs to (stable across rotations), or null if invalid. */
  familyOf(refreshToken: string | undefined): string | null {
    if (!refreshToken) return null;
    try {
      return this.verify(refreshToken).fam;
    } catch {
      return null;
    }
  }

  private revokeFamily(manager: EntityManager, familyId: string) {
    return manager.query(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
      [familyId],
    );
  }

  private verify(token: string): RefreshTokenPayload {
    try {
      const payload = this.jwt.verify<RefreshTokenPayload>(token, {
        secret: this.config.jwt.refreshSecret,
      });
      if (!payload.jti || !payload.fam || !payload.sub) throw this.invalid();
      return payload;
    } catch {
      throw this.invalid();
    }
  }

  private invalid() {
    return new AuthError(
      AuthErrorCode.InvalidRefreshToken,
      'The refresh token is invalid or has expired',
      'refreshToken',
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CookieOptions, Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { AuthUser } from '../auth/current-user.decorator';
import { LoginDto } from '../auth/dto/credentials.dto';
import { TokensService } from '../auth/tokens.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { UsersService } from '../users/users.service';

export const ACCESS_COOKIE = 'hf_access';
export const REFRESH_COOKIE = 'hf_refresh';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * Pages sign people in with the same tokens as the API, kept in HttpOnly cookies: the access
 * token for each request, the refresh token to get a new one when it expires.
 */
@Injectable()
export class WebSessionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
  ) {}

  /** The signed-in account, refreshing an expired access token; null when signed out. */
  async resolve(req: Request, res: Response): Promise<AuthUser | null> {
    const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
    const access = this.tokens.verifyAccess(cookies[ACCESS_COOKIE]);
    if (access) return this.account(access.sub);
    const refreshToken = cookies[REFRESH_COOKIE];
    if (!refreshToken) return null;
    try {
      const pair = await this.auth.refresh(refreshToken);
      this.setCookies(req, res, pair);
      const payload = this.tokens.verifyAccess(pair.accessToken);
      return payload ? this.account(payload.sub) : null;
    } catch {
      this.clearCookies(req, res);
      return null;
    }
  }

  async signIn(req: Request, res: Response, dto: LoginDto): Promise<AuthUser> {
    const session = await this.auth.login(dto, req.ip ?? null);
    this.setCookies(req, res, session);
    return { id: session.user.id, email: session.user.email, role: session.user.role };
  }

  /** Starts the session of an account that was just created. */
  start(req: Request, res: Response, pair: TokenPair): void {
    this.setCookies(req, res, pair);
  }

  async signOut(req: Request, res: Response): Promise<void> {
    const refreshToken = (req.cookies as Record<string, string | undefined>)?.[REFRESH_COOKIE];
    if (refreshToken) await this.auth.logout(refreshToken).catch(() => undefined);
    this.clearCookies(req, res);
  }

  /** Identifies the sign-in (not the account) so that form tokens change with each sign-in. */
  sessionId(req: Request): string {
    const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
    return this.tokens.familyOf(cookies[REFRESH_COOKIE]) ?? 'signed-out';
  }

  private async account(id: string): Promise<AuthUser | null> {
    const user = await this.users.findById(id);
    return user ? { id: user.id, email: user.email, role: user.role } : null;
  }

  private setCookies(req: Request, res: Response, pair: TokenPair) {
    const options = this.cookieOptions(req);
    res.cookie(ACCESS_COOKIE, pair.accessToken, {
      ...options,
      maxAge: this.config.jwt.accessTtlSeconds * 1000,
    });
    res.cookie(REFRESH_COOKIE, pair.refreshToken, {
      ...options,
      maxAge: this.config.jwt.refreshTtlSeconds * 1000,
    });
    // The request carries on with the new tokens (e.g. the form token of the page it renders).
    Object.assign(req.cookies as object, {
      [ACCESS_COOKIE]: pair.accessToken,
      [REFRESH_COOKIE]: pair.refreshToken,
    });
  }

  private clearCookies(req: Request, res: Response) {
    const options = this.cookieOptions(req);
    res.clearCookie(ACCESS_COOKIE, options);
    res.clearCookie(REFRESH_COOKIE, options);
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    if (cookies) {
      delete cookies[ACCESS_COOKIE];
      delete cookies[REFRESH_COOKIE];
    }
  }

  private cookieOptions(req: Request): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' };
  }
}

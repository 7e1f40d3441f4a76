import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AuthError, AuthErrorCode } from './auth.errors';

/**
 * Counts failed sign-ins per account and per client address in PostgreSQL, so that the limit
 * holds across every instance of the service.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Refuses the attempt (429) while either the account or the address is over its limit. */
  async assertAllowed(email: string, ip: string | null): Promise<void> {
    const { maxFailuresPerAccount, maxFailuresPerIp, failureWindowSeconds } = this.config.login;
    const [counts] = await this.dataSource.query<
      { account: number; address: number; oldest: Date | null }[]
    >(
      `SELECT count(*) FILTER (WHERE email = $1)::int AS account,
              count(*) FILTER (WHERE ip = $2::inet)::int AS address,
              min(failed_at) AS oldest
       FROM login_failures
       WHERE (email = $1 OR ip = $2::inet) AND failed_at > now() - make_interval(secs => $3)`,
      [email, ip, failureWindowSeconds],
    );
    if (counts.account >= maxFailuresPerAccount || counts.address >= maxFailuresPerIp) {
      const elapsed = counts.oldest ? (Date.now() - new Date(counts.oldest).getTime()) / 1000 : 0;
      throw new AuthError(
        AuthErrorCode.TooManyAttempts,
        'Too many failed sign-in attempts: wait a few minutes and try again',
        undefined,
        Math.max(1, Math.ceil(failureWindowSeconds - elapsed)),
      );
    }
  }

  async recordFailure(email: string, ip: string | null): Promise<void> {
    await this.dataSource.query(
      `WITH expired AS (
         DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $3)
       )
       INSERT INTO login_failures (email, ip) VALUES ($1, $2::inet)`,
      [email, ip, this.config.login.failureWindowSeconds],
    );
  }

  /** A successful sign-in clears the account's failures (not the address's). */
  async clearAccount(email: string): Promise<void> {
    await this.dataSource.query('DELETE FROM login_failures WHERE email = $1', [email]);
  }
}

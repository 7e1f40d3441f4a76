import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A failed sign-in, counted per account and per client address to throttle guessing. */
@Entity('login_failures')
@Index('ix_login_failures_email', ['email', 'failedAt'])
@Index('ix_login_failures_ip', ['ip', 'failedAt'])
export class LoginFailure {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'citext' })
  email: string;

  @Column({ type: 'inet', nullable: true })
  ip: string | null;

  @Column({ name: 'failed_at', type: 'timestamptz', default: () => 'now()' })
  failedAt: Date;
}

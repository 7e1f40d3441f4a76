import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Role, User } from '../users/user.entity';

export type AuditDetails = Record<string, string | number | boolean | null>;

/** Who did or read what, about whom. Holds identifiers, never the personal data itself. */
@Entity('audit_events')
@Index('ix_audit_events_subject', ['subjectType', 'subjectId', 'at'])
@Index('ix_audit_events_actor', ['actorId', 'at'])
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_audit_events',
  })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'fk_audit_events_actor' })
  actor?: User;

  @Column({ name: 'actor_role', type: 'enum', enum: Role, enumName: 'user_role', nullable: true })
  actorRole: Role | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details: AuditDetails;
}

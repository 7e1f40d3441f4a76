import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Invitation } from '../invitations/invitation.entity';
import { RequestSlot } from '../requests/request-slot.entity';
import { VisitRequest } from '../requests/visit-request.entity';
import { School } from '../schools/school.entity';
import { Volunteer } from '../volunteers/volunteer.entity';

export enum VisitStatus {
  Confirmed = 'confirmed',
  Completed = 'completed',
  Cancelled = 'cancelled',
  NoShow = 'no_show',
}

/** A volunteer's visit to a school. Kept for good: it is what coverage is counted from. */
@Entity('visits')
@Index('ix_visits_volunteer', ['volunteerId', 'startsAt'])
@Index('ix_visits_school', ['schoolUrn', 'startsAt'])
@Check('ck_visits_times', 'ends_at > starts_at')
@Check('ck_visits_pupils', 'pupils_reached >= 0')
@Index('ix_visits_request', ['requestId'])
@Index('ix_visits_reminder_due', { synchronize: false })
@Index('ix_visits_completed', { synchronize: false })
@Index('ix_visits_completed_school', { synchronize: false })
@Unique('uq_visits_invitation', ['invitationId'])
@Exclusion(
  'ex_visits_volunteer_overlap',
  `USING gist (volunteer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status IN ('confirmed', 'completed'))`,
)
@Exclusion(
  'ex_visits_volunteer_travel',
  `USING gist (volunteer_id WITH =, school_urn WITH <>, visit_travel_window(starts_at, ends_at) WITH &&) WHERE (status IN ('confirmed', 'completed'))`,
)
export class Visit {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_visits' })
  id: string;

  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId: string;

  @ManyToOne(() => Volunteer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'volunteer_id', foreignKeyConstraintName: 'fk_visits_volunteer' })
  volunteer?: Volunteer;

  @Column({ name: 'school_urn', type: 'integer' })
  schoolUrn: number;

  @ManyToOne(() => School, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'school_urn', foreignKeyConstraintName: 'fk_visits_school' })
  school?: School;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Column({
    type: 'enum',
    enum: VisitStatus,
    enumName: 'visit_status',
    default: VisitStatus.Confirmed,
  })
  status: VisitStatus;

  @Column({ name: 'pupils_reached', type: 'integer', nullable: true })
  pupilsReached: number | null;

  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId: string | null;

  @ManyToOne(() => VisitRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_visits_request' })
  request?: VisitRequest;

  @Column({ name: 'slot_id', type: 'uuid', nullable: true })
  slotId: string | null;

  @ManyToOne(() => RequestSlot, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'slot_id', foreignKeyConstraintName: 'fk_visits_slot' })
  slot?: RequestSlot;

  @Column({ name: 'invitation_id', type: 'uuid', nullable: true })
  invitationId: string | null;

  @ManyToOne(() => Invitation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invitation_id', foreignKeyConstraintName: 'fk_visits_invitation' })
  invitation?: Invitation;

  @Column({ name: 'term_id', type: 'text', nullable: true })
  termId: string | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ name: 'reminder_sent_at', type: 'timestamptz', nullable: true })
  reminderSentAt: Date | null;

  /** `school` or `volunteer`: who called the visit off. */
  @Column({ name: 'cancelled_by', type: 'text', nullable: true })
  cancelledBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

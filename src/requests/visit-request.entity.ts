import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { School } from '../schools/school.entity';
import { User } from '../users/user.entity';
import { Activity, VisitFormat } from '../volunteers/volunteer.enums';

export enum RequestStatus {
  Open = 'open',
  Filled = 'filled',
  Cancelled = 'cancelled',
  Expired = 'expired',
  Completed = 'completed',
}

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** A school's request for a visit: what, for whom, how many volunteers, and when (its slots). */
@Entity('visit_requests')
@Index('ix_visit_requests_school', ['schoolUrn', 'createdAt'])
@Index('ix_visit_requests_open', { synchronize: false })
@Index('ix_visit_requests_open_school', { synchronize: false })
@Check('ck_visit_requests_activity', `activity IN (${list(Object.values(Activity))})`)
@Check('ck_visit_requests_format', `format IN (${list(Object.values(VisitFormat))})`)
@Check(
  'ck_visit_requests_year_groups',
  'year_groups <@ ARRAY[1, 2, 3, 4, 5, 6]::smallint[] AND cardinality(year_groups) > 0',
)
@Check('ck_visit_requests_pupils', 'pupils BETWEEN 1 AND 1000')
@Check('ck_visit_requests_wanted', 'volunteers_wanted BETWEEN 1 AND 10')
export class VisitRequest {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_visit_requests' })
  id: string;

  @Column({ name: 'school_urn', type: 'integer' })
  schoolUrn: number;

  @ManyToOne(() => School, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'school_urn', foreignKeyConstraintName: 'fk_visit_requests_school' })
  school?: School;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_visit_requests_creator' })
  creator?: User;

  @Column({ type: 'text' })
  activity: Activity;

  @Column({ type: 'text' })
  format: VisitFormat;

  @Column({ name: 'year_groups', type: 'smallint', array: true })
  yearGroups: number[];

  @Column({ type: 'integer' })
  pupils: number;

  @Column({ name: 'volunteers_wanted', type: 'smallint' })
  volunteersWanted: number;

  /** The member of staff who stays with the volunteer: visits are supervised. */
  @Column({ type: 'text' })
  supervisor: string;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** When an invitation expires unanswered, invite the next-ranked candidate. */
  @Column({ name: 'auto_invite', type: 'boolean', default: false })
  autoInvite: boolean;

  /** All the volunteers come together, at one of the slots (an assembly, a panel). */
  @Column({ name: 'same_slot', type: 'boolean', default: false })
  sameSlot: boolean;

  @Column({
    type: 'enum',
    enum: RequestStatus,
    enumName: 'request_status',
    default: RequestStatus.Open,
  })
  status: RequestStatus;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

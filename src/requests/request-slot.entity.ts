import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { VisitRequest } from './visit-request.entity';

/** A proposed time for a request's visit. */
@Entity('request_slots')
@Unique('uq_request_slots_start', ['requestId', 'startsAt'])
@Check('ck_request_slots_times', 'ends_at > starts_at')
@Check('ck_request_slots_half_day', 'half_day BETWEEN 0 AND 9')
export class RequestSlot {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_request_slots' })
  id: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @ManyToOne(() => VisitRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_request_slots_request' })
  request?: VisitRequest;

  @Index('ix_request_slots_starts')
  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** Half-day of the school week in London time, as in volunteers' weekly availability. */
  @Column({ name: 'half_day', type: 'smallint' })
  halfDay: number;

  /** The school term the slot falls in, e.g. "2026/27 spring": term limits count by it. */
  @Column({ name: 'term_id', type: 'text' })
  termId: string;
}

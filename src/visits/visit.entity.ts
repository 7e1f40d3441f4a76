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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

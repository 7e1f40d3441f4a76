import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { CheckType } from './volunteer.enums';
import { Volunteer } from './volunteer.entity';

/** A check a volunteer holds, recorded as type, date and consent only: never a certificate. */
@Entity('volunteer_checks')
@Unique('uq_volunteer_checks_type', ['volunteerId', 'type'])
export class VolunteerCheck {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_volunteer_checks' })
  id: string;

  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId: string;

  @ManyToOne(() => Volunteer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'volunteer_id', foreignKeyConstraintName: 'fk_volunteer_checks_volunteer' })
  volunteer?: Volunteer;

  @Column({ type: 'enum', enum: CheckType, enumName: 'check_type' })
  type: CheckType;

  @Column({ name: 'completed_on', type: 'date' })
  completedOn: string;

  @Column({ type: 'boolean' })
  consent: boolean;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

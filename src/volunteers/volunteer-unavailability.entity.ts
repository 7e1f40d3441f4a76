import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Volunteer } from './volunteer.entity';

/** Dates a volunteer cannot visit (exams, rotas, leave), both ends included. */
@Entity('volunteer_unavailability')
@Check('ck_volunteer_unavailability_order', 'ends_on >= starts_on')
export class VolunteerUnavailability {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_volunteer_unavailability' })
  id: string;

  @Index('ix_volunteer_unavailability_volunteer')
  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId: string;

  @ManyToOne(() => Volunteer, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'volunteer_id',
    foreignKeyConstraintName: 'fk_volunteer_unavailability_volunteer',
  })
  volunteer?: Volunteer;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;
}

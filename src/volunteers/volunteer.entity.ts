import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../users/user.entity';
import {
  Activity,
  Profession,
  RegistrationBody,
  VisitFormat,
  VolunteerStatus,
} from './volunteer.enums';

const textArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::text[]`;

/**
 * A volunteer's profile. When a volunteer erases their data the row stays, stripped of
 * everything personal and detached from any account, so that visit history keeps counting.
 */
@Entity('volunteers')
@Index('ix_volunteers_status', ['status', 'createdAt'])
@Index('ix_volunteers_location', { synchronize: false })
@Index('ix_volunteers_active_area', { synchronize: false })
@Check('ck_volunteers_travel_radius', 'travel_radius_km BETWEEN 1 AND 80')
@Check('ck_volunteers_max_visits', 'max_visits_per_term BETWEEN 1 AND 20')
@Check('ck_volunteers_study_year', 'study_year BETWEEN 1 AND 8')
@Check('ck_volunteers_activities', `activities <@ ${textArray(Object.values(Activity))}`)
@Check('ck_volunteers_formats', `formats <@ ${textArray(Object.values(VisitFormat))}`)
@Check('ck_volunteers_year_groups', 'year_groups <@ ARRAY[1, 2, 3, 4, 5, 6]::smallint[]')
@Check(
  'ck_volunteers_weekly',
  'weekly_half_days <@ ARRAY[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]::smallint[]',
)
@Check('ck_volunteers_registration', '(registration_body IS NULL) = (registration_number IS NULL)')
export class Volunteer {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_volunteers' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true, unique: true })
  userId: string | null;

  @OneToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_volunteers_user' })
  user?: User;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'enum', enum: Profession, enumName: 'profession' })
  profession: Profession;

  @Column({ type: 'text', nullable: true })
  specialty: string | null;

  @Column({ name: 'medical_school', type: 'text', nullable: true })
  medicalSchool: string | null;

  @Column({ name: 'study_year', type: 'smallint', nullable: true })
  studyYear: number | null;

  @Column({ type: 'text', nullable: true })
  organisation: string | null;

  /** Full postcode or district as given: for the volunteer and coordinators only. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  postcode: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  outcode: string | null;

  @Column({ type: 'text', nullable: true })
  region: string | null;

  /** ONS code of the education LA of the postcode district (England only). */
  @Column({ name: 'la_gss_code', type: 'varchar', length: 9, nullable: true })
  laGssCode: string | null;

  /** The centroid of the postcode district, never the exact address. */
  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ name: 'travel_radius_km', type: 'smallint', default: 15 })
  travelRadiusKm: number;

  @Column({ type: 'text', array: true, default: () => `'{careers_talk}'` })
  activities: string[];

  @Column({ type: 'text', array: true, default: () => `'{in_person}'` })
  formats: string[];

  @Column({ name: 'year_groups', type: 'smallint', array: true, default: () => `'{3,4,5,6}'` })
  yearGroups: number[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  languages: string[];

  @Column({ type: 'text', nullable: true })
  bio: string | null;

  /** Half-days of the week the volunteer can usually do: (weekday 0–4) × 2 + (0 am, 1 pm). */
  @Column({
    name: 'weekly_half_days',
    type: 'smallint',
    array: true,
    default: () => `'{0,1,2,3,4,5,6,7,8,9}'`,
  })
  weeklyHalfDays: number[];

  @Column({ name: 'max_visits_per_term', type: 'smallint', default: 3 })
  maxVisitsPerTerm: number;

  @Column({
    type: 'enum',
    enum: VolunteerStatus,
    enumName: 'volunteer_status',
    default: VolunteerStatus.Pending,
  })
  status: VolunteerStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reviewed_by', foreignKeyConstraintName: 'fk_volunteers_reviewer' })
  reviewer?: User;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({
    name: 'registration_body',
    type: 'enum',
    enum: RegistrationBody,
    enumName: 'registration_body',
    nullable: true,
  })
  registrationBody: RegistrationBody | null;

  @Column({ name: 'registration_number', type: 'text', nullable: true })
  registrationNumber: string | null;

  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

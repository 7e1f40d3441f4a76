import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { School } from '../schools/school.entity';
import { User } from '../users/user.entity';

export enum MembershipStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
}

/** A school_staff account's claim to act for a school; only approved ones can. */
@Entity('school_memberships')
@Unique('uq_school_memberships_user_school', ['userId', 'schoolUrn'])
@Index('ix_school_memberships_school', ['schoolUrn', 'status'])
export class SchoolMembership {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_school_memberships' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_school_memberships_user' })
  user?: User;

  @Column({ name: 'school_urn', type: 'integer' })
  schoolUrn: number;

  @ManyToOne(() => School, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'school_urn', foreignKeyConstraintName: 'fk_school_memberships_school' })
  school?: School;

  @Column({ name: 'job_title', type: 'text' })
  jobTitle: string;

  @Column({
    type: 'enum',
    enum: MembershipStatus,
    enumName: 'membership_status',
    default: MembershipStatus.Pending,
  })
  status: MembershipStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reviewed_by', foreignKeyConstraintName: 'fk_school_memberships_reviewer' })
  reviewer?: User;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

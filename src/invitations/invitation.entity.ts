import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { RequestSlot } from '../requests/request-slot.entity';
import { VisitRequest } from '../requests/visit-request.entity';
import { User } from '../users/user.entity';
import { Volunteer } from '../volunteers/volunteer.entity';

export enum InvitationKind {
  /** A school asked a volunteer. */
  Invitation = 'invitation',
  /** A volunteer offered to take a school's request. */
  Offer = 'offer',
}

export enum InvitationStatus {
  Pending = 'pending',
  Accepted = 'accepted',
  Declined = 'declined',
  Withdrawn = 'withdrawn',
  Expired = 'expired',
}

/**
 * A proposed pairing of a volunteer with a request's slot, from either side. The other side
 * accepts (making a confirmed visit) or declines.
 */
@Entity('invitations')
@Index('uq_invitations_live', { synchronize: false })
@Index('ix_invitations_volunteer', ['volunteerId', 'status', 'createdAt'])
@Index('ix_invitations_request', ['requestId', 'status'])
@Index('ix_invitations_expiry', { synchronize: false })
export class Invitation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_invitations' })
  id: string;

  @Column({ type: 'enum', enum: InvitationKind, enumName: 'invitation_kind' })
  kind: InvitationKind;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @ManyToOne(() => VisitRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_invitations_request' })
  request?: VisitRequest;

  @Column({ name: 'slot_id', type: 'uuid' })
  slotId: string;

  @ManyToOne(() => RequestSlot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'slot_id', foreignKeyConstraintName: 'fk_invitations_slot' })
  slot?: RequestSlot;

  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId: string;

  @ManyToOne(() => Volunteer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'volunteer_id', foreignKeyConstraintName: 'fk_invitations_volunteer' })
  volunteer?: Volunteer;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({
    type: 'enum',
    enum: InvitationStatus,
    enumName: 'invitation_status',
    default: InvitationStatus.Pending,
  })
  status: InvitationStatus;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_invitations_creator' })
  creator?: User;

  @Column({ name: 'term_id', type: 'text' })
  termId: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

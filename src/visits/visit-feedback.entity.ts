import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { User } from '../users/user.entity';
import { Visit } from './visit.entity';

export enum FeedbackSide {
  School = 'school',
  Volunteer = 'volunteer',
}

/** What each side thought of a visit: once per side. */
@Entity('visit_feedback')
@Unique('uq_visit_feedback_side', ['visitId', 'side'])
@Check('ck_visit_feedback_rating', 'rating BETWEEN 1 AND 5')
export class VisitFeedback {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_visit_feedback' })
  id: string;

  @Column({ name: 'visit_id', type: 'uuid' })
  visitId: string;

  @ManyToOne(() => Visit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'visit_id', foreignKeyConstraintName: 'fk_visit_feedback_visit' })
  visit?: Visit;

  @Column({ type: 'enum', enum: FeedbackSide, enumName: 'feedback_side' })
  side: FeedbackSide;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_visit_feedback_author' })
  author?: User;

  @Column({ type: 'smallint' })
  rating: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { School } from '../schools/school.entity';
import { User } from '../users/user.entity';

export enum OutreachSource {
  Manual = 'manual',
  Import = 'import',
}

/** A visit that happened outside the service; coverage counts it like a completed visit. */
@Entity('outreach_records')
@Index('ix_outreach_records_school', ['schoolUrn', 'occurredOn'])
@Index('ix_outreach_records_date', ['occurredOn'])
@Check('ck_outreach_records_pupils', 'pupils_reached BETWEEN 0 AND 5000')
@Check('ck_outreach_records_source', `source IN ('manual', 'import')`)
export class OutreachRecord {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_outreach_records' })
  id: string;

  @Column({ name: 'school_urn', type: 'integer' })
  schoolUrn: number;

  @ManyToOne(() => School, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'school_urn', foreignKeyConstraintName: 'fk_outreach_records_school' })
  school?: School;

  @Column({ name: 'occurred_on', type: 'date' })
  occurredOn: string;

  @Column({ name: 'pupils_reached', type: 'integer' })
  pupilsReached: number;

  @Column({ type: 'text' })
  activity: string;

  @Column({ type: 'text', default: OutreachSource.Manual })
  source: OutreachSource;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_outreach_records_recorder' })
  recorder?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { numericTransformer } from '../common/numeric.transformer';

export enum SchoolStatus {
  Open = 'open',
  Closed = 'closed',
}

/** The phases of education that count as primary schools for this service. */
export const PRIMARY_PHASES = ['Primary', 'Middle deemed primary'] as const;

/** One establishment of the DfE register (GIAS), keyed by its Unique Reference Number. */
@Entity('schools')
@Check('ck_schools_percent_fsm', 'percent_fsm >= 0 AND percent_fsm <= 100')
@Check('ck_schools_coordinates', '(latitude IS NULL) = (longitude IS NULL)')
@Index('ix_schools_location', { synchronize: false })
export class School {
  @PrimaryColumn({ type: 'integer' })
  urn: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  phase: string;

  @Index('ix_schools_status')
  @Column({
    type: 'enum',
    enum: SchoolStatus,
    enumName: 'school_status',
    default: SchoolStatus.Open,
  })
  status: SchoolStatus;

  @Index('ix_schools_la_code')
  @Column({ name: 'la_code', type: 'varchar', length: 3 })
  laCode: string;

  @Column({ name: 'la_name', type: 'text' })
  laName: string;

  @Column({ name: 'la_gss_code', type: 'varchar', length: 9, nullable: true })
  laGssCode: string | null;

  @Index('ix_schools_region')
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Column({ name: 'region_code', type: 'varchar', length: 9, nullable: true })
  regionCode: string | null;

  @Column({ type: 'text', nullable: true })
  town: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  postcode: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ type: 'integer', nullable: true })
  pupils: number | null;

  @Column({
    name: 'percent_fsm',
    type: 'numeric',
    precision: 4,
    scale: 1,
    nullable: true,
    transformer: numericTransformer,
  })
  percentFsm: number | null;

  @Column({ name: 'urban_rural', type: 'text', nullable: true })
  urbanRural: string | null;

  @Column({ type: 'text', nullable: true })
  constituency: string | null;

  /** percent_rank() of the FSM percentage among open primary schools that have one. */
  @Column({ name: 'fsm_percentile', type: 'double precision', nullable: true })
  fsmPercentile: number | null;

  @Column({ name: 'high_need', type: 'boolean', default: false })
  highNeed: boolean;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

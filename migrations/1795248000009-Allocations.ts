import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch allocations: a coordinator's run over a scope and term, its proposed assignments, and
 * what became of them when applied. Requests may now ask for all their volunteers at one time.
 */
export class Allocations1795248000009 implements MigrationInterface {
  name = 'Allocations1795248000009';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE visit_requests ADD COLUMN same_slot boolean NOT NULL DEFAULT false',
    );
    await queryRunner.query(
      `CREATE TYPE allocation_status AS ENUM ('queued', 'running', 'succeeded', 'failed')`,
    );
    await queryRunner.query(`
      CREATE TABLE allocations (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        created_by uuid,
        region text,
        la_codes text[],
        term_starts_on date NOT NULL,
        term_ends_on date NOT NULL,
        options jsonb NOT NULL,
        status allocation_status NOT NULL DEFAULT 'queued',
        error text,
        result jsonb,
        unassigned jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        applied_at timestamptz,
        applied_by uuid,
        CONSTRAINT pk_allocations PRIMARY KEY (id),
        CONSTRAINT fk_allocations_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT fk_allocations_applier FOREIGN KEY (applied_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_allocations_scope CHECK ((region IS NULL) <> (la_codes IS NULL)),
        CONSTRAINT ck_allocations_term CHECK (term_ends_on >= term_starts_on)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_allocations_created ON allocations (created_at DESC, id)',
    );
    await queryRunner.query(`
      CREATE TABLE allocation_proposals (
        allocation_id uuid NOT NULL,
        request_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        slot_id uuid NOT NULL,
        distance_km double precision NOT NULL,
        need double precision NOT NULL,
        quality double precision NOT NULL,
        invitation_id uuid,
        skipped_reason text,
        CONSTRAINT pk_allocation_proposals PRIMARY KEY (allocation_id, request_id, volunteer_id),
        CONSTRAINT fk_allocation_proposals_allocation FOREIGN KEY (allocation_id)
          REFERENCES allocations (id) ON DELETE CASCADE,
        CONSTRAINT fk_allocation_proposals_request FOREIGN KEY (request_id)
          REFERENCES visit_requests (id) ON DELETE CASCADE,
        CONSTRAINT fk_allocation_proposals_volunteer FOREIGN KEY (volunteer_id)
          REFERENCES volunteers (id) ON DELETE CASCADE,
        CONSTRAINT fk_allocation_proposals_slot FOREIGN KEY (slot_id)
          REFERENCES request_slots (id) ON DELETE CASCADE,
        CONSTRAINT fk_allocation_proposals_invitation FOREIGN KEY (invitation_id)
          REFERENCES invitations (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_allocation_proposals_volunteer ON allocation_proposals (volunteer_id)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE allocation_proposals');
    await queryRunner.query('DROP TABLE allocations');
    await queryRunner.query('DROP TYPE allocation_status');
    await queryRunner.query('ALTER TABLE visit_requests DROP COLUMN same_slot');
  }
}

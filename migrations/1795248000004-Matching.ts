import { MigrationInterface, QueryRunner } from 'typeorm';

export class Matching1795248000004 implements MigrationInterface {
  name = 'Matching1795248000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE membership_status AS ENUM ('pending', 'approved', 'rejected')`,
    );
    await queryRunner.query(`
      CREATE TABLE school_memberships (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        school_urn integer NOT NULL,
        job_title text NOT NULL,
        status membership_status NOT NULL DEFAULT 'pending',
        status_reason text,
        reviewed_by uuid,
        reviewed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_school_memberships PRIMARY KEY (id),
        CONSTRAINT uq_school_memberships_user_school UNIQUE (user_id, school_urn),
        CONSTRAINT fk_school_memberships_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_school_memberships_school FOREIGN KEY (school_urn) REFERENCES schools (urn) ON DELETE RESTRICT,
        CONSTRAINT fk_school_memberships_reviewer FOREIGN KEY (reviewed_by) REFERENCES users (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_school_memberships_school ON school_memberships (school_urn, status)',
    );

    await queryRunner.query(
      `CREATE TYPE request_status AS ENUM ('open', 'filled', 'cancelled', 'expired', 'completed')`,
    );
    await queryRunner.query(`
      CREATE TABLE visit_requests (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        school_urn integer NOT NULL,
        created_by uuid,
        activity text NOT NULL,
        format text NOT NULL,
        year_groups smallint[] NOT NULL,
        pupils integer NOT NULL,
        volunteers_wanted smallint NOT NULL,
        supervisor text NOT NULL,
        notes text,
        auto_invite boolean NOT NULL DEFAULT false,
        status request_status NOT NULL DEFAULT 'open',
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_visit_requests PRIMARY KEY (id),
        CONSTRAINT fk_visit_requests_school FOREIGN KEY (school_urn) REFERENCES schools (urn) ON DELETE RESTRICT,
        CONSTRAINT fk_visit_requests_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_visit_requests_activity CHECK (activity IN ('careers_talk', 'science_workshop',
          'reading', 'whats_my_line', 'virtual_qa', 'mock_clinic')),
        CONSTRAINT ck_visit_requests_format CHECK (format IN ('in_person', 'virtual')),
        CONSTRAINT ck_visit_requests_year_groups CHECK (year_groups <@ ARRAY[1, 2, 3, 4, 5, 6]::smallint[]
          AND cardinality(year_groups) > 0),
        CONSTRAINT ck_visit_requests_pupils CHECK (pupils BETWEEN 1 AND 1000),
        CONSTRAINT ck_visit_requests_wanted CHECK (volunteers_wanted BETWEEN 1 AND 10)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_visit_requests_school ON visit_requests (school_urn, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_visit_requests_open ON visit_requests (created_at) WHERE status = 'open'`,
    );

    await queryRunner.query(`
      CREATE TABLE request_slots (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        half_day smallint NOT NULL,
        term_id text NOT NULL,
        CONSTRAINT pk_request_slots PRIMARY KEY (id),
        CONSTRAINT uq_request_slots_start UNIQUE (request_id, starts_at),
        CONSTRAINT fk_request_slots_request FOREIGN KEY (request_id) REFERENCES visit_requests (id) ON DELETE CASCADE,
        CONSTRAINT ck_request_slots_times CHECK (ends_at > starts_at),
        CONSTRAINT ck_request_slots_half_day CHECK (half_day BETWEEN 0 AND 9)
      )`);
    await queryRunner.query('CREATE INDEX ix_request_slots_starts ON request_slots (starts_at)');

    await queryRunner.query(`CREATE TYPE invitation_kind AS ENUM ('invitation', 'offer')`);
    await queryRunner.query(
      `CREATE TYPE invitation_status AS ENUM ('pending', 'accepted', 'declined', 'withdrawn', 'expired')`,
    );
    await queryRunner.query(`
      CREATE TABLE invitations (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind invitation_kind NOT NULL,
        request_id uuid NOT NULL,
        slot_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        message text,
        status invitation_status NOT NULL DEFAULT 'pending',
        created_by uuid,
        term_id text NOT NULL,
        expires_at timestamptz,
        responded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_invitations PRIMARY KEY (id),
        CONSTRAINT fk_invitations_request FOREIGN KEY (request_id) REFERENCES visit_requests (id) ON DELETE CASCADE,
        CONSTRAINT fk_invitations_slot FOREIGN KEY (slot_id) REFERENCES request_slots (id) ON DELETE CASCADE,
        CONSTRAINT fk_invitations_volunteer FOREIGN KEY (volunteer_id) REFERENCES volunteers (id) ON DELETE RESTRICT,
        CONSTRAINT fk_invitations_creator FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
      )`);
    // One live invitation or offer per volunteer and request.
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_invitations_live ON invitations (request_id, volunteer_id)
      WHERE status = 'pending'`);
    await queryRunner.query(
      'CREATE INDEX ix_invitations_volunteer ON invitations (volunteer_id, status, created_at)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_invitations_request ON invitations (request_id, status)',
    );
    await queryRunner.query(
      `CREATE INDEX ix_invitations_expiry ON invitations (expires_at) WHERE status = 'pending'`,
    );

    await queryRunner.query(`
      ALTER TABLE visits
        ADD COLUMN request_id uuid,
        ADD COLUMN slot_id uuid,
        ADD COLUMN invitation_id uuid,
        ADD COLUMN term_id text,
        ADD COLUMN cancel_reason text,
        ADD COLUMN cancelled_by text,
        ADD CONSTRAINT fk_visits_request FOREIGN KEY (request_id) REFERENCES visit_requests (id) ON DELETE RESTRICT,
        ADD CONSTRAINT fk_visits_slot FOREIGN KEY (slot_id) REFERENCES request_slots (id) ON DELETE RESTRICT,
        ADD CONSTRAINT fk_visits_invitation FOREIGN KEY (invitation_id) REFERENCES invitations (id) ON DELETE RESTRICT,
        ADD CONSTRAINT uq_visits_invitation UNIQUE (invitation_id)`);
    await queryRunner.query('CREATE INDEX ix_visits_request ON visits (request_id)');
    // A volunteer is never in two places at once: no two live visits overlap, and visits at
    // different schools keep 30 minutes apart for travel (back to back at one school is fine).
    // Matching looks for active volunteers near a school: index their locations.
    await queryRunner.query(`
      ALTER TABLE visits ADD CONSTRAINT ex_visits_volunteer_overlap EXCLUDE USING gist (
        volunteer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
      ) WHERE (status IN ('confirmed', 'completed'))`);
    // Each visit's window is widened by 15 minutes on both sides, so two visits at different
    // schools keep at least 30 minutes apart. Subtracting minutes does not depend on the time
    // zone, so this is truly immutable, as an exclusion constraint needs (the built-in
    // timestamptz - interval is only stable).
    await queryRunner.query(`
      CREATE FUNCTION visit_travel_window(starts_at timestamptz, ends_at timestamptz)
      RETURNS tstzrange LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN tstzrange(starts_at - interval '15 minutes', ends_at + interval '15 minutes', '[)')`);
    await queryRunner.query(`
      ALTER TABLE visits ADD CONSTRAINT ex_visits_volunteer_travel EXCLUDE USING gist (
        volunteer_id WITH =, school_urn WITH <>, visit_travel_window(starts_at, ends_at) WITH &&
      ) WHERE (status IN ('confirmed', 'completed'))`);

    await queryRunner.query(`
      CREATE INDEX ix_volunteers_location ON volunteers USING gist (ll_to_earth(latitude, longitude))
      WHERE status = 'approved' AND paused_at IS NULL AND erased_at IS NULL AND latitude IS NOT NULL`);

    await queryRunner.query(`CREATE TYPE feedback_side AS ENUM ('school', 'volunteer')`);
    await queryRunner.query(`
      CREATE TABLE visit_feedback (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        visit_id uuid NOT NULL,
        side feedback_side NOT NULL,
        author_id uuid,
        rating smallint NOT NULL,
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_visit_feedback PRIMARY KEY (id),
        CONSTRAINT uq_visit_feedback_side UNIQUE (visit_id, side),
        CONSTRAINT fk_visit_feedback_visit FOREIGN KEY (visit_id) REFERENCES visits (id) ON DELETE CASCADE,
        CONSTRAINT fk_visit_feedback_author FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_visit_feedback_rating CHECK (rating BETWEEN 1 AND 5)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE visit_feedback');
    await queryRunner.query('DROP TYPE feedback_side');
    await queryRunner.query('DROP INDEX ix_volunteers_location');
    await queryRunner.query(`
      ALTER TABLE visits
        DROP CONSTRAINT ex_visits_volunteer_travel,
        DROP CONSTRAINT ex_visits_volunteer_overlap,
        DROP COLUMN cancelled_by, DROP COLUMN cancel_reason, DROP COLUMN term_id,
        DROP COLUMN invitation_id, DROP COLUMN slot_id, DROP COLUMN request_id`);
    await queryRunner.query('DROP FUNCTION visit_travel_window');
    await queryRunner.query('DROP TABLE invitations');
    await queryRunner.query('DROP TYPE invitation_status');
    await queryRunner.query('DROP TYPE invitation_kind');
    await queryRunner.query('DROP TABLE request_slots');
    await queryRunner.query('DROP TABLE visit_requests');
    await queryRunner.query('DROP TYPE request_status');
    await queryRunner.query('DROP TABLE school_memberships');
    await queryRunner.query('DROP TYPE membership_status');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class Volunteers1795248000003 implements MigrationInterface {
  name = 'Volunteers1795248000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Accounts invited in bulk have no password until their owner sets one.
    await queryRunner.query('ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL');

    await queryRunner.query(`
      CREATE TYPE profession AS ENUM ('doctor', 'medical_student', 'nurse', 'midwife', 'paramedic',
        'pharmacist', 'allied_health_professional', 'dentist', 'healthcare_scientist', 'other')`);
    await queryRunner.query(
      `CREATE TYPE volunteer_status AS ENUM ('pending', 'approved', 'rejected')`,
    );
    await queryRunner.query(
      `CREATE TYPE registration_body AS ENUM ('gmc', 'nmc', 'hcpc', 'gdc', 'gphc', 'other')`,
    );
    await queryRunner.query(
      `CREATE TYPE check_type AS ENUM ('safeguarding_training', 'dbs_update_service')`,
    );
    await queryRunner.query(`
      CREATE TABLE volunteers (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid,
        display_name text NOT NULL,
        profession profession NOT NULL,
        specialty text,
        medical_school text,
        study_year smallint,
        organisation text,
        postcode varchar(8),
        outcode varchar(4),
        region text,
        latitude double precision,
        longitude double precision,
        travel_radius_km smallint NOT NULL DEFAULT 15,
        activities text[] NOT NULL DEFAULT '{careers_talk}',
        formats text[] NOT NULL DEFAULT '{in_person}',
        year_groups smallint[] NOT NULL DEFAULT '{3,4,5,6}',
        languages text[] NOT NULL DEFAULT '{}',
        bio text,
        weekly_half_days smallint[] NOT NULL DEFAULT '{0,1,2,3,4,5,6,7,8,9}',
        max_visits_per_term smallint NOT NULL DEFAULT 3,
        status volunteer_status NOT NULL DEFAULT 'pending',
        status_reason text,
        reviewed_by uuid,
        reviewed_at timestamptz,
        paused_at timestamptz,
        registration_body registration_body,
        registration_number text,
        erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_volunteers PRIMARY KEY (id),
        CONSTRAINT uq_volunteers_user UNIQUE (user_id),
        CONSTRAINT fk_volunteers_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT fk_volunteers_reviewer FOREIGN KEY (reviewed_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_volunteers_travel_radius CHECK (travel_radius_km BETWEEN 1 AND 80),
        CONSTRAINT ck_volunteers_max_visits CHECK (max_visits_per_term BETWEEN 1 AND 20),
        CONSTRAINT ck_volunteers_study_year CHECK (study_year BETWEEN 1 AND 8),
        CONSTRAINT ck_volunteers_activities CHECK (activities <@ ARRAY['careers_talk', 'science_workshop',
          'reading', 'whats_my_line', 'virtual_qa', 'mock_clinic']::text[]),
        CONSTRAINT ck_volunteers_formats CHECK (formats <@ ARRAY['in_person', 'virtual']::text[]),
        CONSTRAINT ck_volunteers_year_groups CHECK (year_groups <@ ARRAY[1, 2, 3, 4, 5, 6]::smallint[]),
        CONSTRAINT ck_volunteers_weekly CHECK (weekly_half_days <@ ARRAY[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]::smallint[]),
        CONSTRAINT ck_volunteers_registration CHECK ((registration_body IS NULL) = (registration_number IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX ix_volunteers_status ON volunteers (status, created_at)');

    await queryRunner.query(`
      CREATE TABLE volunteer_unavailability (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        CONSTRAINT pk_volunteer_unavailability PRIMARY KEY (id),
        CONSTRAINT fk_volunteer_unavailability_volunteer FOREIGN KEY (volunteer_id)
          REFERENCES volunteers (id) ON DELETE CASCADE,
        CONSTRAINT ck_volunteer_unavailability_order CHECK (ends_on >= starts_on)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_volunteer_unavailability_volunteer ON volunteer_unavailability (volunteer_id)',
    );

    await queryRunner.query(`
      CREATE TABLE volunteer_checks (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        type check_type NOT NULL,
        completed_on date NOT NULL,
        consent boolean NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_volunteer_checks PRIMARY KEY (id),
        CONSTRAINT uq_volunteer_checks_type UNIQUE (volunteer_id, type),
        CONSTRAINT fk_volunteer_checks_volunteer FOREIGN KEY (volunteer_id)
          REFERENCES volunteers (id) ON DELETE CASCADE
      )`);

    await queryRunner.query(
      `CREATE TYPE visit_status AS ENUM ('confirmed', 'completed', 'cancelled', 'no_show')`,
    );
    await queryRunner.query(`
      CREATE TABLE visits (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        school_urn integer NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status visit_status NOT NULL DEFAULT 'confirmed',
        pupils_reached integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_visits PRIMARY KEY (id),
        CONSTRAINT fk_visits_volunteer FOREIGN KEY (volunteer_id) REFERENCES volunteers (id) ON DELETE RESTRICT,
        CONSTRAINT fk_visits_school FOREIGN KEY (school_urn) REFERENCES schools (urn) ON DELETE RESTRICT,
        CONSTRAINT ck_visits_times CHECK (ends_at > starts_at),
        CONSTRAINT ck_visits_pupils CHECK (pupils_reached >= 0)
      )`);
    await queryRunner.query('CREATE INDEX ix_visits_volunteer ON visits (volunteer_id, starts_at)');
    await queryRunner.query('CREATE INDEX ix_visits_school ON visits (school_urn, starts_at)');

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_role user_role,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT pk_audit_events PRIMARY KEY (id),
        CONSTRAINT fk_audit_events_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_audit_events_subject ON audit_events (subject_type, subject_id, at)',
    );
    await queryRunner.query('CREATE INDEX ix_audit_events_actor ON audit_events (actor_id, at)');

    await queryRunner.query(`
      CREATE TABLE account_setup_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_account_setup_tokens PRIMARY KEY (id),
        CONSTRAINT uq_account_setup_tokens_hash UNIQUE (token_hash),
        CONSTRAINT fk_account_setup_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_account_setup_tokens_user ON account_setup_tokens (user_id)',
    );

    await queryRunner.query(`
      CREATE TABLE outbox_messages (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        to_email citext NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        sent_at timestamptz,
        last_error text,
        CONSTRAINT pk_outbox_messages PRIMARY KEY (id)
      )`);
    await queryRunner.query(`
      CREATE INDEX ix_outbox_messages_due ON outbox_messages (next_attempt_at) WHERE sent_at IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_messages');
    await queryRunner.query('DROP TABLE account_setup_tokens');
    await queryRunner.query('DROP TABLE audit_events');
    await queryRunner.query('DROP TABLE visits');
    await queryRunner.query('DROP TYPE visit_status');
    await queryRunner.query('DROP TABLE volunteer_checks');
    await queryRunner.query('DROP TABLE volunteer_unavailability');
    await queryRunner.query('DROP TABLE volunteers');
    await queryRunner.query('DROP TYPE check_type');
    await queryRunner.query('DROP TYPE registration_body');
    await queryRunner.query('DROP TYPE volunteer_status');
    await queryRunner.query('DROP TYPE profession');
    await queryRunner.query(`DELETE FROM users WHERE password_hash IS NULL`);
    await queryRunner.query('ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL');
  }
}

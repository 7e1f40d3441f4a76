import { MigrationInterface, QueryRunner } from 'typeorm';

const WATCHED = ['visits', 'outreach_records', 'volunteers', 'schools', 'school_reach'];

/**
 * The coverage of every school over the default window (the last 365 days), kept as a table so
 * that the area figures are sums over 17,000 rows rather than over every visit. Any change to
 * the tables it reads counts up a sequence, at commit; the first read after a change (or once
 * the snapshot is older than the age the reader allows) computes it again. Readers get its
 * `as_of`.
 */
export class CoverageSnapshot1795248000008 implements MigrationInterface {
  name = 'CoverageSnapshot1795248000008';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SEQUENCE coverage_changes');
    await queryRunner.query(`
      CREATE FUNCTION note_coverage_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM nextval('coverage_changes');
        RETURN NULL;
      END $$`);
    // Deferred to commit, so that a snapshot taken meanwhile is not marked fresh by mistake.
    for (const table of WATCHED) {
      await queryRunner.query(`
        CREATE CONSTRAINT TRIGGER tr_${table}_coverage_change AFTER INSERT OR UPDATE OR DELETE ON ${table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION note_coverage_change()`);
    }

    await queryRunner.query(
      `CREATE TABLE coverage_snapshot AS SELECT * FROM school_coverage(now()) WITH NO DATA`,
    );
    await queryRunner.query('ALTER TABLE coverage_snapshot ADD PRIMARY KEY (urn)');
    await queryRunner.query(`
      CREATE TABLE coverage_snapshot_state (
        id boolean NOT NULL DEFAULT true,
        as_of timestamptz,
        since timestamptz,
        changes bigint NOT NULL DEFAULT -1,
        CONSTRAINT pk_coverage_snapshot_state PRIMARY KEY (id),
        CONSTRAINT ck_coverage_snapshot_state_single CHECK (id)
      )`);
    await queryRunner.query('INSERT INTO coverage_snapshot_state DEFAULT VALUES');

    // Answers the snapshot's as_of, computing it again first if anything changed since or if it
    // is older than max_age. One refresh at a time; a reader who waited finds it fresh.
    await queryRunner.query(`
      CREATE FUNCTION fresh_coverage_snapshot(max_age interval) RETURNS timestamptz
      LANGUAGE plpgsql AS $$
      DECLARE
        state coverage_snapshot_state;
        seen bigint;
      BEGIN
        FOR attempt IN 1..2 LOOP
          SELECT * INTO state FROM coverage_snapshot_state;
          SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO seen FROM coverage_changes;
          IF state.changes = seen AND state.as_of > clock_timestamp() - max_age THEN
            RETURN state.as_of;
          END IF;
          EXIT WHEN attempt = 2;
          PERFORM pg_advisory_xact_lock(hashtext('coverage_snapshot'));
        END LOOP;
        DELETE FROM coverage_snapshot;
        INSERT INTO coverage_snapshot SELECT * FROM school_coverage(clock_timestamp() - interval '365 days');
        UPDATE coverage_snapshot_state
        SET as_of = clock_timestamp(), since = clock_timestamp() - interval '365 days', changes = seen
        RETURNING * INTO state;
        RETURN state.as_of;
      END $$`);

    // The coverage of every school since a moment, or over the snapshot's window when none.
    await queryRunner.query(`
      CREATE FUNCTION coverage_rows(since timestamptz) RETURNS SETOF coverage_snapshot
      LANGUAGE sql STABLE AS $$
        SELECT * FROM coverage_snapshot WHERE since IS NULL
        UNION ALL
        SELECT * FROM school_coverage(since) WHERE since IS NOT NULL
      $$`);

    // Active volunteers per area, counted from an index.
    await queryRunner.query(`
      CREATE INDEX ix_volunteers_active_area ON volunteers (region, la_gss_code)
      WHERE status = 'approved' AND paused_at IS NULL AND erased_at IS NULL AND latitude IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_volunteers_active_area');
    await queryRunner.query('DROP FUNCTION coverage_rows');
    await queryRunner.query('DROP FUNCTION fresh_coverage_snapshot');
    await queryRunner.query('DROP TABLE coverage_snapshot_state');
    await queryRunner.query('DROP TABLE coverage_snapshot');
    for (const table of WATCHED) {
      await queryRunner.query(`DROP TRIGGER tr_${table}_coverage_change ON ${table}`);
    }
    await queryRunner.query('DROP FUNCTION note_coverage_change');
    await queryRunner.query('DROP SEQUENCE coverage_changes');
  }
}

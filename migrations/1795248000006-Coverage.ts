import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coverage: outreach recorded outside the service, an exact count of the active volunteers who
 * can reach each school (kept by triggers), and the one SQL definition of a school's coverage.
 */
export class Coverage1795248000006 implements MigrationInterface {
  name = 'Coverage1795248000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE volunteers ADD COLUMN la_gss_code varchar(9)');
    await queryRunner.query(
      `CREATE INDEX ix_visits_completed ON visits (starts_at) WHERE status = 'completed'`,
    );

    await queryRunner.query(`
      CREATE TABLE outreach_records (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        school_urn integer NOT NULL,
        occurred_on date NOT NULL,
        pupils_reached integer NOT NULL,
        activity text NOT NULL,
        source text NOT NULL DEFAULT 'manual',
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_outreach_records PRIMARY KEY (id),
        CONSTRAINT fk_outreach_records_school FOREIGN KEY (school_urn) REFERENCES schools (urn) ON DELETE RESTRICT,
        CONSTRAINT fk_outreach_records_recorder FOREIGN KEY (recorded_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_outreach_records_pupils CHECK (pupils_reached BETWEEN 0 AND 5000),
        CONSTRAINT ck_outreach_records_source CHECK (source IN ('manual', 'import'))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_outreach_records_school ON outreach_records (school_urn, occurred_on)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_outreach_records_date ON outreach_records (occurred_on)',
    );

    // How many active volunteers have each school within their travel radius.
    await queryRunner.query(`
      CREATE TABLE school_reach (
        urn integer NOT NULL,
        volunteers integer NOT NULL,
        CONSTRAINT pk_school_reach PRIMARY KEY (urn),
        CONSTRAINT fk_school_reach_school FOREIGN KEY (urn) REFERENCES schools (urn) ON DELETE CASCADE,
        CONSTRAINT ck_school_reach_volunteers CHECK (volunteers >= 0)
      )`);
    await queryRunner.query(
      'INSERT INTO school_reach (urn, volunteers) SELECT urn, 0 FROM schools',
    );
    await queryRunner.query(`
      CREATE FUNCTION schools_within(lat double precision, lng double precision, radius_km integer)
      RETURNS SETOF integer LANGUAGE sql STABLE AS $$
        SELECT s.urn FROM schools s
        WHERE s.latitude IS NOT NULL
          AND earth_box(ll_to_earth(lat, lng), radius_km * 1000) @> ll_to_earth(s.latitude, s.longitude)
          AND earth_distance(ll_to_earth(lat, lng), ll_to_earth(s.latitude, s.longitude)) <= radius_km * 1000
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION volunteer_is_active(v volunteers) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT v.status = 'approved' AND v.paused_at IS NULL AND v.erased_at IS NULL AND v.latitude IS NOT NULL
      $$`);
    // Every school has a row (kept so by the schools trigger below). A volunteer's change is one
    // delta per school, applied after locking the rows in URN order, so that concurrent changes
    // (twenty approvals at once) never deadlock.
    await queryRunner.query(`
      CREATE FUNCTION school_reach_follow_volunteer() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_active boolean := TG_OP <> 'INSERT' AND volunteer_is_active(OLD);
        is_active boolean := TG_OP <> 'DELETE' AND volunteer_is_active(NEW);
      BEGIN
        IF was_active = is_active AND (NOT is_active OR (OLD.latitude = NEW.latitude
           AND OLD.longitude = NEW.longitude AND OLD.travel_radius_km = NEW.travel_radius_km)) THEN
          RETURN NULL;
        END IF;
        WITH delta AS (
          SELECT urn, sum(d)::int AS d FROM (
            SELECT urn, -1 AS d FROM schools_within(OLD.latitude, OLD.longitude, OLD.travel_radius_km) urn
            WHERE was_active
            UNION ALL
            SELECT urn, 1 FROM schools_within(NEW.latitude, NEW.longitude, NEW.travel_radius_km) urn
            WHERE is_active) changes
          GROUP BY urn HAVING sum(d) <> 0),
        locked AS (
          SELECT r.urn FROM school_reach r JOIN delta ON delta.urn = r.urn ORDER BY r.urn FOR UPDATE OF r)
        UPDATE school_reach r SET volunteers = r.volunteers + delta.d
        FROM delta JOIN locked ON locked.urn = delta.urn
        WHERE r.urn = delta.urn;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_volunteers_school_reach AFTER INSERT OR UPDATE OR DELETE ON volunteers
      FOR EACH ROW EXECUTE FUNCTION school_reach_follow_volunteer()`);
    // A school that is added or moves gets its count afresh.
    await queryRunner.query(`
      CREATE FUNCTION school_reach_follow_school() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO school_reach (urn, volunteers)
        SELECT NEW.urn, count(*) FROM volunteers v
        WHERE volunteer_is_active(v)
          AND earth_box(ll_to_earth(NEW.latitude, NEW.longitude), 80000) @> ll_to_earth(v.latitude, v.longitude)
          AND earth_distance(ll_to_earth(NEW.latitude, NEW.longitude), ll_to_earth(v.latitude, v.longitude))
              <= v.travel_radius_km * 1000
        ON CONFLICT (urn) DO UPDATE SET volunteers = EXCLUDED.volunteers;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_schools_school_reach AFTER INSERT OR UPDATE OF latitude, longitude ON schools
      FOR EACH ROW EXECUTE FUNCTION school_reach_follow_school()`);
    // For bulk loads (with the volunteer trigger disabled) and for checking: the counts from scratch.
    await queryRunner.query(`
      CREATE FUNCTION rebuild_school_reach() RETURNS void LANGUAGE sql AS $$
        INSERT INTO school_reach (urn, volunteers)
        SELECT s.urn, coalesce(c.n, 0) FROM schools s
        LEFT JOIN (SELECT w.urn, count(*)::int AS n FROM volunteers v
                   CROSS JOIN LATERAL schools_within(v.latitude, v.longitude, v.travel_radius_km) w(urn)
                   WHERE volunteer_is_active(v) GROUP BY w.urn) c ON c.urn = s.urn
        ON CONFLICT (urn) DO UPDATE SET volunteers = EXCLUDED.volunteers;
      $$`);

    await queryRunner.query(`
      CREATE FUNCTION school_coverage(since timestamptz)
      RETURNS TABLE (urn integer, region text, region_code varchar, la_code varchar, la_name text,
        la_gss_code varchar, high_need boolean, fsm_percentile double precision, reached boolean,
        visits bigint, pupils_reached bigint, within_reach boolean, cold_spot boolean)
      LANGUAGE sql STABLE AS $$
        WITH outreach AS (
          SELECT x.school_urn AS urn, x.pupils_reached FROM visits x
          WHERE x.status = 'completed' AND x.starts_at >= since
          UNION ALL
          SELECT o.school_urn, o.pupils_reached FROM outreach_records o
          WHERE o.occurred_on >= (since AT TIME ZONE 'Europe/London')::date
        ), per_school AS (
          SELECT o.urn, count(*) AS visits, coalesce(sum(o.pupils_reached), 0) AS pupils
          FROM outreach o GROUP BY o.urn
        )
        SELECT s.urn, s.region, s.region_code, s.la_code, s.la_name, s.la_gss_code, s.high_need,
               s.fsm_percentile, p.urn IS NOT NULL, coalesce(p.visits, 0), coalesce(p.pupils, 0),
               coalesce(r.volunteers, 0) > 0,
               s.high_need AND p.urn IS NULL AND coalesce(r.volunteers, 0) = 0
        FROM schools s
        LEFT JOIN per_school p ON p.urn = s.urn
        LEFT JOIN school_reach r ON r.urn = s.urn
        WHERE s.status = 'open'
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION school_coverage');
    await queryRunner.query('DROP FUNCTION rebuild_school_reach');
    await queryRunner.query('DROP TRIGGER tr_schools_school_reach ON schools');
    await queryRunner.query('DROP FUNCTION school_reach_follow_school');
    await queryRunner.query('DROP TRIGGER tr_volunteers_school_reach ON volunteers');
    await queryRunner.query('DROP FUNCTION school_reach_follow_volunteer');
    await queryRunner.query('DROP FUNCTION volunteer_is_active');
    await queryRunner.query('DROP FUNCTION schools_within');
    await queryRunner.query('DROP TABLE school_reach');
    await queryRunner.query('DROP TABLE outreach_records');
    await queryRunner.query('DROP INDEX ix_visits_completed');
    await queryRunner.query('ALTER TABLE volunteers DROP COLUMN la_gss_code');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** In the order of offer_bit() below; a new activity needs a new migration. */
const ACTIVITIES = [
  'careers_talk',
  'science_workshop',
  'reading',
  'whats_my_line',
  'virtual_qa',
  'mock_clinic',
];

/**
 * What the matching engine reads about each volunteer, in one narrow row kept exact by triggers:
 * whether they are active, where they are and the box of their own travel radius (indexed, so a
 * school finds the volunteers who can reach it rather than everyone near it), what they offer,
 * when, and to which year groups as bit sets, and the counts behind their reliability score.
 * The indexes carry every column the ranking reads, so it never visits the table.
 */
export class MatchingProfiles1795248000007 implements MigrationInterface {
  name = 'MatchingProfiles1795248000007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The great-circle distance of earthdistance's earth_distance(), written so that PostgreSQL
    // inlines it (the extension's own functions run as separate calls for every row compared;
    // and a STRICT function whose body is not strict, like least(), is not inlined either).
    await queryRunner.query(`
      CREATE FUNCTION earth_metres(a cube, b cube) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN 2 * 6378168::float8 * asin(least(1, cube_distance(a, b) / (2 * 6378168::float8)))`);

    // One bit per (activity, format) pair, so that "offers this activity in this format" is one
    // AND of integers; and a set of small numbers (half-days, year groups) as bits.
    await queryRunner.query(`
      CREATE FUNCTION offer_bit(activity text, format text) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN 1 << (array_position(ARRAY['${ACTIVITIES.join("', '")}'], activity) * 2
        + CASE format WHEN 'virtual' THEN 1 ELSE 0 END)`);
    await queryRunner.query(`
      CREATE FUNCTION bit_set(members smallint[]) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN (SELECT coalesce(bit_or(1 << m), 0) FROM unnest(members) m)`);
    await queryRunner.query(`
      CREATE FUNCTION offer_bits(activities text[], formats text[]) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN (SELECT coalesce(bit_or(offer_bit(a, f)), 0) FROM unnest(activities) a, unnest(formats) f)`);

    await queryRunner.query(`
      CREATE TABLE matching_profiles (
        volunteer_id uuid NOT NULL,
        active boolean NOT NULL,
        point earth,
        reach cube,
        radius_m double precision NOT NULL,
        offer_bits integer NOT NULL,
        half_day_bits integer NOT NULL,
        year_bits integer NOT NULL,
        completed integer NOT NULL DEFAULT 0,
        dropped integer NOT NULL DEFAULT 0,
        invitations integer NOT NULL DEFAULT 0,
        CONSTRAINT pk_matching_profiles PRIMARY KEY (volunteer_id),
        CONSTRAINT fk_matching_profiles_volunteer FOREIGN KEY (volunteer_id)
          REFERENCES volunteers (id) ON DELETE CASCADE,
        CONSTRAINT ck_matching_profiles_counts CHECK (completed >= 0 AND dropped >= 0 AND invitations >= 0)
      )`);
    // In person: whose reach contains the school. Virtual: the nearest first (KNN), one index per
    // activity so that a rarely offered one does not walk past everyone else.
    await queryRunner.query(`
      CREATE INDEX ix_matching_profiles_reach ON matching_profiles USING gist (reach)
      INCLUDE (volunteer_id, point, radius_m, offer_bits, half_day_bits, year_bits, completed, dropped, invitations)
      WHERE active`);
    for (const activity of ACTIVITIES) {
      await queryRunner.query(`
        CREATE INDEX ix_matching_profiles_virtual_${activity} ON matching_profiles USING gist (point)
        INCLUDE (volunteer_id, offer_bits, half_day_bits, year_bits, completed, dropped, invitations)
        WHERE active AND offer_bits & offer_bit('${activity}', 'virtual') <> 0`);
    }

    await queryRunner.query(`
      CREATE FUNCTION matching_profile_follow_volunteer() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        point earth := CASE WHEN NEW.latitude IS NOT NULL THEN ll_to_earth(NEW.latitude, NEW.longitude) END;
      BEGIN
        INSERT INTO matching_profiles AS p (volunteer_id, active, point, reach, radius_m, offer_bits,
          half_day_bits, year_bits)
        VALUES (NEW.id, volunteer_is_active(NEW), point, earth_box(point, NEW.travel_radius_km * 1000),
          NEW.travel_radius_km * 1000, offer_bits(NEW.activities, NEW.formats),
          bit_set(NEW.weekly_half_days), bit_set(NEW.year_groups))
        ON CONFLICT (volunteer_id) DO UPDATE SET active = EXCLUDED.active, point = EXCLUDED.point,
          reach = EXCLUDED.reach, radius_m = EXCLUDED.radius_m, offer_bits = EXCLUDED.offer_bits,
          half_day_bits = EXCLUDED.half_day_bits, year_bits = EXCLUDED.year_bits
        WHERE (p.active, p.point, p.radius_m, p.offer_bits, p.half_day_bits, p.year_bits)
          IS DISTINCT FROM (EXCLUDED.active, EXCLUDED.point, EXCLUDED.radius_m, EXCLUDED.offer_bits,
                            EXCLUDED.half_day_bits, EXCLUDED.year_bits);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_volunteers_matching_profile AFTER INSERT OR UPDATE ON volunteers
      FOR EACH ROW EXECUTE FUNCTION matching_profile_follow_volunteer()`);

    // Reliability counts: completed visits, and visits the volunteer dropped (no-show, or
    // cancelled by them). Applied as deltas, which the row lock keeps exact under concurrency.
    await queryRunner.query(`
      CREATE FUNCTION matching_profile_follow_visit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          UPDATE matching_profiles SET
            completed = completed - (OLD.status = 'completed')::int,
            dropped = dropped - (OLD.status = 'no_show'
              OR (OLD.status = 'cancelled' AND OLD.cancelled_by IS NOT DISTINCT FROM 'volunteer'))::int
          WHERE volunteer_id = OLD.volunteer_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          UPDATE matching_profiles SET
            completed = completed + (NEW.status = 'completed')::int,
            dropped = dropped + (NEW.status = 'no_show'
              OR (NEW.status = 'cancelled' AND NEW.cancelled_by IS NOT DISTINCT FROM 'volunteer'))::int
          WHERE volunteer_id = NEW.volunteer_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_visits_matching_profile
      AFTER INSERT OR DELETE OR UPDATE OF status, cancelled_by, volunteer_id ON visits
      FOR EACH ROW EXECUTE FUNCTION matching_profile_follow_visit()`);

    // Whether the volunteer was ever invited (the boost for newcomers).
    await queryRunner.query(`
      CREATE FUNCTION matching_profile_follow_invitation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.kind = 'invitation' THEN
          UPDATE matching_profiles SET invitations = invitations - 1 WHERE volunteer_id = OLD.volunteer_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.kind = 'invitation' THEN
          UPDATE matching_profiles SET invitations = invitations + 1 WHERE volunteer_id = NEW.volunteer_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_invitations_matching_profile
      AFTER INSERT OR DELETE OR UPDATE OF kind, volunteer_id ON invitations
      FOR EACH ROW EXECUTE FUNCTION matching_profile_follow_invitation()`);

    // From scratch: for the rows already there, for bulk loads made with the triggers disabled,
    // and for checking the triggers.
    await queryRunner.query(`
      CREATE FUNCTION rebuild_matching_profiles() RETURNS void LANGUAGE sql AS $$
        DELETE FROM matching_profiles;
        INSERT INTO matching_profiles (volunteer_id, active, point, reach, radius_m, offer_bits,
          half_day_bits, year_bits, completed, dropped, invitations)
        SELECT v.id, volunteer_is_active(v), e.point, earth_box(e.point, v.travel_radius_km * 1000),
          v.travel_radius_km * 1000, offer_bits(v.activities, v.formats), bit_set(v.weekly_half_days),
          bit_set(v.year_groups), coalesce(x.completed, 0), coalesce(x.dropped, 0), coalesce(i.invitations, 0)
        FROM volunteers v
        CROSS JOIN LATERAL (SELECT CASE WHEN v.latitude IS NOT NULL
          THEN ll_to_earth(v.latitude, v.longitude) END AS point) e
        LEFT JOIN (SELECT volunteer_id, count(*) FILTER (WHERE status = 'completed')::int AS completed,
                          count(*) FILTER (WHERE status = 'no_show'
                            OR (status = 'cancelled' AND cancelled_by = 'volunteer'))::int AS dropped
                   FROM visits GROUP BY volunteer_id) x ON x.volunteer_id = v.id
        LEFT JOIN (SELECT volunteer_id, count(*)::int AS invitations FROM invitations
                   WHERE kind = 'invitation' GROUP BY volunteer_id) i ON i.volunteer_id = v.id;
      $$`);
    await queryRunner.query('SELECT rebuild_matching_profiles()');

    // The volunteer's side: open requests at the schools inside their reach, and when each
    // school last had a completed visit.
    await queryRunner.query(
      `CREATE INDEX ix_visit_requests_open_school ON visit_requests (school_urn) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_visits_completed_school ON visits (school_urn, starts_at) WHERE status = 'completed'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_visits_completed_school');
    await queryRunner.query('DROP INDEX ix_visit_requests_open_school');
    await queryRunner.query('DROP FUNCTION rebuild_matching_profiles');
    await queryRunner.query('DROP TRIGGER tr_invitations_matching_profile ON invitations');
    await queryRunner.query('DROP FUNCTION matching_profile_follow_invitation');
    await queryRunner.query('DROP TRIGGER tr_visits_matching_profile ON visits');
    await queryRunner.query('DROP FUNCTION matching_profile_follow_visit');
    await queryRunner.query('DROP TRIGGER tr_volunteers_matching_profile ON volunteers');
    await queryRunner.query('DROP FUNCTION matching_profile_follow_volunteer');
    await queryRunner.query('DROP TABLE matching_profiles');
    await queryRunner.query('DROP FUNCTION offer_bits');
    await queryRunner.query('DROP FUNCTION bit_set');
    await queryRunner.query('DROP FUNCTION offer_bit');
    await queryRunner.query('DROP FUNCTION earth_metres');
  }
}

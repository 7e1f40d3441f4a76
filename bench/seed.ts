import { Client } from 'pg';
import { addDays, halfDayCode, londonDate, londonInstant } from '../src/calendar/london-time';
import { TermCalendar } from '../src/calendar/term-calendar';
import { OutcodeDirectory, OUTCODES_FILE } from '../src/postcodes/outcode-directory';

export interface SeedSizes {
  volunteers: number;
  pastVisits: number;
  upcomingVisits: number;
  requests: number;
  /** Volunteers given an account, to call the opportunities endpoint. */
  accounts: number;
  /** Share of requests that ask for a virtual visit. */
  virtualShare: number;
  /** Seed of PostgreSQL's random(), so that two runs build the same data. */
  seed: number;
}

export interface SeedStep {
  name: string;
  rows: number;
  ms: number;
}

export interface VolunteerAccount {
  volunteerId: string;
  email: string;
}

export const ACTIVITIES = [
  'careers_talk',
  'science_workshop',
  'reading',
  'whats_my_line',
  'virtual_qa',
  'mock_clinic',
];
/** How likely a volunteer is to offer each activity, and how often schools ask for it. */
const OFFERED_SHARE = [0.8, 0.35, 0.3, 0.35, 0.25, 0.2];
const REQUESTED_SHARE = [0.5, 0.15, 0.1, 0.1, 0.08, 0.07];

/** Weighted by repetition: doctors, students and nurses are most of the volunteers. */
const PROFESSIONS = [
  ...Array<string>(5).fill('doctor'),
  ...Array<string>(4).fill('medical_student'),
  ...Array<string>(4).fill('nurse'),
  'midwife',
  'paramedic',
  'pharmacist',
  'allied_health_professional',
  'allied_health_professional',
  'dentist',
  'healthcare_scientist',
  'other',
];

const FIRST_NAMES = [
  'Amina',
  'Ben',
  'Chloe',
  'Dev',
  'Ella',
  'Farah',
  'George',
  'Hana',
  'Isaac',
  'Jess',
  'Kwame',
  'Leah',
  'Mo',
  'Niamh',
  'Omar',
  'Priya',
  'Rhys',
  'Sofia',
  'Tom',
  'Zara',
];

function cumulative(shares: number[]): number[] {
  const total = shares.reduce((sum, share) => sum + share, 0);
  let running = 0;
  return shares.map((share) => (running += share / total));
}

/** Visits and slots start on the half hour from 09:00 to 15:00, London time, and last an hour. */
const START_TIMES = Array.from({ length: 13 }, (_, k) => [9 + Math.floor(k / 2), (k % 2) * 30]);
const VISIT_MINUTES = 60;

/** Days ahead (calendar days) in which upcoming visits and the slots of open requests fall. */
const HORIZON_DAYS = 56;
const FIRST_SLOT_DAYS = 2;

/**
 * Fills a migrated database that holds the school register with national-scale synthetic data,
 * set-based: each table is filled by a few INSERT … SELECT statements over generate_series.
 */
export async function seed(
  client: Client,
  sizes: SeedSizes,
  password: { hash: string },
  onStep: (step: SeedStep) => void,
): Promise<{ steps: SeedStep[]; accounts: VolunteerAccount[] }> {
  const steps: SeedStep[] = [];
  const step = async (name: string, work: () => Promise<number>) => {
    const started = performance.now();
    const rows = await work();
    const done = { name, rows, ms: performance.now() - started };
    steps.push(done);
    onStep(done);
  };
  const run = async (sql: string, params: unknown[] = []) =>
    (await client.query(sql, params)).rowCount ?? 0;

  await client.query('SELECT setseed($1)', [sizes.seed]);
  const today = londonDate(new Date());

  await step('outcodes and school catchments', async () => {
    await loadOutcodes(client);
    await loadCalendar(client, TermCalendar.load());
    return placeVolunteersBySchools(client);
  });

  // The per-row triggers that keep each volunteer's matching profile are disabled during the
  // bulk inserts, and the profiles are made afterwards in one statement.
  for (const [table, trigger] of PROFILE_TRIGGERS) {
    await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  }

  // The per-row trigger that keeps school_reach up to date would make this insert last most of
  // an hour: it is disabled meanwhile and the counts are made afterwards in one statement.
  const reachTrigger = await hasReachTrigger(client);
  if (reachTrigger) await client.query(`ALTER TABLE volunteers DISABLE TRIGGER ${REACH_TRIGGER}`);
  await step('volunteers', () =>
    run(
      `WITH g AS MATERIALIZED (
         SELECT i, random() AS r_place, random() AS r_status, random() AS r_pause,
                random() AS r_format, random() AS r_profession, random() AS r_radius,
                random() AS r_max, random() AS r_name, random() AS r_created, random() AS r_extra
         FROM generate_series(1, $1) i
       ), drawn AS (
         -- "g.i > 0" makes each ARRAY subquery depend on its row, so that it is drawn anew for
         -- every volunteer: an uncorrelated subquery would run once for all of them.
         SELECT g.*, p.outcode, p.region, p.latitude, p.longitude,
                ($4::text[])[1 + floor(g.r_profession * cardinality($4::text[]))::int]::profession AS profession,
                ARRAY(SELECT a FROM unnest($2::text[], $3::float8[]) AS t(a, share)
                      WHERE random() < share AND g.i > 0) AS activities,
                ARRAY(SELECT y::smallint FROM generate_series(1, 6) y
                      WHERE random() < 0.75 AND g.i > 0) AS year_groups,
                ARRAY(SELECT h::smallint FROM generate_series(0, 9) h
                      WHERE random() < 0.35 AND g.i > 0) AS half_days
         FROM g CROSS JOIN LATERAL (
           SELECT * FROM bench_places p WHERE p.hi > g.r_place ORDER BY p.hi LIMIT 1) p
       )
       INSERT INTO volunteers (display_name, profession, specialty, medical_school, study_year,
         organisation, postcode, outcode, region, latitude, longitude, travel_radius_km,
         activities, formats, year_groups, weekly_half_days, max_visits_per_term, status,
         status_reason, reviewed_at, paused_at, created_at, updated_at)
       SELECT ($5::text[])[1 + floor(r_name * cardinality($5::text[]))::int] || ' Bench-' || i,
              profession,
              CASE WHEN profession = 'doctor' THEN (ARRAY['General practice', 'Paediatrics',
                'Emergency medicine', 'Psychiatry', 'Surgery'])[1 + floor(r_extra * 5)::int] END,
              CASE WHEN profession = 'medical_student' THEN 'Bench Medical School' END,
              CASE WHEN profession = 'medical_student' THEN (1 + floor(r_extra * 6))::smallint END,
              CASE WHEN profession <> 'medical_student' THEN region || ' Health Partnership' END,
              outcode, outcode, region, latitude, longitude,
              (5 + floor(r_radius * 26))::smallint,
              CASE WHEN cardinality(activities) = 0 THEN '{careers_talk}' ELSE activities END,
              CASE WHEN r_format < 0.55 THEN '{in_person}'::text[]
                   WHEN r_format < 0.92 THEN '{in_person,virtual}'::text[]
                   ELSE '{virtual}'::text[] END,
              CASE WHEN cardinality(year_groups) = 0 THEN '{5,6}' ELSE year_groups END,
              CASE WHEN cardinality(half_days) = 0 THEN ARRAY[floor(r_extra * 10)::smallint]
                   ELSE half_days END,
              (2 + floor(r_max * 5))::smallint,
              (CASE WHEN r_status < 0.9 THEN 'approved' WHEN r_status < 0.97 THEN 'pending'
                    ELSE 'rejected' END)::volunteer_status,
              CASE WHEN r_status >= 0.97 THEN 'Registration could not be confirmed' END,
              CASE WHEN r_status < 0.9 OR r_status >= 0.97
                   THEN now() - interval '1 day' * floor(r_created * 20) END,
              CASE WHEN r_status < 0.9 AND r_pause < 0.05
                   THEN now() - interval '1 day' * floor(r_pause * 600) END,
              now() - interval '1 day' * (30 + floor(r_created * 700)),
              now()
       FROM drawn`,
      [sizes.volunteers, ACTIVITIES, OFFERED_SHARE, PROFESSIONS, FIRST_NAMES],
    ),
  );
  if (reachTrigger) {
    await client.query(`ALTER TABLE volunteers ENABLE TRIGGER ${REACH_TRIGGER}`);
    await step('school reach counts', () => countSchoolReach(client));
  }

  await step('unavailability ranges', () =>
    run(
      `INSERT INTO volunteer_unavailability (volunteer_id, starts_on, ends_on)
       SELECT id, starts_on, starts_on + (2 + floor(random() * 19))::int
       FROM (SELECT id, $1::date + (floor(random() * 150) - 30)::int AS starts_on
             FROM volunteers WHERE random() < 0.05) v`,
      [today],
    ),
  );

  await step('past visits', () =>
    insertVisits(client, {
      count: sizes.pastVisits,
      fromDay: '0001-01-01',
      toDay: addDays(today, -1),
      status: `CASE WHEN r < 0.85 THEN 'completed' WHEN r < 0.9 THEN 'no_show' ELSE 'cancelled' END`,
    }),
  );
  await step('upcoming confirmed visits', () =>
    insertVisits(client, {
      count: sizes.upcomingVisits,
      fromDay: addDays(today, 1),
      toDay: addDays(today, HORIZON_DAYS),
      status: `'confirmed'`,
    }),
  );

  await step('open requests', () =>
    run(
      `WITH open_schools AS MATERIALIZED (
         SELECT row_number() OVER (ORDER BY urn) AS k, urn FROM schools
         WHERE status = 'open' AND latitude IS NOT NULL
       ), g AS MATERIALIZED (
         SELECT i, random() AS r_school, random() AS r_activity, random() AS r_format,
                random() AS r_years, random() AS r_pupils, random() AS r_wanted, random() AS r_created
         FROM generate_series(1, $1) i
       ), drawn AS (
         SELECT g.*, s.urn,
                (SELECT a FROM unnest($2::text[], $3::float8[]) AS t(a, upto)
                 WHERE g.r_activity < upto ORDER BY upto LIMIT 1) AS activity
         FROM g JOIN open_schools s
           ON s.k = 1 + floor(g.r_school * (SELECT count(*) FROM open_schools))::bigint
       )
       INSERT INTO visit_requests (school_urn, activity, format, year_groups, pupils,
         volunteers_wanted, supervisor, status, created_at, updated_at)
       SELECT urn, coalesce(activity, 'careers_talk'),
              CASE WHEN activity = 'virtual_qa' OR r_format < $4 THEN 'virtual' ELSE 'in_person' END,
              (ARRAY['{5,6}', '{6}', '{3,4}', '{1,2}', '{4,5,6}', '{1,2,3,4,5,6}'])[1 + floor(r_years * 6)::int]::smallint[],
              15 + floor(r_pupils * 106)::int,
              (1 + floor(r_wanted * 3))::smallint,
              'Head of year',
              'open',
              now() - interval '1 hour' * floor(r_created * 720),
              now()
       FROM drawn`,
      [sizes.requests, ACTIVITIES, cumulative(REQUESTED_SHARE), sizes.virtualShare],
    ),
  );

  await step('request slots', () =>
    run(
      `WITH times AS MATERIALIZED (
         SELECT row_number() OVER (ORDER BY starts_at) - 1 AS k, * FROM bench_times
         WHERE day BETWEEN $1::date AND $2::date
       ), n AS (SELECT count(*)::int AS n FROM times),
       counted AS MATERIALIZED (
         SELECT id, 1 + floor(random() * 3)::int AS count FROM visit_requests
       ), plan AS MATERIALIZED (
         SELECT c.*, floor(random() * n.n)::int AS base,
                1 + floor(random() * (n.n / c.count))::int AS stride
         FROM counted c, n
       )
       INSERT INTO request_slots (request_id, starts_at, ends_at, half_day, term_id)
       SELECT p.id, t.starts_at, t.starts_at + make_interval(mins => $3), t.half_day, t.term_id
       FROM plan p CROSS JOIN n CROSS JOIN LATERAL generate_series(0, p.count - 1) j
       JOIN times t ON t.k = (p.base + j * p.stride) % n.n`,
      [addDays(today, FIRST_SLOT_DAYS), addDays(today, HORIZON_DAYS), VISIT_MINUTES],
    ),
  );

  await step('invitations and offers', () =>
    run(
      `WITH asked AS MATERIALIZED (
         SELECT r.id AS request_id, so.outcode, 1 + floor(random() * 3)::int AS count
         FROM visit_requests r JOIN bench_school_outcode so ON so.urn = r.school_urn
         WHERE random() < 0.4
       ), near AS (
         SELECT outcode, array_agg(id) AS ids FROM volunteers WHERE status = 'approved' GROUP BY outcode
       ), picked AS MATERIALIZED (
         SELECT DISTINCT a.request_id, near.ids[1 + floor(random() * cardinality(near.ids))::int] AS volunteer_id
         FROM asked a JOIN near USING (outcode), generate_series(1, a.count)
       ), drawn AS (
         SELECT p.*, random() AS r_kind, random() AS r_status FROM picked p
       )
       INSERT INTO invitations (kind, request_id, slot_id, volunteer_id, status, term_id,
         expires_at, responded_at, created_at, updated_at)
       SELECT (CASE WHEN r_kind < 0.7 THEN 'invitation' ELSE 'offer' END)::invitation_kind,
              d.request_id, sl.id, d.volunteer_id,
              (CASE WHEN r_status < 0.6 THEN 'pending' WHEN r_status < 0.85 THEN 'declined'
                    WHEN r_status < 0.95 THEN 'expired' ELSE 'withdrawn' END)::invitation_status,
              sl.term_id,
              now() + interval '5 days',
              CASE WHEN r_status >= 0.6 AND r_status < 0.85 THEN now() - interval '1 hour' END,
              now() - interval '2 hours', now()
       FROM drawn d CROSS JOIN LATERAL (
         SELECT id, term_id FROM request_slots WHERE request_id = d.request_id
         ORDER BY starts_at LIMIT 1) sl`,
    ),
  );

  let accounts: VolunteerAccount[] = [];
  await step('volunteer accounts', async () => {
    const { rows } = await client.query<{ volunteer_id: string; email: string }>(
      `WITH picked AS MATERIALIZED (
         SELECT id, row_number() OVER () AS k FROM (
           SELECT id FROM volunteers
           WHERE status = 'approved' AND paused_at IS NULL AND user_id IS NULL
           ORDER BY random() LIMIT $1) v
       ), created AS (
         INSERT INTO users (email, password_hash, role)
         SELECT 'bench-volunteer-' || k || '@health-futures.test', $2, 'volunteer' FROM picked
         RETURNING id, email
       )
       UPDATE volunteers v SET user_id = c.id
       FROM picked p JOIN created c ON c.email::text = 'bench-volunteer-' || p.k || '@health-futures.test'
       WHERE v.id = p.id
       RETURNING v.id AS volunteer_id, c.email::text AS email`,
      [sizes.accounts, password.hash],
    );
    accounts = rows.map((row) => ({ volunteerId: row.volunteer_id, email: row.email }));
    return rows.length;
  });

  for (const [table, trigger] of PROFILE_TRIGGERS) {
    await client.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  }
  await step('matching profiles', async () => {
    await client.query('SELECT rebuild_matching_profiles()');
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM matching_profiles',
    );
    return rows[0].n;
  });

  // VACUUM as well: a database in service has been vacuumed, which index-only scans rely on.
  await step('VACUUM ANALYZE', async () => {
    await client.query('VACUUM ANALYZE');
    return 0;
  });
  return { steps, accounts };
}

const REACH_TRIGGER = 'tr_volunteers_school_reach';

const PROFILE_TRIGGERS = [
  ['volunteers', 'tr_volunteers_matching_profile'],
  ['visits', 'tr_visits_matching_profile'],
  ['invitations', 'tr_invitations_matching_profile'],
];

async function hasReachTrigger(client: Client): Promise<boolean> {
  const { rows } = await client.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_trigger
                    WHERE tgrelid = 'volunteers'::regclass AND tgname = $1) AS present`,
    [REACH_TRIGGER],
  );
  return rows[0].present;
}

/**
 * The number of active volunteers who have each school within their travel radius, as
 * rebuild_school_reach() counts it, but with each distance computed once per place rather than
 * once per volunteer (volunteers live at outcode centroids, so there are a few thousand places):
 * ten minutes become fifteen seconds. Five schools are then recounted by the schema's own
 * school trigger; any difference stops the benchmark, which would otherwise run on wrong data.
 */
async function countSchoolReach(client: Client): Promise<number> {
  await client.query('ANALYZE volunteers');
  await client.query(`
    CREATE TEMP TABLE bench_school_points AS
    SELECT urn, ll_to_earth(latitude, longitude) AS point FROM schools WHERE latitude IS NOT NULL`);
  await client.query('CREATE INDEX ON bench_school_points USING gist (point)');
  await client.query('ANALYZE bench_school_points');
  // A volunteer reaches a school at d metres when radius × 1000 ≥ d, that is when the radius is
  // at least k = ceil(d / 1000) km: each place's count of volunteers by minimum radius answers
  // for all its volunteers at once.
  const { rowCount } = await client.query(`
    WITH active AS (
      SELECT latitude, longitude, travel_radius_km FROM volunteers
      WHERE status = 'approved' AND paused_at IS NULL AND erased_at IS NULL AND latitude IS NOT NULL
    ), places AS MATERIALIZED (
      SELECT row_number() OVER () AS place, latitude, longitude,
             ll_to_earth(latitude, longitude) AS point, max(travel_radius_km) AS reach
      FROM active GROUP BY latitude, longitude
    ), at_least AS (
      SELECT p.place, k, count(*) AS volunteers
      FROM places p JOIN active v USING (latitude, longitude)
      JOIN generate_series(1, 80) k ON k <= v.travel_radius_km
      GROUP BY p.place, k
    ), pairs AS (
      SELECT p.place, s.urn, greatest(1, ceil(earth_distance(p.point, s.point) / 1000))::int AS k
      FROM places p JOIN bench_school_points s ON earth_box(p.point, p.reach * 1000) @> s.point
    )
    INSERT INTO school_reach (urn, volunteers)
    SELECT pairs.urn, sum(a.volunteers) FROM pairs JOIN at_least a USING (place, k)
    GROUP BY pairs.urn
    ON CONFLICT (urn) DO UPDATE SET volunteers = EXCLUDED.volunteers`);
  await client.query(`
    CREATE TEMP TABLE bench_reach_check AS
    SELECT s.urn, coalesce(r.volunteers, 0) AS volunteers
    FROM schools s LEFT JOIN school_reach r USING (urn)
    WHERE s.latitude IS NOT NULL ORDER BY md5(s.urn::text) LIMIT 5`);
  await client.query(
    'UPDATE schools SET latitude = latitude WHERE urn IN (SELECT urn FROM bench_reach_check)',
  );
  const { rows } = await client.query<{ urn: number; ours: number; theirs: number }>(`
    SELECT c.urn, c.volunteers AS ours, coalesce(r.volunteers, 0) AS theirs
    FROM bench_reach_check c LEFT JOIN school_reach r USING (urn)
    WHERE coalesce(r.volunteers, 0) <> c.volunteers`);
  if (rows.length) {
    throw new Error(
      `school_reach as seeded differs from the schema's own count (school ${rows[0].urn}: ` +
        `${rows[0].ours} here, ${rows[0].theirs} by its trigger): update countSchoolReach`,
    );
  }
  return rowCount ?? 0;
}

/** England's outcode centroids, as earth points with a GiST index for nearest-neighbour search. */
async function loadOutcodes(client: Client): Promise<void> {
  const english = [...OutcodeDirectory.load(OUTCODES_FILE).values()].filter((o) => o.region);
  await client.query(`
    CREATE TEMP TABLE bench_outcodes (
      outcode text PRIMARY KEY, region text, latitude float8, longitude float8, point earth)`);
  await client.query(
    `INSERT INTO bench_outcodes
     SELECT o, r, lat, lng, ll_to_earth(lat, lng)
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS t(o, r, lat, lng)`,
    [
      english.map((o) => o.outcode),
      english.map((o) => o.region),
      english.map((o) => o.latitude),
      english.map((o) => o.longitude),
    ],
  );
  await client.query('CREATE INDEX ON bench_outcodes USING gist (point)');
}

/**
 * Every school day the calendar knows, with the instants visits may start at, computed by the
 * service's own calendar code (term, half-day code, London clock changes).
 */
async function loadCalendar(client: Client, calendar: TermCalendar): Promise<void> {
  const days: string[] = [];
  const terms: string[] = [];
  const starts: string[] = [];
  const halfDays: number[] = [];
  for (let day = calendar.coverage.from; day <= calendar.coverage.to; day = addDays(day, 1)) {
    if (!calendar.isSchoolDay(day)) continue;
    const term = calendar.termOf(day)!.id;
    for (const [hour, minute] of START_TIMES) {
      const instant = londonInstant(day, hour, minute);
      days.push(day);
      terms.push(term);
      starts.push(instant.toISOString());
      halfDays.push(halfDayCode(instant)!);
    }
  }
  await client.query(`
    CREATE TEMP TABLE bench_times (
      day date, term_id text, starts_at timestamptz, half_day smallint)`);
  await client.query(
    `INSERT INTO bench_times
     SELECT * FROM unnest($1::date[], $2::text[], $3::timestamptz[], $4::smallint[])`,
    [days, terms, starts, halfDays],
  );
  await client.query('CREATE INDEX ON bench_times (day)');
}

/**
 * Gives each open school its nearest outcode, then weights outcodes by how many schools they
 * are nearest to: volunteers are drawn by those weights, so they live where the schools are.
 * About 60 % of the schools are "engaged"; past visits go to engaged schools near the volunteer,
 * so the others stay without a recent visit, as high-need opportunities need.
 */
async function placeVolunteersBySchools(client: Client): Promise<number> {
  await client.query(`
    CREATE TEMP TABLE bench_school_outcode AS
    SELECT s.urn, n.outcode, random() < 0.6 AS engaged
    FROM schools s CROSS JOIN LATERAL (
      SELECT o.outcode FROM bench_outcodes o
      ORDER BY o.point <-> ll_to_earth(s.latitude, s.longitude) LIMIT 1) n
    WHERE s.status = 'open' AND s.latitude IS NOT NULL`);
  const { rowCount } = await client.query(`
    CREATE TEMP TABLE bench_places AS
    WITH weights AS (
      SELECT o.outcode, o.region, o.latitude, o.longitude, count(*) AS schools,
             coalesce(array_agg(so.urn) FILTER (WHERE so.engaged), array_agg(so.urn)) AS visited_urns
      FROM bench_school_outcode so JOIN bench_outcodes o USING (outcode)
      GROUP BY o.outcode, o.region, o.latitude, o.longitude
    )
    SELECT w.*,
           sum(schools) OVER (ORDER BY outcode)::float8 / sum(schools) OVER () AS hi
    FROM weights w`);
  await client.query('CREATE INDEX ON bench_places (hi)');
  await client.query('CREATE INDEX ON bench_places (outcode)');
  return rowCount ?? 0;
}

/**
 * Visits of approved volunteers, on school days in [fromDay, toDay]. How many each volunteer
 * gets follows an exponential weight (a few regulars, many occasional). A volunteer's visits
 * fall on distinct days (base + j × stride, with stride × count < days), so they never
 * overlap nor break the travel gap the exclusion constraints enforce.
 */
async function insertVisits(
  client: Client,
  options: { count: number; fromDay: string; toDay: string; status: string },
): Promise<number> {
  if (options.count === 0) return 0;
  const { rowCount } = await client.query(
    `WITH days AS MATERIALIZED (
       SELECT array_agg(DISTINCT day ORDER BY day) AS days FROM bench_times
       WHERE day BETWEEN $2::date AND $3::date
     ), d AS (SELECT days, cardinality(days) AS n FROM days),
     pool AS MATERIALIZED (
       SELECT id, outcode, -ln(1 - random()) AS weight FROM volunteers WHERE status = 'approved'
     ), plan AS MATERIALIZED (
       SELECT p.id, p.outcode, c.count, floor(random() * d.n)::int AS base,
              1 + floor(random() * (d.n / c.count))::int AS stride
       FROM pool p, d,
            LATERAL (SELECT greatest(1, least(ceil(p.weight * $1::int / (SELECT sum(weight) FROM pool)), d.n))::int AS count) c
     ), visits AS MATERIALIZED (
       SELECT p.id AS volunteer_id, p.outcode,
              d.days[1 + (p.base + j * p.stride) % d.n] AS day,
              floor(random() * ${START_TIMES.length})::int AS time_index,
              random() AS r, random() AS r_school, random() AS r_detail
       FROM plan p, d, generate_series(0, p.count - 1) j
       LIMIT $1::int
     ), timed AS (
       SELECT v.*, t.starts_at, t.term_id
       FROM visits v CROSS JOIN LATERAL (
         SELECT starts_at, term_id FROM bench_times bt WHERE bt.day = v.day
         ORDER BY starts_at OFFSET v.time_index LIMIT 1) t
     ), placed AS (
       SELECT t.*, pl.visited_urns[1 + floor(t.r_school * cardinality(pl.visited_urns))::int] AS school_urn,
              ${options.status} AS status
       FROM timed t JOIN bench_places pl USING (outcode)
     )
     INSERT INTO visits (volunteer_id, school_urn, starts_at, ends_at, status, pupils_reached,
       term_id, cancel_reason, cancelled_by)
     SELECT volunteer_id, school_urn, starts_at, starts_at + make_interval(mins => $4),
            status::visit_status,
            CASE WHEN status = 'completed' THEN 15 + floor(r_detail * 106)::int END,
            term_id,
            CASE WHEN status = 'cancelled' THEN 'Could not make it' END,
            CASE WHEN status = 'cancelled' THEN
              CASE WHEN r_detail < 0.4 THEN 'volunteer' ELSE 'school' END END
     FROM placed`,
    [options.count, options.fromDay, options.toDay, VISIT_MINUTES],
  );
  return rowCount ?? 0;
}

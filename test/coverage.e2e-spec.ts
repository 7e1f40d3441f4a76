import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { londonDate } from '../src/calendar/london-time';
import { bearer, coordinatorToken, signUp } from './support/accounts';
import { createTestApp, TestApp } from './support/app';

const PLYMOUTH_GROVE = 105443; // Manchester, North West, high-need
const ALDGATE = 100000; // City of London, London, not high-need

const daysAgo = (days: number) => londonDate(new Date(Date.now() - days * 86_400_000));

type Row = Record<string, number | string | null>;

describe('coverage for coordinators', () => {
  let t: TestApp;
  let coordinator: string;
  let before: Row[];

  beforeAll(async () => {
    t = await createTestApp();
    coordinator = await coordinatorToken(t);
    before = (await request(t.http).get('/coverage/regions').set(bearer(coordinator)).expect(200))
      .body;
  });
  afterAll(() => t.close());

  const regions = async (query: Record<string, string> = {}): Promise<Row[]> =>
    (
      await request(t.http)
        .get('/coverage/regions')
        .query(query)
        .set(bearer(coordinator))
        .expect(200)
    ).body;
  const row = (rows: Row[], region: string) => rows.find((r) => r.region === region)!;
  const laRow = async (la: string) =>
    (
      (
        await request(t.http)
          .get('/coverage/local-authorities')
          .query({ region: 'North West' })
          .set(bearer(coordinator))
          .expect(200)
      ).body as Row[]
    ).find((r) => r.laCode === la)!;

  it('starts with nothing reached, schools as in the register, and a national total that adds up', async () => {
    expect(before.map((r) => r.region)).toEqual([
      'East Midlands',
      'East of England',
      'London',
      'North East',
      'North West',
      'South East',
      'South West',
      'West Midlands',
      'Yorkshire and The Humber',
      'England',
    ]);
    expect(row(before, 'North East').schools).toBe(860);
    expect(row(before, 'South East').schools).toBe(2593);
    const [{ highNeed }] = await t.dataSource.query(
      `SELECT count(*)::int AS "highNeed" FROM schools WHERE status = 'open' AND high_need`,
    );
    const england = row(before, 'England');
    expect(england).toMatchObject({
      schools: 16737,
      highNeedSchools: highNeed,
      reached: 0,
      pupilsReached: 0,
    });
    for (const key of [
      'schools',
      'highNeedSchools',
      'reached',
      'coldSpots',
      'schoolsWithinReach',
    ]) {
      const sum = before
        .filter((r) => r.region !== 'England')
        .reduce((total, r) => total + Number(r[key]), 0);
      expect(sum).toBe(england[key]);
    }
    // With no volunteers, every high-need school is a cold spot.
    expect(england.coldSpots).toBe(highNeed);
  });

  it('says when its figures were taken, and takes them again after a change', async () => {
    const asOf = async (query: Record<string, string> = {}) => {
      const response = await request(t.http)
        .get('/coverage/regions')
        .query(query)
        .set(bearer(coordinator))
        .expect(200);
      return new Date(response.headers['coverage-as-of'] as string).getTime();
    };
    const first = await asOf();
    expect(Number.isNaN(first)).toBe(false);
    // Nothing changed: the same snapshot answers.
    expect(await asOf()).toBe(first);
    await t.dataSource.query(
      `INSERT INTO outreach_records (school_urn, occurred_on, pupils_reached, activity)
       VALUES ($1, current_date - 400, 1, 'other')`,
      [PLYMOUTH_GROVE],
    );
    const second = await asOf();
    expect(second).toBeGreaterThan(first);
    await t.dataSource.query(`DELETE FROM outreach_records WHERE occurred_on = current_date - 400`);
    expect(await asOf()).toBeGreaterThan(second);
    // An explicit window is computed there and then.
    expect(await asOf({ since: '2020-01-01' })).toBeGreaterThan(first);
  });

  it('counts outreach recorded elsewhere in exactly its region and local authority', async () => {
    const manchesterBefore = await laRow('352');
    await request(t.http)
      .post('/coverage/outreach')
      .set(bearer(coordinator))
      .send({ urn: PLYMOUTH_GROVE, date: daysAgo(10), pupilsReached: 60, activity: 'careers_talk' })
      .expect(201);
    await request(t.http)
      .post('/coverage/outreach')
      .set(bearer(coordinator))
      .send({ urn: ALDGATE, date: daysAgo(20), pupilsReached: 28, activity: 'science_workshop' })
      .expect(201);
    // Too long ago for the default window of 365 days.
    await request(t.http)
      .post('/coverage/outreach')
      .set(bearer(coordinator))
      .send({ urn: ALDGATE, date: daysAgo(400), pupilsReached: 500, activity: 'other' })
      .expect(201);

    const after = await regions();
    expect(row(after, 'North West')).toMatchObject({
      reached: Number(row(before, 'North West').reached) + 1,
      highNeedReached: Number(row(before, 'North West').highNeedReached) + 1,
      pupilsReached: Number(row(before, 'North West').pupilsReached) + 60,
      coldSpots: Number(row(before, 'North West').coldSpots) - 1,
    });
    expect(row(after, 'London')).toMatchObject({
      reached: 1,
      highNeedReached: 0,
      pupilsReached: 28,
    });
    expect(row(after, 'England')).toMatchObject({
      reached: 2,
      highNeedReached: 1,
      pupilsReached: 88,
    });
    expect(row(after, 'North East')).toEqual(row(before, 'North East'));

    const manchester = await laRow('352');
    expect(manchester).toMatchObject({
      laName: 'Manchester',
      reached: Number(manchesterBefore.reached) + 1,
      highNeedReached: Number(manchesterBefore.highNeedReached) + 1,
      pupilsReached: Number(manchesterBefore.pupilsReached) + 60,
    });

    // A window reaching back further counts the old outreach too.
    const longer = await regions({ since: daysAgo(500) });
    expect(row(longer, 'London')).toMatchObject({ reached: 1, pupilsReached: 528 });

    // The school's need score no longer carries an outreach gap.
    const school = await request(t.http).get(`/schools/${PLYMOUTH_GROVE}`).expect(200);
    expect(school.body.need.outreachGap).toBe(0);
  });

  it('counts completed visits in the window only: not cancelled, not still to come, not too old', async () => {
    const [{ id: volunteerId }] = await t.dataSource.query(
      `INSERT INTO volunteers (display_name, profession, status) VALUES ('Anon Visitor', 'nurse', 'approved') RETURNING id`,
    );
    await t.dataSource.query(
      `INSERT INTO visits (volunteer_id, school_urn, starts_at, ends_at, status, pupils_reached) VALUES
         ($1, 100008, now() - interval '30 days', now() - interval '30 days' + interval '1 hour', 'completed', 45),
         ($1, 100008, now() - interval '40 days', now() - interval '40 days' + interval '1 hour', 'cancelled', NULL),
         ($1, 100008, now() + interval '5 days', now() + interval '5 days 1 hour', 'confirmed', NULL),
         ($1, 100008, now() - interval '500 days', now() - interval '500 days' + interval '1 hour', 'completed', 99)`,
      [volunteerId],
    );
    const after = await regions();
    // Argyle Primary School (100008, Camden) is high-need: one more school and 45 more pupils.
    expect(row(after, 'London')).toMatchObject({
      reached: 2,
      highNeedReached: 1,
      pupilsReached: 73,
    });

    const trend = (
      await request(t.http)
        .get('/coverage/trend')
        .query({ months: 3 })
        .set(bearer(coordinator))
        .expect(200)
    ).body as Row[];
    expect(trend).toHaveLength(3);
    const total = trend.reduce((sum, r) => sum + Number(r.visitsCompleted), 0);
    const reachedInTrend = trend.reduce((sum, r) => sum + Number(r.pupilsReached), 0);
    expect(total).toBe(3); // two outreach records and one visit in the last three months
    expect(reachedInTrend).toBe(60 + 28 + 45);
  });

  it('reports equity by FSM quintile and progress towards a volunteer for every school', async () => {
    const equity = (
      await request(t.http).get('/coverage/equity').set(bearer(coordinator)).expect(200)
    ).body;
    expect(equity.campaign).toMatchObject({ schools: 16737, reached: 3 });
    expect(equity.campaign.progressPct).toBeCloseTo((100 * 3) / 16737, 1);
    const national = equity.rows.filter((r: Row) => r.region === 'England');
    expect(national.map((r: Row) => r.fsmQuintile)).toEqual([
      'Q1',
      'Q2',
      'Q3',
      'Q4',
      'Q5',
      'unknown',
    ]);
    expect(national.reduce((sum: number, r: Row) => sum + Number(r.schools), 0)).toBe(16737);
    expect(national.reduce((sum: number, r: Row) => sum + Number(r.schoolsReached), 0)).toBe(3);
    // Plymouth Grove (52 % FSM) and Argyle (55 %) sit in the top quintile.
    expect(national.find((r: Row) => r.fsmQuintile === 'Q5').schoolsReached).toBe(2);
  });

  it('takes a cold spot off the list once a volunteer can reach it, and puts it back when they pause', async () => {
    const list = async () =>
      (
        await request(t.http)
          .get('/coverage/cold-spots')
          .query({ la: '352', limit: 100 })
          .set(bearer(coordinator))
          .expect(200)
      ).body;
    const initial = await list();
    expect(initial.total).toBeGreaterThan(0);
    const spot = initial.items[0];
    expect(spot).toMatchObject({
      laName: 'Manchester',
      nearestVolunteerKm: null,
      daysSinceLastVisit: null,
    });
    expect(initial.items.map((s: Row) => s.urn)).not.toContain(PLYMOUTH_GROVE);
    const needs = initial.items.map((s: Row) => Number(s.needScore));
    expect(needs).toEqual([...needs].sort((a, b) => b - a));

    const [school] = await t.dataSource.query('SELECT postcode FROM schools WHERE urn = $1', [
      spot.urn,
    ]);
    const token = await signUp(t, 'reacher@example.org', 'volunteer');
    const { id } = (
      await request(t.http)
        .post('/volunteers')
        .set(bearer(token))
        .send({
          displayName: 'Rea Cher',
          profession: 'pharmacist',
          postcode: school.postcode,
          travelRadiusKm: 3,
        })
        .expect(201)
    ).body;
    // Pending volunteers reach nobody yet.
    expect((await list()).items.map((s: Row) => s.urn)).toContain(spot.urn);

    await request(t.http)
      .post(`/volunteers/${id}/approve`)
      .set(bearer(coordinator))
      .send({})
      .expect(200);
    const covered = await list();
    expect(covered.items.map((s: Row) => s.urn)).not.toContain(spot.urn);
    expect(covered.total).toBeLessThan(initial.total);

    await request(t.http).post('/volunteers/me/pause').set(bearer(token)).expect(200);
    const paused = await list();
    expect(paused.items.map((s: Row) => s.urn)).toContain(spot.urn);
    expect(paused.total).toBe(initial.total);

    await request(t.http).post('/volunteers/me/resume').set(bearer(token)).expect(200);
    const resumed = await list();
    expect(resumed.total).toBe(covered.total);
    const nearest = resumed.items[0];
    expect(nearest.nearestVolunteerKm).toBeGreaterThan(0);
    const nw = row(await regions(), 'North West');
    expect(nw.volunteers).toBe(1);
    expect(Number(nw.schoolsWithinReach)).toBeGreaterThan(0);
  });

  it('keeps the reach counts exactly as a count from scratch would give them', async () => {
    const counted = await t.dataSource.query(
      'SELECT urn, volunteers FROM school_reach WHERE volunteers > 0 ORDER BY urn',
    );
    expect(counted.length).toBeGreaterThan(0);
    await t.dataSource.query('SELECT rebuild_school_reach()');
    const rebuilt = await t.dataSource.query(
      'SELECT urn, volunteers FROM school_reach WHERE volunteers > 0 ORDER BY urn',
    );
    expect(rebuilt).toEqual(counted);
  });

  it('answers CSV with the same figures, and GeoJSON with the boundaries', async () => {
    const json = await regions();
    const csv = await request(t.http)
      .get('/coverage/regions')
      .query({ format: 'csv' })
      .set(bearer(coordinator))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const parsed = parse(csv.text, { columns: true, cast: true }) as Row[];
    expect(parsed).toHaveLength(json.length);
    for (const r of json) {
      const fromCsv = parsed.find((p) => p.region === r.region)!;
      for (const key of [
        'schools',
        'highNeedSchools',
        'reached',
        'highNeedReached',
        'coldSpots',
        'pupilsReached',
      ]) {
        expect(fromCsv[key]).toBe(r[key]);
      }
    }
    const byAccept = await request(t.http)
      .get('/coverage/local-authorities')
      .set('Accept', 'text/csv')
      .set(bearer(coordinator))
      .expect(200);
    // Every LA with an open primary school: all but the Isles of Scilly (whose school is all-through).
    expect((parse(byAccept.text, { columns: true }) as Row[]).length).toBe(152);

    const regionMap = await request(t.http)
      .get('/coverage/map.geojson')
      .set(bearer(coordinator))
      .expect(200);
    const collection = JSON.parse(regionMap.text);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(9);
    const northWest = collection.features.find(
      (f: { properties: Row }) => f.properties.name === 'North West',
    );
    expect(northWest.properties).toMatchObject({ reached: row(json, 'North West').reached });
    expect(['Polygon', 'MultiPolygon']).toContain(northWest.geometry.type);
    const laMap = await request(t.http)
      .get('/coverage/map.geojson')
      .query({ level: 'la' })
      .set(bearer(coordinator))
      .expect(200);
    expect(JSON.parse(laMap.text).features).toHaveLength(153);
  });

  it('imports, lists and deletes outreach, reporting bad rows', async () => {
    const csv = [
      'urn,date,pupils_reached,activity',
      `105443,${daysAgo(3)},30,reading`,
      `999999999,${daysAgo(3)},30,reading`,
      `100000,not-a-date,30,reading`,
      `100000,${daysAgo(-10)},30,reading`,
      `100000,${daysAgo(3)},lots,reading`,
      `100000,${daysAgo(3)},30,juggling`,
    ].join('\n');
    const imported = await request(t.http)
      .post('/coverage/outreach/import')
      .set(bearer(coordinator))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(imported.body.recorded).toBe(1);
    expect(imported.body.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4, 5, 6, 7]);
    expect(imported.body.rejected[0].reason).toMatch(/no school has URN 999999999/);

    const listed = await request(t.http)
      .get('/coverage/outreach')
      .query({ urn: PLYMOUTH_GROVE })
      .set(bearer(coordinator))
      .expect(200);
    expect(listed.body.total).toBe(2);
    const pupilsBefore = Number(row(await regions(), 'North West').pupilsReached);
    await request(t.http)
      .delete(`/coverage/outreach/${listed.body.items[0].id}`)
      .set(bearer(coordinator))
      .expect(204);
    expect(Number(row(await regions(), 'North West').pupilsReached)).toBe(pupilsBefore - 30);
    await request(t.http)
      .delete(`/coverage/outreach/${listed.body.items[0].id}`)
      .set(bearer(coordinator))
      .expect(404);

    const bad = await request(t.http)
      .post('/coverage/outreach')
      .set(bearer(coordinator))
      .send({ urn: PLYMOUTH_GROVE, date: daysAgo(-5), pupilsReached: 10, activity: 'reading' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('date');
    const huge = await request(t.http)
      .post('/coverage/outreach')
      .set(bearer(coordinator))
      .send({ urn: 99999999999, date: daysAgo(1), pupilsReached: 10, activity: 'reading' })
      .expect(400);
    expect(huge.body.errors[0].field).toBe('urn');
  });

  it('is for coordinators and admins only', async () => {
    const volunteer = await signUp(t, 'curious@example.org', 'volunteer');
    const staff = await signUp(t, 'staff@example.org', 'school_staff');
    for (const path of [
      '/coverage/regions',
      '/coverage/local-authorities',
      '/coverage/cold-spots',
      '/coverage/equity',
      '/coverage/trend',
      '/coverage/map.geojson',
      '/coverage/outreach',
    ]) {
      await request(t.http).get(path).set(bearer(volunteer)).expect(403);
      await request(t.http).get(path).set(bearer(staff)).expect(403);
      await request(t.http).get(path).expect(401);
    }
    await request(t.http)
      .post('/coverage/outreach')
      .set(bearer(staff))
      .send({ urn: PLYMOUTH_GROVE, date: daysAgo(1), pupilsReached: 10, activity: 'reading' })
      .expect(403);
    await request(t.http).get('/coverage/since-when').set(bearer(coordinator)).expect(404);
    await request(t.http)
      .get('/coverage/regions')
      .query({ since: 'yesterday' })
      .set(bearer(coordinator))
      .expect(400);
  });
});

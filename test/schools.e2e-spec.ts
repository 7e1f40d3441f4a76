import request from 'supertest';
import { createTestApp, TestApp } from './support/app';

describe('schools API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('holds all 16,737 open primary schools of the bundled register', async () => {
    const response = await request(t.http).get('/schools').expect(200);
    expect(response.body.total).toBe(16737);
    expect(response.body.items).toHaveLength(20);
  });

  it('finds real Manchester schools near M13 9PL, nearest first', async () => {
    const response = await request(t.http)
      .get('/schools')
      .query({ postcode: 'M13 9PL', radiusKm: 2 })
      .expect(200);
    const { items, total } = response.body;
    expect(total).toBeGreaterThan(5);
    expect(items.every((s: { laName: string }) => s.laName === 'Manchester')).toBe(true);
    const distances = items.map((s: { distanceKm: number }) => s.distanceKm);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(Math.max(...distances)).toBeLessThanOrEqual(2);
  });

  it('returns one school by URN', async () => {
    const response = await request(t.http).get('/schools/100000').expect(200);
    expect(response.body).toMatchObject({
      urn: 100000,
      name: 'The Aldgate School',
      status: 'open',
      laCode: '201',
      laName: 'City of London',
      region: 'London',
      postcode: 'EC3A 5DE',
      pupils: 271,
      percentFsm: 18.1,
    });
    expect(response.body.needScore).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown URN and 400 for a malformed one', async () => {
    await request(t.http).get('/schools/999999999').expect(404);
    // Too large for the register's integer column: still a 400, not a database error.
    await request(t.http).get('/schools/99999999999').expect(400);
    await request(t.http).get('/schools/0').expect(400);
    const bad = await request(t.http).get('/schools/abc').expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'urn' });
  });

  it('answers 400 naming the postcode field for a bad postcode', async () => {
    const response = await request(t.http)
      .get('/schools')
      .query({ postcode: 'NOT A POSTCODE' })
      .expect(400);
    expect(response.body.errors[0].field).toBe('postcode');
  });
});

describe('schools API filters and pagination', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const search = (query: Record<string, string | number | boolean>) =>
    request(t.http).get('/schools').query(query);

  it('finds schools by part of the name, ignoring case, and by URN', async () => {
    const byName = await search({ q: 'aldgate' }).expect(200);
    expect(byName.body.items.map((s: { urn: number }) => s.urn)).toContain(100000);
    expect(byName.body.items.every((s: { name: string }) => /aldgate/i.test(s.name))).toBe(true);

    const byUrn = await search({ q: '100008' }).expect(200);
    expect(byUrn.body.items[0]).toMatchObject({ urn: 100008, name: 'Argyle Primary School' });

    // Wildcards in the text are taken literally.
    expect((await search({ q: '%%' }).expect(200)).body.total).toBe(0);
  });

  it('filters by region (name or code), local authority (DfE or ONS code), high need and phase', async () => {
    const northEast = await search({ region: 'north east', pageSize: 1 }).expect(200);
    expect(northEast.body.total).toBe(860);
    expect((await search({ region: 'E12000001', pageSize: 1 }).expect(200)).body.total).toBe(860);

    const manchester = await search({ la: '352', pageSize: 100 }).expect(200);
    expect(manchester.body.items.every((s: { laName: string }) => s.laName === 'Manchester')).toBe(
      true,
    );
    expect((await search({ la: 'E08000003', pageSize: 1 }).expect(200)).body.total).toBe(
      manchester.body.total,
    );

    const highNeed = await search({ la: '352', highNeed: true, pageSize: 100 }).expect(200);
    expect(highNeed.body.total).toBeGreaterThan(0);
    expect(highNeed.body.total).toBeLessThan(manchester.body.total);
    expect(highNeed.body.items.every((s: { highNeed: boolean }) => s.highNeed)).toBe(true);
    const notHighNeed = await search({ la: '352', highNeed: false, pageSize: 1 }).expect(200);
    expect(notHighNeed.body.total + highNeed.body.total).toBe(manchester.body.total);

    expect((await search({ phase: 'Middle deemed primary' }).expect(200)).body.total).toBe(7);
  });

  it('pages through results without overlap', async () => {
    const first = await search({ la: '352', pageSize: 10, page: 1 }).expect(200);
    const second = await search({ la: '352', pageSize: 10, page: 2 }).expect(200);
    expect(second.body).toMatchObject({ page: 2, pageSize: 10, total: first.body.total });
    const firstUrns = first.body.items.map((s: { urn: number }) => s.urn);
    expect(second.body.items.some((s: { urn: number }) => firstUrns.includes(s.urn))).toBe(false);

    const beyond = await search({ la: '352', pageSize: 10, page: 1000 }).expect(200);
    expect(beyond.body).toMatchObject({ items: [], total: first.body.total });
  });

  it('accepts a postcode district as well as a full postcode, default radius 5 km', async () => {
    const district = await search({ postcode: 'm13' }).expect(200);
    expect(district.body.total).toBeGreaterThan(20);
    expect(
      Math.max(...district.body.items.map((s: { distanceKm: number }) => s.distanceKm)),
    ).toBeLessThanOrEqual(5);
  });

  it('answers 400 naming the field and rule for bad parameters', async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ pageSize: 101 }, 'pageSize'],
      [{ page: 0 }, 'page'],
      [{ highNeed: 'maybe' }, 'highNeed'],
      [{ status: 'demolished' }, 'status'],
      [{ la: 'Manchester' }, 'la'],
      [{ postcode: 'ZZ99 9ZZ' }, 'postcode'],
      [{ postcode: 'M13', radiusKm: 500 }, 'radiusKm'],
      [{ radiusKm: 2 }, 'radiusKm'],
      [{ colour: 'blue' }, 'colour'],
    ];
    for (const [query, field] of cases) {
      const response = await search(query).expect(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, rule: expect.any(String) })]),
      );
    }
  });

  it('says that an unknown postcode district is unknown', async () => {
    const response = await search({ postcode: 'ZZ99 9ZZ' }).expect(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'postcode', rule: 'unknown_outcode' });
  });
});

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

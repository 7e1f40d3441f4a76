import request from 'supertest';
import { createTestApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';

describe('starting on an empty database', () => {
  let database: TestDatabase;
  let instances: TestApp[];

  beforeAll(async () => {
    database = await createTestDatabase('empty');
    // Two instances start at once against one database, as behind a load balancer.
    instances = await Promise.all(
      [1, 2].map(() => createTestApp({ database, env: { IMPORT_REGISTER_ON_START: 'true' } })),
    );
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await database.drop();
  });

  it('imports the bundled register exactly once: all 16,737 open primary schools', async () => {
    for (const instance of instances) {
      const response = await request(instance.http).get('/schools').expect(200);
      expect(response.body.total).toBe(16737);
    }
    const [{ highNeed }] = await instances[0].dataSource.query(
      `SELECT count(*) FILTER (WHERE high_need)::int AS "highNeed" FROM schools`,
    );
    // At or above the 80th percentile: about a fifth of the schools that have an FSM figure.
    expect(highNeed).toBeGreaterThan(3200);
    expect(highNeed).toBeLessThan(3400);
  });

  it('creates one bootstrap administrator', async () => {
    const [{ admins }] = await instances[0].dataSource.query(
      `SELECT count(*)::int AS admins FROM users WHERE role = 'admin'`,
    );
    expect(admins).toBe(1);
  });
});

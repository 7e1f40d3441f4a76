import request from 'supertest';
import { DataSource } from 'typeorm';
import { runMigrations } from '../src/database/advisory-lock';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestApp, TestApp } from './support/app';
import { adminQuery, createTestDatabase, whileDatabaseUnavailable } from './support/database';

describe('database', () => {
  it('has entities that agree with the migrations: the schema builder finds nothing to change', async () => {
    const database = await createTestDatabase('empty');
    const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('runs migrations once when several instances start at the same time', async () => {
    const database = await adminQuery('SELECT 1').then(() => createBlankDatabase());
    const instances = await Promise.all(
      [1, 2, 3].map(() => new DataSource(dataSourceOptions(database.url)).initialize()),
    );
    try {
      const applied = await Promise.all(instances.map((instance) => runMigrations(instance)));
      expect(applied.map((migrations) => migrations.length).sort()).toEqual([
        0,
        0,
        instances[0].migrations.length,
      ]);
      const extensions = await instances[0].query<{ extname: string }[]>(
        `SELECT extname FROM pg_extension WHERE extname IN ('cube', 'earthdistance', 'btree_gist', 'citext') ORDER BY 1`,
      );
      expect(extensions.map((e) => e.extname)).toEqual([
        'btree_gist',
        'citext',
        'cube',
        'earthdistance',
      ]);
    } finally {
      await Promise.all(instances.map((instance) => instance.destroy()));
      await database.drop();
    }
  });

  describe('health', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ template: 'empty' });
    });
    afterAll(() => t.close());

    it('is 200 with the database up and 503 when it is down', async () => {
      const up = await request(t.http).get('/health').expect(200);
      expect(up.body.info.database.status).toBe('up');

      await whileDatabaseUnavailable(t.databaseUrl, async () => {
        const down = await request(t.http).get('/health').expect(503);
        expect(down.body.details.database.status).toBe('down');
      });
      await request(t.http).get('/health').expect(200);
    });
  });
});

/** A database with no schema at all, to watch migrations run from nothing. */
async function createBlankDatabase() {
  const name = `health_futures_test_blank_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_ADMIN_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE ${name} WITH (FORCE)`) };
}

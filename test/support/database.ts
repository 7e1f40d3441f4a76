import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEMPLATE_EMPTY = 'health_futures_test_template_empty';
export const TEMPLATE_REGISTER = 'health_futures_test_template_register';

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of the test file's own, copied from a migrated template (with or without the register). */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(
  template: 'register' | 'empty' = 'register',
): Promise<TestDatabase> {
  const name = `health_futures_test_${randomBytes(6).toString('hex')}`;
  const source = template === 'register' ? TEMPLATE_REGISTER : TEMPLATE_EMPTY;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${source}`));
  return {
    url: withDatabaseName(process.env.TEST_ADMIN_DATABASE_URL!, name),
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** Runs SQL against the cluster's maintenance database (e.g. to take a test database away). */
export function adminQuery(sql: string, params: unknown[] = []) {
  return admin((client) => client.query(sql, params));
}

/** Makes a test database refuse connections (and drops those it has) while `work` runs. */
export async function whileDatabaseUnavailable(
  url: string,
  work: () => Promise<void>,
): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
    name,
  ]);
  try {
    await work();
  } finally {
    await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  }
}

import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrations } from '../src/database/advisory-lock';
import { dataSourceOptions } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { OutcodeDirectory } from '../src/postcodes/outcode-directory';
import { importEdition } from '../src/schools/register/import-edition';
import { readRegisterFile } from '../src/schools/register/register-file';
import { registerLookups } from '../src/schools/register/register-lookups';
import { BUNDLED_REGISTER } from '../src/schools/register/school-register.service';

export interface BenchDatabase {
  url: string;
  where: string;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL in a temporary folder, or a fresh database in DATABASE_URL's server. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `health_futures_bench_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      where: `database ${name} on the DATABASE_URL server`,
      stop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'health-futures-bench-'));
  await chmod(dir, 0o755); // PostgreSQL runs as the postgres user when this runs as root
  try {
    const database = await startEmbeddedPostgres({
      dir: join(dir, 'pg'),
      databaseName: 'health_futures_bench',
    });
    return {
      url: database.url,
      where: `embedded PostgreSQL in ${dir}`,
      stop: async () => {
        await database.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Migrates the database and imports the bundled register; answers how many schools. */
export async function prepareSchema(url: string): Promise<number> {
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    await runMigrations(dataSource);
    const summary = await importEdition(
      dataSource,
      await readRegisterFile(BUNDLED_REGISTER, registerLookups(new OutcodeDirectory())),
    );
    return summary.inserted;
  } finally {
    await dataSource.destroy();
  }
}

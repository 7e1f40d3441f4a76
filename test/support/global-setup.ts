import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrations } from '../../src/database/advisory-lock';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { OutcodeDirectory } from '../../src/postcodes/outcode-directory';
import { readRegisterFile } from '../../src/schools/register/register-file';
import { registerLookups } from '../../src/schools/register/register-lookups';
import { BUNDLED_REGISTER } from '../../src/schools/register/school-register.service';
import { importEdition } from '../../src/schools/register/import-edition';
import { TEMPLATE_EMPTY, TEMPLATE_REGISTER, withDatabaseName } from './database';

/**
 * One PostgreSQL cluster for the whole run (or the server in DATABASE_URL). Two template
 * databases are prepared once: migrated and empty, and migrated with the bundled register.
 * Each test file then copies one of them into a database of its own.
 */
export default async function globalSetup() {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'health-futures-test-'));
    await chmod(dir, 0o755); // the server runs as the postgres user when tests run as root
    const database = await startEmbeddedPostgres({
      dir: join(dir, 'pg'),
      databaseName: 'postgres',
      serverFlags: [
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
    });
    Object.assign(globalThis, { embeddedTestDatabase: database, embeddedTestDir: dir });
    adminUrl = database.url;
  }
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of [TEMPLATE_REGISTER, TEMPLATE_EMPTY]) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${TEMPLATE_EMPTY}`);
    const empty = await new DataSource(
      dataSourceOptions(withDatabaseName(adminUrl, TEMPLATE_EMPTY)),
    ).initialize();
    await runMigrations(empty);
    await empty.destroy();

    await admin.query(`CREATE DATABASE ${TEMPLATE_REGISTER} TEMPLATE ${TEMPLATE_EMPTY}`);
    const register = await new DataSource(
      dataSourceOptions(withDatabaseName(adminUrl, TEMPLATE_REGISTER)),
    ).initialize();
    await importEdition(
      register,
      await readRegisterFile(BUNDLED_REGISTER, registerLookups(new OutcodeDirectory())),
    );
    await register.destroy();
  } finally {
    await admin.end();
  }
}

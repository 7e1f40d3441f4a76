import { DataSource } from 'typeorm';
import { createLogger } from '../common/logging';
import { ConfigError, loadConfig } from '../config/config';
import { runMigrations } from '../database/advisory-lock';
import { dataSourceOptions } from '../database/data-source-options';
import { openDatabase } from '../database/open-database';

/**
 * Opens the service's database for a command-line task (the same DATABASE_URL or embedded
 * cluster as the server), brings the schema up to date, runs the task and closes everything.
 */
export async function withCliDatabase(
  task: (dataSource: DataSource) => Promise<void>,
): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabase(config, logger);
  const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
  try {
    await runMigrations(dataSource);
    await task(dataSource);
  } finally {
    await dataSource.destroy();
    await database.stop();
  }
}

import { Logger } from 'pino';
import { AppConfig } from '../config/config';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

/** The configured PostgreSQL (DATABASE_URL), or else an embedded one started for this process. */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<EmbeddedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => undefined };
  logger.info(
    { dir: config.embeddedPg.dir },
    'DATABASE_URL is not set: starting the embedded PostgreSQL',
  );
  const database = await startEmbeddedPostgres({
    dir: config.embeddedPg.dir,
    port: config.embeddedPg.port,
    log: (line) => logger.debug({ component: 'postgres' }, line),
  });
  logger.info('The embedded PostgreSQL is ready');
  return database;
}

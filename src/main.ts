import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { createLogger, JsonNestLogger } from './common/logging';
import { ConfigError, loadConfig } from './config/config';
import { openDatabase } from './database/open-database';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  config.warnings.forEach((warning) => logger.warn(warning));

  const database = await openDatabase(config, logger);
  const app = await NestFactory.create(AppModule.forRoot(config, database.url), {
    logger: new JsonNestLogger(logger),
  });
  configureApp(app, config, logger);

  // The embedded PostgreSQL package stops its server on these signals by itself, which would cut
  // the application's connections while it is still closing: stop in order instead.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping');
    await app.close();
    await database.stop();
    logger.info('Stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen(config.port);
  logger.info(
    { port: config.port },
    `Health Futures is listening on http://localhost:${config.port}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Health Futures could not start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

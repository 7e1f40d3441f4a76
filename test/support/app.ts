import { INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { createLogger, JsonNestLogger } from '../../src/common/logging';
import { AppConfig, parseConfig } from '../../src/config/config';
import { createTestDatabase, TestDatabase } from './database';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  dataSource: DataSource;
  config: AppConfig;
  databaseUrl: string;
  close(): Promise<void>;
}

export const TEST_ENV = {
  NODE_ENV: 'test',
  JWT_ACCESS_SECRET: 'test-access-secret-that-is-long-enough-0123',
  JWT_REFRESH_SECRET: 'test-refresh-secret-that-is-long-enough-0123',
  BOOTSTRAP_ADMIN_EMAIL: 'admin@health-futures.test',
  BOOTSTRAP_ADMIN_PASSWORD: 'admin-password-for-tests',
  LOG_LEVEL: 'silent',
  IMPORT_REGISTER_ON_START: 'false',
  JOBS_ENABLED: 'false',
  PUBLIC_URL: 'https://healthfutures.test',
};

/**
 * Boots the real application (same pipes, filters and guards as production) on a database of
 * this test file's own.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    template?: 'register' | 'empty';
    /** Share a database with another instance instead of getting one of its own. */
    database?: TestDatabase;
    /** Replace providers, e.g. the mail transport. */
    override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(options.template));
  const config = parseConfig({ ...TEST_ENV, ...options.env });
  const logger = createLogger(config.logLevel);
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, database.url)] });
  const moduleRef = await (options.override ? options.override(builder) : builder).compile();
  const app = moduleRef.createNestApplication({ logger: new JsonNestLogger(logger) });
  configureApp(app, config, logger);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    dataSource: app.get(DataSource),
    config,
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

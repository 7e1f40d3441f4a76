import 'reflect-metadata';
import { withCliDatabase } from './cli-database';

withCliDatabase(async (dataSource) => {
  const [{ count }] = await dataSource.query<{ count: number }[]>(
    'SELECT count(*)::int AS count FROM migrations',
  );
  process.stdout.write(`The database schema is up to date (${count} migrations applied).\n`);
}).catch((error: unknown) => {
  process.stderr.write(
    `Migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

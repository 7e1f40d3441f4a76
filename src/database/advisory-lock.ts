import { DataSource } from 'typeorm';

/** Keys of the cluster-wide advisory locks that serialise start-up work across instances. */
export enum AdvisoryLock {
  Migrations = 72_001,
  RegisterImport = 72_002,
  BootstrapAdmin = 72_003,
}

/**
 * Runs `work` while holding a session-level advisory lock on a dedicated connection, so that
 * several instances starting at once do the work one after another.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  lock: AdvisoryLock,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [lock]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [lock]);
    }
  } finally {
    await runner.release();
  }
}

export function runMigrations(dataSource: DataSource) {
  return withAdvisoryLock(dataSource, AdvisoryLock.Migrations, () =>
    dataSource.runMigrations({ transaction: 'each' }),
  );
}

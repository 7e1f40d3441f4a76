import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { createLogger, JsonNestLogger } from '../src/common/logging';
import { parseConfig } from '../src/config/config';
import type { Activity, VisitFormat } from '../src/volunteers/volunteer.enums';
import { opportunitiesQueries, rankCandidates } from './sql';

/**
 * The servers under test run in child processes of their own, as they would in production,
 * so that the load generator does not share their event loop.
 *
 * - `service`: the real application (AppModule.forRoot + configureApp), listening on a free port.
 * - `bare`: node:http and a pg pool of the same size (10) running the service's own SQL for
 *   `/requests/:id/candidates` and `/volunteers/:volunteerId/opportunities`, with no framework,
 *   no authentication and no ORM: the floor the service is compared with.
 */
export type ServerKind = 'service' | 'bare';

export interface ServerHandle {
  kind: ServerKind;
  port: number;
  /** CPU time (user + system) the server process has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  /** Error lines the server logged (its log is kept off the console), and the first one. */
  loggedErrors(): { count: number; first?: string };
  stop(): Promise<void>;
}

type ParentMessage = { type: 'cpu' } | { type: 'stop' };
type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'cpu'; micros: number }
  | { type: 'failed'; error: string };

/** Starts a server in a child process; `env` is the service's environment (config). */
export function startServer(
  kind: ServerKind,
  databaseUrl: string,
  env: Record<string, string>,
): Promise<ServerHandle> {
  const child = fork(__filename, [], {
    env: {
      ...process.env,
      BENCH_SERVER_KIND: kind,
      BENCH_SERVER_DATABASE_URL: databaseUrl,
      BENCH_SERVER_ENV: JSON.stringify(env),
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const errors = watchLog(child);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${kind} server exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (message: ChildMessage) => {
      if (message.type !== 'ready') {
        child.kill();
        reject(new Error(`${kind} server: ${message.type === 'failed' ? message.error : ''}`));
        return;
      }
      child.off('exit', onExit);
      resolve(handleOf(kind, message.port, child, errors));
    });
  });
}

/** Counts the JSON log lines at level error (50) or above. */
function watchLog(child: ChildProcess): { count: number; first?: string } {
  const errors: { count: number; first?: string } = { count: 0 };
  let pending = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        if (((JSON.parse(line) as { level?: number }).level ?? 0) < 50) continue;
      } catch {
        // not a JSON log line: count it, it may be a crash
      }
      errors.count++;
      errors.first ??= line.slice(0, 400);
    }
  });
  return errors;
}

function handleOf(
  kind: ServerKind,
  port: number,
  child: ChildProcess,
  errors: { count: number; first?: string },
): ServerHandle {
  const ask = (message: ParentMessage) => child.send(message);
  return {
    kind,
    port,
    loggedErrors: () => ({ ...errors }),
    cpuMicros: () =>
      new Promise((resolve) => {
        child.once('message', (message: ChildMessage) =>
          resolve(message.type === 'cpu' ? message.micros : NaN),
        );
        ask({ type: 'cpu' });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        ask({ type: 'stop' });
      }),
  };
}

async function serve(kind: ServerKind): Promise<void> {
  const databaseUrl = process.env.BENCH_SERVER_DATABASE_URL!;
  const env = JSON.parse(process.env.BENCH_SERVER_ENV!) as Record<string, string>;
  const running =
    kind === 'service' ? await serveApp(databaseUrl, env) : await serveBare(databaseUrl, env);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ type: 'cpu', micros: user + system } satisfies ChildMessage);
    } else if (message.type === 'stop') {
      void stop();
    }
  });
  // The benchmark died: do not outlive it.
  process.on('disconnect', () => void stop());
  process.send!({ type: 'ready', port: running.port } satisfies ChildMessage);
}

interface Running {
  port: number;
  close(): Promise<void>;
}

async function serveApp(databaseUrl: string, env: Record<string, string>): Promise<Running> {
  const config = parseConfig(env);
  const logger = createLogger(config.logLevel);
  const app: INestApplication = await NestFactory.create(AppModule.forRoot(config, databaseUrl), {
    logger: new JsonNestLogger(logger),
  });
  configureApp(app, config, logger);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  return { port: (server.address() as AddressInfo).port, close: () => app.close() };
}

const CANDIDATES = /^\/requests\/([0-9a-f-]{36})\/candidates(?:\?limit=(\d+))?$/;
const OPPORTUNITIES = /^\/volunteers\/([0-9a-f-]{36})\/opportunities$/;

async function serveBare(databaseUrl: string, env: Record<string, string>): Promise<Running> {
  const config = parseConfig(env);
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 10,
    application_name: 'health-futures-bare',
  });
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    let match = CANDIDATES.exec(url);
    if (req.method === 'GET' && match) {
      // Like the service, read the request first: its activity and format decide the query.
      const request = await pool.query<{ activity: Activity; format: VisitFormat }>(
        'SELECT activity, format FROM visit_requests WHERE id = $1',
        [match[1]],
      );
      const rows = await rankCandidates(
        pool,
        { id: match[1], ...request.rows[0] },
        Number(match[2] ?? 20),
      );
      return reply(res, 200, { requestId: match[1], items: rows });
    }
    match = OPPORTUNITIES.exec(url);
    if (req.method === 'GET' && match) {
      const [requests, schools] = await opportunitiesQueries(match[1], config);
      const found = await pool.query(requests.sql, requests.params);
      const near = await pool.query(schools.sql, schools.params);
      return reply(res, 200, { requests: found.rows, highNeedSchools: near.rows });
    }
    reply(res, 404, { message: 'not found' });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

if (require.main === module) {
  serve(process.env.BENCH_SERVER_KIND as ServerKind).catch((error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (process.send) process.send({ type: 'failed', error: text } satisfies ChildMessage);
    process.stderr.write(`${text}\n`);
    process.exit(1);
  });
}

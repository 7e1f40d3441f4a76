import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { hashPassword } from '../src/auth/passwords';
import { openBenchDatabase, prepareSchema } from './database';
import {
  closedLoop,
  expectOk,
  httpGet,
  httpPostJson,
  httpTarget,
  int,
  ms,
  summarise,
  table,
} from './load';
import { seed } from './seed';
import { startServer } from './servers';

const TARGET_MS = 100;
const out = (text = '') => process.stdout.write(`${text}\n`);
const number = (name: string, fallback: number) => {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? fallback : Number(raw);
};

/** The coverage endpoints, as a coordinator calls them. */
const ENDPOINTS = [
  '/coverage/regions',
  '/coverage/local-authorities',
  '/coverage/cold-spots?limit=50',
  '/coverage/equity',
  '/coverage/trend?months=12',
  '/coverage/map.geojson?level=la',
  '/coverage/regions?format=csv',
];

/** The same figures straight from SQL, without HTTP or the framework. */
const SQL: Record<string, string> = {
  regions: `SELECT region, count(*), count(*) FILTER (WHERE reached), count(*) FILTER (WHERE cold_spot)
            FROM school_coverage(now() - interval '365 days') GROUP BY ROLLUP (region)`,
  'local authorities': `SELECT la_code, count(*), count(*) FILTER (WHERE reached), count(*) FILTER (WHERE cold_spot)
            FROM school_coverage(now() - interval '365 days') GROUP BY la_code`,
};

async function main() {
  const volunteers = Math.round(number('BENCH_VOLUNTEERS', 100_000));
  const sizes = {
    volunteers,
    pastVisits: Math.round(number('BENCH_PAST_VISITS', volunteers * 2)),
    upcomingVisits: Math.round(number('BENCH_UPCOMING_VISITS', volunteers / 5)),
    requests: Math.round(number('BENCH_REQUESTS', 10_000)),
    accounts: 1,
    virtualShare: 0.1,
    seed: number('BENCH_SEED', 0.42),
  };
  const warmCalls = Math.round(number('BENCH_WARM_CALLS', 30));
  out('Health Futures coverage benchmark');
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let started = performance.now();
    const database = await openBenchDatabase();
    cleanups.push(() => database.stop());
    const schools = await prepareSchema(database.url);
    out(
      `database: ${database.where}; ${int(schools)} schools; ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    started = performance.now();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());
    await seed(
      client,
      sizes,
      { hash: await hashPassword(randomBytes(12).toString('hex')) },
      (step) =>
        out(
          `  ${step.name.padEnd(32)} ${int(step.rows).padStart(9)} rows  ${(step.ms / 1000).toFixed(1)} s`,
        ),
    );
    const [{ completed, reach }] = (
      await client.query<{ completed: string; reach: string }>(
        `SELECT (SELECT count(*) FROM visits WHERE status = 'completed') AS completed,
                (SELECT count(*) FROM school_reach WHERE volunteers > 0) AS reach`,
      )
    ).rows;
    out(
      `seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${int(volunteers)} volunteers, ` +
        `${int(Number(completed))} completed visits, ${int(Number(reach))} schools within some volunteer's reach`,
    );

    const adminEmail = 'bench-admin@health-futures.test';
    const adminPassword = randomBytes(12).toString('base64url');
    const env = {
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
      JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
      JWT_ACCESS_TTL: '2h',
      BOOTSTRAP_ADMIN_EMAIL: adminEmail,
      BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
      LOG_LEVEL: 'warn',
      IMPORT_REGISTER_ON_START: 'false',
      JOBS_ENABLED: 'false',
    };
    const service = await startServer('service', database.url, env);
    cleanups.push(() => service.stop());
    const http = httpTarget(service.port, 1);
    cleanups.push(async () => http.agent.destroy());
    const login = await expectOk(
      httpPostJson(http, '/auth/login', { email: adminEmail, password: adminPassword }),
    );
    const headers = {
      authorization: `Bearer ${(JSON.parse(login.body) as { accessToken: string }).accessToken}`,
    };

    const rows: string[][] = [];
    const results: Record<string, number> = {};
    for (const path of ENDPOINTS) {
      const coldStarted = performance.now();
      await expectOk(httpGet(http, path, headers));
      const cold = performance.now() - coldStarted;
      const warm = summarise(
        await closedLoop({
          concurrency: 1,
          total: warmCalls,
          call: async () => void (await expectOk(httpGet(http, path, headers))),
        }),
      );
      results[path] = warm.p50;
      rows.push([
        `HTTP ${path}`,
        ms(cold),
        ms(warm.p50),
        ms(warm.p95),
        ms(warm.max),
        String(warm.errors),
      ]);
    }
    const pool = new Pool({ connectionString: database.url, max: 1 });
    cleanups.push(() => pool.end());
    for (const [name, sql] of Object.entries(SQL)) {
      const coldStarted = performance.now();
      await pool.query(sql);
      const cold = performance.now() - coldStarted;
      const warm = summarise(
        await closedLoop({
          concurrency: 1,
          total: warmCalls,
          call: async () => void (await pool.query(sql)),
        }),
      );
      rows.push([
        `SQL ${name}`,
        ms(cold),
        ms(warm.p50),
        ms(warm.p95),
        ms(warm.max),
        String(warm.errors),
      ]);
    }
    out();
    out(table(['endpoint', 'cold ms', 'warm p50 ms', 'warm p95 ms', 'max ms', 'errors'], rows));
    out();
    const regions = results['/coverage/regions'];
    const las = results['/coverage/local-authorities'];
    const ok = regions <= TARGET_MS && las <= TARGET_MS;
    out(
      `target: regions and local authorities each ≤ ${TARGET_MS} ms warm: ` +
        `${ms(regions)} ms and ${ms(las)} ms — ${ok ? 'met' : 'NOT met'}`,
    );
  } finally {
    while (cleanups.length)
      await cleanups.pop()!().catch((error: unknown) => out(`cleanup: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Coverage benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

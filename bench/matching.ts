import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { hashPassword } from '../src/auth/passwords';
import { parseConfig } from '../src/config/config';
import {
  closedLoop,
  expectOk,
  httpGet,
  httpPostJson,
  httpTarget,
  int,
  machineCpu,
  ms,
  percentile,
  RunResult,
  summarise,
  table,
} from './load';
import { openBenchDatabase, prepareSchema } from './database';
import { Activity, VisitFormat } from '../src/volunteers/volunteer.enums';
import { seed, SeedSizes, VolunteerAccount } from './seed';
import { ServerHandle, startServer } from './servers';
import { inPersonCandidatesQuery, opportunitiesQueries, rankCandidates } from './sql';

interface Options extends SeedSizes {
  sample: number;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  statementTimeoutMs: number;
  explain: boolean;
}

const TARGET_RATIO = 0.6;
const TARGET_P95_MS = 15;
const LIMIT = 20;

function readOptions(): Options {
  const number = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
    return value;
  };
  const volunteers = Math.round(number('BENCH_VOLUNTEERS', 100_000));
  const requests = Math.max(1, Math.round(number('BENCH_REQUESTS', 10_000)));
  return {
    volunteers,
    pastVisits: Math.round(number('BENCH_PAST_VISITS', volunteers * 2)),
    upcomingVisits: Math.round(number('BENCH_UPCOMING_VISITS', volunteers / 5)),
    requests,
    accounts: Math.max(1, Math.round(number('BENCH_ACCOUNTS', 50))),
    virtualShare: number('BENCH_VIRTUAL_SHARE', 0.1),
    seed: number('BENCH_SEED', 0.42),
    sample: Math.max(1, Math.min(requests, Math.round(number('BENCH_SAMPLE', 1000)))),
    concurrency: Math.max(1, Math.round(number('BENCH_CONCURRENCY', 10))),
    durationMs: number('BENCH_DURATION', 15) * 1000,
    warmupMs: number('BENCH_WARMUP', 3) * 1000,
    statementTimeoutMs: Math.round(number('BENCH_STATEMENT_TIMEOUT', 10) * 1000),
    explain: process.env.BENCH_EXPLAIN === '1',
  };
}

const out = (text = '') => process.stdout.write(`${text}\n`);
const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;

interface Sampled {
  id: string;
  format: string;
  activity: string;
  region: string | null;
  school: string;
}

type Cleanup = () => Promise<void>;

async function main() {
  const options = readOptions();
  const cleanups: Cleanup[] = [];
  const cleanup = async () => {
    while (cleanups.length) {
      await cleanups.pop()!().catch((error: unknown) => out(`cleanup: ${String(error)}`));
    }
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    out('\nInterrupted: stopping');
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await run(options, cleanups);
  } finally {
    await cleanup();
  }
}

async function run(options: Options, cleanups: Cleanup[]) {
  const began = performance.now();
  out('Health Futures matching benchmark');
  out(
    `sizes: ${int(options.volunteers)} volunteers, ${int(options.pastVisits)} past visits, ` +
      `${int(options.upcomingVisits)} upcoming visits, ${int(options.requests)} open requests ` +
      `(${Math.round(options.virtualShare * 100)} % virtual); sample of ${int(options.sample)}; ` +
      `each pass at most ${seconds(options.durationMs)}, ${options.concurrency} clients under load; ` +
      `statement timeout ${options.statementTimeoutMs ? seconds(options.statementTimeoutMs) : 'none'}`,
  );

  // 1. Database, schema, register.
  let started = performance.now();
  const database = await openBenchDatabase();
  cleanups.push(() => database.stop());
  out(`database: ${database.where}`);
  const schools = await prepareSchema(database.url);
  out(`register: ${int(schools)} schools imported`);
  const setupMs = performance.now() - started;
  out(`setup (PostgreSQL, migrations, register): ${seconds(setupMs)}`);

  // 2. Synthetic data.
  started = performance.now();
  const accountPassword = randomBytes(12).toString('base64url');
  const client = new Client({ connectionString: database.url });
  await client.connect();
  cleanups.push(() => client.end());
  out('seeding:');
  const { steps, accounts } = await seed(
    client,
    options,
    { hash: await hashPassword(accountPassword) },
    (step) =>
      out(`  ${step.name.padEnd(32)} ${int(step.rows).padStart(9)} rows  ${seconds(step.ms)}`),
  );
  const seedMs = performance.now() - started;
  out(`seeding: ${seconds(seedMs)} (${steps.length} steps)`);
  const sizes = await datasetSizes(client);
  const { rows: sample } = await client.query<Sampled>(
    `SELECT r.id, r.format, r.activity, s.region, s.name AS school
     FROM visit_requests r JOIN schools s ON s.urn = r.school_urn
     WHERE r.status = 'open' ORDER BY random() LIMIT $1`,
    [options.sample],
  );
  // Only connections opened from now on (servers, pools) get the limit, not this one.
  const [{ name }] = (await client.query<{ name: string }>('SELECT current_database() AS name'))
    .rows;
  await client.query(
    `ALTER DATABASE ${client.escapeIdentifier(name)} SET statement_timeout = ${options.statementTimeoutMs}`,
  );

  // 3. Servers and accounts.
  started = performance.now();
  const adminEmail = 'bench-admin@health-futures.test';
  const adminPassword = randomBytes(12).toString('base64url');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
    JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
    JWT_ACCESS_TTL: '2h',
    BOOTSTRAP_ADMIN_EMAIL: adminEmail,
    BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    IMPORT_REGISTER_ON_START: 'false',
    JOBS_ENABLED: 'false',
    PUBLIC_URL: 'https://health-futures.example',
  };
  const config = parseConfig(env);
  const [service, bare] = await Promise.all([
    startServer('service', database.url, env),
    startServer('bare', database.url, env),
  ]);
  cleanups.push(
    () => service.stop(),
    () => bare.stop(),
  );
  const pool = new Pool({ connectionString: database.url, max: options.concurrency });
  cleanups.push(() => pool.end());
  const serviceHttp = httpTarget(service.port, options.concurrency);
  const bareHttp = httpTarget(bare.port, options.concurrency);
  cleanups.push(async () => {
    serviceHttp.agent.destroy();
    bareHttp.agent.destroy();
  });
  const login = async (email: string, password: string) => {
    const answer = await expectOk(httpPostJson(serviceHttp, '/auth/login', { email, password }));
    return {
      authorization: `Bearer ${(JSON.parse(answer.body) as { accessToken: string }).accessToken}`,
    };
  };
  const coordinator = await login(adminEmail, adminPassword);
  const volunteers: Volunteer[] = [];
  for (const account of accounts) {
    volunteers.push({ ...account, headers: await login(account.email, accountPassword) });
  }
  out(
    `servers up, ${volunteers.length + 1} accounts signed in: ${seconds(performance.now() - started)}`,
  );

  // 4. Measurements. Every pass walks the sample in the same order, so each covers the same
  // requests as the others as far as it gets; warm-ups start half way through the sample, with
  // indexes past its end so that they record nothing.
  started = performance.now();
  const ids = sample.map((request) => request.id);
  const requests = sample.map((request) => ({
    id: request.id,
    activity: request.activity as Activity,
    format: request.format as VisitFormat,
  }));
  const warmupFrom = ids.length + Math.floor(ids.length / 2);
  const oneClient = async (total: number, call: (i: number) => Promise<void>) => {
    await closedLoop({
      concurrency: 1,
      durationMs: options.warmupMs,
      call: (i) => call(warmupFrom + i),
    });
    return closedLoop({ concurrency: 1, total, durationMs: options.durationMs, call });
  };
  const candidatesPath = (i: number) =>
    `/requests/${ids[i % ids.length]}/candidates?limit=${LIMIT}`;
  const candidatesSql = (i: number) => rankCandidates(pool, requests[i % ids.length], LIMIT);
  // The single-client passes also check that the service and the bare server answer what the
  // SQL answered, for every request both reached.
  const expected: string[][] = [];
  const candidates = new Agreement();
  const items = (body: string) => (JSON.parse(body) as { items: Record<string, string>[] }).items;

  out('measuring candidates…');
  const sqlOne = await oneClient(ids.length, async (i) => {
    const rows = await candidatesSql(i);
    if (i < ids.length) expected[i] = rows.map((row) => row.id);
  });
  const sqlMany = await closedLoop({
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    call: async (i) => void (await candidatesSql(i)),
  });
  const serviceOne = await oneClient(ids.length, async (i) => {
    const { body } = await expectOk(httpGet(serviceHttp, candidatesPath(i), coordinator));
    candidates.check('service', expected[i], () => items(body).map((item) => item.volunteerId));
  });
  const bareOne = await oneClient(ids.length, async (i) => {
    const { body } = await expectOk(httpGet(bareHttp, candidatesPath(i)));
    candidates.check('bare', expected[i], () => items(body).map((item) => item.id));
  });
  const serviceMany = await underLoad(service, options, async (i) => {
    await expectOk(httpGet(serviceHttp, candidatesPath(i), coordinator));
  });
  const bareMany = await underLoad(bare, options, async (i) => {
    await expectOk(httpGet(bareHttp, candidatesPath(i)));
  });

  out('measuring opportunities…');
  const volunteerAt = (i: number) => volunteers[i % volunteers.length];
  const opportunityCalls = volunteers.length * 10;
  const expectedOpportunities: string[][] = [];
  const opportunities = new Agreement();
  type Answer = { requests: { requestId: string }[]; highNeedSchools: { urn: number }[] };
  const answerKey = (answer: Answer) => [
    ...answer.requests.map((r) => r.requestId),
    '|',
    ...answer.highNeedSchools.map((s) => String(s.urn)),
  ];
  const oppSqlOne = await oneClient(opportunityCalls, async (i) => {
    const volunteer = volunteerAt(i);
    const [requests, schools] = await opportunitiesQueries(volunteer.volunteerId, config);
    const found = await pool.query<{ requestId: string }>(requests.sql, requests.params);
    const near = await pool.query<{ urn: number }>(schools.sql, schools.params);
    expectedOpportunities[i % volunteers.length] ??= answerKey({
      requests: found.rows,
      highNeedSchools: near.rows,
    });
  });
  const oppServicePath = '/volunteers/me/opportunities';
  const oppBarePath = (i: number) => `/volunteers/${volunteerAt(i).volunteerId}/opportunities`;
  const oppServiceOne = await oneClient(opportunityCalls, async (i) => {
    const { body } = await expectOk(httpGet(serviceHttp, oppServicePath, volunteerAt(i).headers));
    opportunities.check('service', expectedOpportunities[i % volunteers.length], () =>
      answerKey(JSON.parse(body) as Answer),
    );
  });
  const oppBareOne = await oneClient(opportunityCalls, async (i) => {
    const { body } = await expectOk(httpGet(bareHttp, oppBarePath(i)));
    opportunities.check('bare', expectedOpportunities[i % volunteers.length], () =>
      answerKey(JSON.parse(body) as Answer),
    );
  });
  const oppServiceMany = await underLoad(service, options, async (i) => {
    await expectOk(httpGet(serviceHttp, oppServicePath, volunteerAt(i).headers));
  });
  const oppBareMany = await underLoad(bare, options, async (i) => {
    await expectOk(httpGet(bareHttp, oppBarePath(i)));
  });

  const explained = options.explain ? await explainLondon(client) : undefined;
  const measureMs = performance.now() - started;

  // 5. Report.
  const errors: string[] = [];
  const row = (name: string, clients: number, result: RunResult, cpu = '') => {
    if (result.firstError) errors.push(`${name}, ${clients} client(s): ${result.firstError}`);
    return resultRow(name, clients, result, cpu);
  };
  out();
  out('DATASET');
  out(table(['table', 'rows'], sizes));
  out();
  out(`CANDIDATES  GET /requests/:id/candidates?limit=${LIMIT}  (latency in ms)`);
  out(
    resultTable([
      row('SQL alone (pg pool)', 1, sqlOne),
      row('SQL alone (pg pool)', options.concurrency, sqlMany),
      row('service over HTTP', 1, serviceOne),
      row('bare node:http + pg', 1, bareOne),
      row('service over HTTP', options.concurrency, serviceMany.run, serviceMany.cpu),
      row('bare node:http + pg', options.concurrency, bareMany.run, bareMany.cpu),
    ]),
  );
  const ratio = summarise(serviceMany.run).perSecond / summarise(bareMany.run).perSecond;
  const p95 = summarise(serviceMany.run).p95;
  out();
  out(
    `service / bare throughput at ${options.concurrency} clients: ${ratio.toFixed(2)}  ` +
      `(target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
  );
  out(
    `service p95 at ${options.concurrency} clients: ${ms(p95)} ms  ` +
      `(target ≤ ${TARGET_P95_MS} ms: ${p95 <= TARGET_P95_MS ? 'met' : 'NOT met'})`,
  );
  out(`same volunteers in the same order as the SQL alone: ${candidates.describe('requests')}`);
  out();
  out(`SQL alone, one client, by kind of request (the ${int(sqlOne.latencies.length)} measured)`);
  out(breakdown(sample, sqlOne.latencies, expected));
  out();
  out('Slowest requests, SQL alone, one client');
  out(slowest(sample, sqlOne.latencies, expected));
  out();
  out('OPPORTUNITIES  GET /volunteers/me/opportunities  (its two queries; latency in ms)');
  out(
    resultTable([
      row('SQL alone (pg pool)', 1, oppSqlOne),
      row('service over HTTP', 1, oppServiceOne),
      row('bare node:http + pg', 1, oppBareOne),
      row('service over HTTP', options.concurrency, oppServiceMany.run, oppServiceMany.cpu),
      row('bare node:http + pg', options.concurrency, oppBareMany.run, oppBareMany.cpu),
    ]),
  );
  const oppRatio = summarise(oppServiceMany.run).perSecond / summarise(oppBareMany.run).perSecond;
  out();
  out(`service / bare throughput at ${options.concurrency} clients: ${oppRatio.toFixed(2)}`);
  out(`same answers as the SQL alone: ${opportunities.describe('calls')}`);
  if (errors.length) {
    out();
    out('First error of each measurement that had errors (their time is in the percentiles):');
    errors.forEach((error) => out(`  ${error.slice(0, 300)}`));
  }
  for (const server of [service, bare]) {
    const logged = server.loggedErrors();
    if (logged.count) {
      out(`${server.kind} logged ${logged.count} error line(s); first: ${logged.first}`);
    }
  }
  if (explained) {
    out();
    out(explained);
  }
  out();
  out(
    `time: setup ${seconds(setupMs)}, seeding ${seconds(seedMs)}, measuring ${seconds(measureMs)}, ` +
      `total ${seconds(performance.now() - began)}`,
  );
}

type Volunteer = VolunteerAccount & { headers: Record<string, string> };

/** A warm-up, then `concurrency` clients for the set duration, with the CPU they cost. */
async function underLoad(
  server: ServerHandle,
  options: Options,
  call: (i: number) => Promise<void>,
): Promise<{ run: RunResult; cpu: string }> {
  await closedLoop({ concurrency: options.concurrency, durationMs: options.warmupMs, call });
  const machineBefore = machineCpu();
  const serverBefore = await server.cpuMicros();
  const run = await closedLoop({
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    call,
  });
  const serverCpu = ((await server.cpuMicros()) - serverBefore) / 1000 / run.elapsedMs;
  const machineAfter = machineCpu();
  const machine =
    machineBefore && machineAfter
      ? (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)
      : NaN;
  const percent = (share: number) =>
    Number.isFinite(share) ? `${Math.round(share * 100)} %` : '—';
  return { run, cpu: `node ${percent(serverCpu)}, all cores ${percent(machine)}` };
}

function resultRow(name: string, clients: number, result: RunResult, cpu: string): string[] {
  const s = summarise(result);
  return [
    name,
    String(clients),
    int(s.calls),
    int(s.errors),
    s.perSecond.toFixed(1),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.max),
    cpu,
  ];
}

function resultTable(rows: string[][]): string {
  return table(
    ['measurement', 'clients', 'calls', 'errors', 'req/s', 'p50', 'p95', 'p99', 'max', 'CPU'],
    rows,
  );
}

/** Counts, per server, the answers that were the same as the SQL's (same ids, same order). */
class Agreement {
  private readonly counts = new Map<string, { compared: number; same: number }>();

  check(server: string, expected: string[] | undefined, got: () => string[]): void {
    if (!expected) return;
    const count = this.counts.get(server) ?? { compared: 0, same: 0 };
    count.compared++;
    if (got().join() === expected.join()) count.same++;
    this.counts.set(server, count);
  }

  describe(what: string): string {
    if (this.counts.size === 0) return 'nothing to compare';
    return [...this.counts]
      .map(([server, { compared, same }]) => `${server} ${same} of ${compared} ${what}`)
      .join(', ');
  }
}

/** Latency percentiles of the measured requests by format, place and outcome. */
function breakdown(sample: Sampled[], latencies: number[], answers: string[][]): string {
  const groups = new Map<string, number[]>();
  const add = (name: string, value: number) =>
    groups.set(name, [...(groups.get(name) ?? []), value]);
  latencies.forEach((latency, i) => {
    const request = sample[i];
    add('all', latency);
    add(request.format, latency);
    if (request.format === 'in_person') {
      add(request.region === 'London' ? 'in_person, London' : 'in_person, elsewhere', latency);
    }
    if (answers[i]?.length === 0) add('no candidate', latency);
    if (answers[i] === undefined) add('failed (timeout)', latency);
  });
  return table(
    ['requests', 'count', 'p50', 'p95', 'p99', 'max'],
    [...groups].map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return [
        name,
        int(sorted.length),
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 95)),
        ms(percentile(sorted, 99)),
        ms(sorted.at(-1)!),
      ];
    }),
  );
}

function slowest(sample: Sampled[], latencies: number[], answers: string[][]): string {
  const order = latencies.map((_, i) => i).sort((a, b) => latencies[b] - latencies[a]);
  return table(
    ['ms', 'format', 'activity', 'region', 'school', 'candidates'],
    order
      .slice(0, 5)
      .map((i) => [
        ms(latencies[i]),
        sample[i].format,
        sample[i].activity,
        sample[i].region ?? '',
        sample[i].school,
        answers[i] === undefined ? 'failed' : String(answers[i].length),
      ]),
  );
}

async function datasetSizes(client: Client): Promise<string[][]> {
  const counts: [string, string][] = [
    ['schools (open)', `SELECT count(*) FROM schools WHERE status = 'open'`],
    ['volunteers', 'SELECT count(*) FROM volunteers'],
    [
      '  approved, active',
      `SELECT count(*) FROM volunteers WHERE status = 'approved' AND paused_at IS NULL`,
    ],
    [
      '  approved, paused',
      `SELECT count(*) FROM volunteers WHERE status = 'approved' AND paused_at IS NOT NULL`,
    ],
    ['  pending', `SELECT count(*) FROM volunteers WHERE status = 'pending'`],
    ['  rejected', `SELECT count(*) FROM volunteers WHERE status = 'rejected'`],
    ['  living in London', `SELECT count(*) FROM volunteers WHERE region = 'London'`],
    ['unavailability ranges', 'SELECT count(*) FROM volunteer_unavailability'],
    ['past visits', 'SELECT count(*) FROM visits WHERE starts_at < now()'],
    ['  completed', `SELECT count(*) FROM visits WHERE starts_at < now() AND status = 'completed'`],
    [
      'upcoming confirmed visits',
      `SELECT count(*) FROM visits WHERE starts_at > now() AND status = 'confirmed'`,
    ],
    ['open requests', `SELECT count(*) FROM visit_requests WHERE status = 'open'`],
    [
      '  virtual',
      `SELECT count(*) FROM visit_requests WHERE status = 'open' AND format = 'virtual'`,
    ],
    ['request slots', 'SELECT count(*) FROM request_slots'],
    ['invitations and offers', 'SELECT count(*) FROM invitations'],
    ['volunteer accounts', 'SELECT count(*) FROM volunteers WHERE user_id IS NOT NULL'],
    ['database size (MB)', 'SELECT pg_database_size(current_database()) / 1048576'],
  ];
  const rows: string[][] = [];
  for (const [name, sql] of counts) {
    const { rows: result } = await client.query<{ n: string }>(`SELECT (${sql})::text AS n`);
    rows.push([name, int(Number(result[0].n))]);
  }
  return rows;
}

/** EXPLAIN ANALYZE of the candidates query for the in-person request closest to central London. */
async function explainLondon(client: Client): Promise<string> {
  const { rows } = await client.query<{ id: string; name: string }>(`
    SELECT r.id, s.name FROM visit_requests r JOIN schools s ON s.urn = r.school_urn
    WHERE r.status = 'open' AND r.format = 'in_person' AND s.region = 'London'
    ORDER BY earth_distance(ll_to_earth(s.latitude, s.longitude), ll_to_earth(51.5074, -0.1278))
    LIMIT 1`);
  if (rows.length === 0) return 'EXPLAIN: no open in-person request in London';
  const { sql, params } = inPersonCandidatesQuery(rows[0].id, LIMIT);
  const plan = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
    params,
  );
  return [
    `EXPLAIN ANALYZE of the candidates of request ${rows[0].id} (${rows[0].name}, London)`,
    ...plan.rows.map((row) => row['QUERY PLAN']),
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

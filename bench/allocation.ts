import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { AllocationRunner } from '../src/allocation/allocation-runner';
import { AppModule } from '../src/app.module';
import { hashPassword } from '../src/auth/passwords';
import { addDays, londonDate } from '../src/calendar/london-time';
import { parseConfig } from '../src/config/config';
import { SCORE_WEIGHTS } from '../src/matching/score';
import { openBenchDatabase, prepareSchema } from './database';
import { int, table } from './load';
import { seed } from './seed';

const out = (text = '') => process.stdout.write(`${text}\n`);
const number = (name: string, fallback: number) => {
  const raw = process.env[name];
  return raw === undefined || raw.trim() === '' ? fallback : Number(raw);
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const percent = (x: number) => `${(x * 100).toFixed(4)} %`;

/** The sizes of the issue: requests × volunteers, with their end-to-end targets. */
const SIZES = [
  { requests: 2_000, volunteers: 10_000, targetSeconds: 3, targetGap: 0.001 },
  { requests: 5_000, volunteers: 30_000, targetSeconds: 8, targetGap: 0.001 },
];

async function main() {
  const scale = number('BENCH_ALLOCATION_SCALE', 1);
  const timeLimitSeconds = number('BENCH_ALLOCATION_TIME_LIMIT', 60);
  out('Health Futures batch allocation benchmark');
  out(
    '(national scope: every local authority; every open request with a slot in the next 8 weeks)',
  );
  const rows: string[][] = [];
  for (const size of SIZES) {
    const requests = Math.round(size.requests * scale);
    const volunteers = Math.round(size.volunteers * scale);
    const cleanups: (() => Promise<void>)[] = [];
    try {
      const database = await openBenchDatabase();
      cleanups.push(() => database.stop());
      await prepareSchema(database.url);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      cleanups.push(() => client.end());
      const seeded = performance.now();
      await seed(
        client,
        {
          volunteers,
          pastVisits: volunteers * 2,
          upcomingVisits: Math.round(volunteers / 5),
          requests,
          accounts: 1,
          virtualShare: 0.05,
          seed: number('BENCH_SEED', 0.42),
        },
        { hash: await hashPassword(randomBytes(12).toString('hex')) },
        () => undefined,
      );
      const { rows: laRows } = await client.query<{ la_code: string }>(
        `SELECT DISTINCT la_code FROM schools WHERE status = 'open' ORDER BY la_code`,
      );
      out(
        `\n${int(requests)} requests × ${int(volunteers)} volunteers: seeded in ${seconds(performance.now() - seeded)} s`,
      );

      const config = parseConfig({
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
        JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn',
        IMPORT_REGISTER_ON_START: 'false',
        JOBS_ENABLED: 'false',
      });
      const app = await NestFactory.createApplicationContext(
        AppModule.forRoot(config, database.url),
        { logger: false },
      );
      cleanups.push(() => app.close());
      const allocations = app.get(AllocationRunner);
      const today = londonDate(new Date());
      for (const relativeGap of [size.targetGap, 0]) {
        const started = performance.now();
        const { prepared, result, solverMs } = await allocations.compute({
          region: null,
          la_codes: laRows.map((r) => r.la_code),
          term_starts_on: today,
          term_ends_on: addDays(today, 60),
          options: {
            respectAutoInvite: false,
            weights: { ...SCORE_WEIGHTS },
            needWeights: {
              deprivation: config.need.deprivationWeight,
              outreachGap: config.need.outreachGapWeight,
            },
            timeLimitSeconds,
            relativeGap,
          },
        });
        const total = performance.now() - started;
        const f = AllocationRunner.figures(prepared, result);
        const shortfall = (f.objective - f.greedy.objective) / f.objective;
        rows.push([
          `${int(requests)} × ${int(volunteers)}`,
          relativeGap ? `≤ ${percent(relativeGap)}` : 'optimum',
          int(f.requests),
          int(f.candidates),
          seconds(prepared.candidateMs),
          seconds(solverMs),
          `${seconds(f.modelMs)} / ${seconds(f.lpMs)} / ${seconds(f.subProblemMs)}`,
          `${seconds(total)}${relativeGap ? ` (≤ ${size.targetSeconds})` : ''}`,
          f.objective.toFixed(3),
          f.bound.toFixed(3),
          percent(f.gap),
          f.optimal ? 'yes' : 'no',
          `${f.method} (${int(f.fractionalColumns)} fractional)`,
          f.greedy.objective.toFixed(3),
          percent(shortfall),
          `${int(f.assignments)} / ${int(f.greedy.assignments)}`,
          `${int(f.highNeedSchoolsReached)} / ${int(f.greedy.highNeedSchoolsReached)}`,
        ]);
        out(`  ${rows[rows.length - 1].join(' | ')}`);
      }
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    }
  }
  out('');
  out(
    table(
      [
        'size',
        'asked',
        'requests',
        'candidates',
        'candidates s',
        'solve s',
        'model / LP / exact s',
        'end to end s',
        'objective',
        'bound',
        'gap',
        'optimal',
        'method',
        'greedy',
        'greedy short by',
        'assignments (greedy)',
        'high-need schools (greedy)',
      ],
      rows,
    ),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

import { readFileSync } from 'node:fs';
import { Agent, OutgoingHttpHeaders, request } from 'node:http';

/** Longer than any statement timeout, so that a call only times out if the server hangs. */
const REQUEST_TIMEOUT_MS = 120_000;

export interface HttpResult {
  status: number;
  body: string;
}

export interface HttpTarget {
  port: number;
  agent: Agent;
}

export function httpTarget(port: number, concurrency: number): HttpTarget {
  return { port, agent: new Agent({ keepAlive: true, maxSockets: concurrency }) };
}

export function httpGet(
  target: HttpTarget,
  path: string,
  headers: OutgoingHttpHeaders = {},
): Promise<HttpResult> {
  return send(target, 'GET', path, headers);
}

export function httpPostJson(target: HttpTarget, path: string, body: unknown): Promise<HttpResult> {
  return send(target, 'POST', path, { 'content-type': 'application/json' }, JSON.stringify(body));
}

function send(
  target: HttpTarget,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  body?: string,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        method,
        path,
        headers,
        agent: target.agent,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface RunResult {
  /** Milliseconds of each call, failed ones included, in completion order. */
  latencies: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
}

/**
 * A closed loop: `concurrency` workers each make one call, wait for it, and make the next,
 * until `total` calls are done or `durationMs` has passed. Call i gets argument i.
 */
export async function closedLoop(options: {
  concurrency: number;
  call: (i: number) => Promise<void>;
  total?: number;
  durationMs?: number;
}): Promise<RunResult> {
  const { concurrency, call, total = Infinity, durationMs = Infinity } = options;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const begun = performance.now();
      try {
        await call(i);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors, firstError, elapsedMs: performance.now() - started };
}

/** Throws unless the answer is a 200, so that errors are counted rather than timed. */
export async function expectOk(result: Promise<HttpResult>): Promise<HttpResult> {
  const { status, body } = await result;
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.slice(0, 200)}`);
  return { status, body };
}

export interface Summary {
  calls: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarise(run: RunResult): Summary {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / (sorted.length || 1);
  return {
    calls: sorted.length,
    errors: run.errors,
    perSecond: (sorted.length / run.elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    mean,
  };
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

/** Busy and total jiffies of all cores, from /proc/stat (Linux); undefined elsewhere. */
export function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
    const values = fields.map(Number);
    const idle = values[3] + (values[4] ?? 0);
    const total = values.reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) =>
    rows.every((r) => /^[-\d.,%×x ]*$/.test(r[i]) || r[i] === '—'),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] && i > 0 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');
export const int = (value: number) => Math.round(value).toLocaleString('en-GB');

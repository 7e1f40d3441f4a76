import { fork } from 'node:child_process';
import type { AllocationInstance } from './allocation-model';
import type { SolveOptions, SolveResult } from './allocation-solver';

export class SolverFailure extends Error {}

export interface SolverProcessOptions {
  /** Kill the solver after this long, whatever it is doing. */
  killAfterMs: number;
  /** The script to run; the solver's own by default. */
  entry?: string;
}

/**
 * Runs the solver in a child process and answers its result. A crash, a kill or running past
 * `killAfterMs` rejects with a `SolverFailure` that says which.
 */
export function solveInChildProcess(
  instance: AllocationInstance,
  options: SolveOptions,
  { killAfterMs, entry = require.resolve('./solver.worker') }: SolverProcessOptions,
): Promise<SolveResult> {
  return new Promise((resolve, reject) => {
    // Under the test runner the sources are TypeScript: the child compiles them as it loads.
    const execArgv = entry.endsWith('.ts') ? ['--require', '@swc-node/register'] : [];
    const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: 'pipe' });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      settle(() =>
        reject(
          new SolverFailure(
            `The solver did not finish within ${killAfterMs / 1000} s and was stopped`,
          ),
        ),
      );
      child.kill('SIGKILL');
    }, killAfterMs);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    child.on(
      'message',
      (message: { ok: true; result: SolveResult } | { ok: false; error: string }) =>
        settle(() =>
          message.ok
            ? resolve(message.result)
            : reject(new SolverFailure(`The solver failed: ${message.error}`)),
        ),
    );
    child.on('error', (error) =>
      settle(() => reject(new SolverFailure(`The solver could not start: ${error.message}`))),
    );
    child.on('exit', (code, signal) =>
      settle(() => {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const detail = firstLine(stderr);
        reject(
          new SolverFailure(
            `The solver stopped unexpectedly: it ${how}${detail ? `: ${detail}` : ''}`,
          ),
        );
      }),
    );
    child.send({ instance, options });
  });
}

/** The first line the solver wrote to stderr before it died: the error, not its stack. */
function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 300);
}

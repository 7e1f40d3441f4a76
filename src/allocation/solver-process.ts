import { ChildProcess, fork } from 'node:child_process';
import type { AllocationInstance } from './allocation-model';
import type { SolveOptions, SolveResult } from './allocation-solver';

export class SolverFailure extends Error {}

type WorkerMessage = { ok: true; result: SolveResult } | { ok: false; error: string };

/**
 * The solver in a child process of its own. It starts loading HiGHS as soon as it is forked, so
 * that the caller can read the instance from the database meanwhile. A crash, a kill, or running
 * past the time given to `solve` rejects with a `SolverFailure` that says which.
 */
export class SolverProcess {
  private readonly child: ChildProcess;
  private readonly outcome: Promise<SolveResult>;
  private timer?: NodeJS.Timeout;
  private stderr = '';

  private constructor(entry: string) {
    // Under the test runner the sources are TypeScript: the child compiles them as it loads.
    const execArgv = entry.endsWith('.ts') ? ['--require', '@swc-node/register'] : [];
    this.child = fork(entry, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 2000) this.stderr += chunk.toString();
    });
    this.outcome = new Promise<SolveResult>((resolve, reject) => {
      this.child.on('message', (message: WorkerMessage) =>
        message.ok
          ? resolve(message.result)
          : reject(new SolverFailure(`The solver failed: ${message.error}`)),
      );
      this.child.on('error', (error) =>
        reject(new SolverFailure(`The solver could not start: ${error.message}`)),
      );
      this.child.on('exit', (code, signal) => {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const detail = firstLine(this.stderr);
        reject(
          new SolverFailure(
            `The solver stopped unexpectedly: it ${how}${detail ? `: ${detail}` : ''}`,
          ),
        );
      });
    });
    // Whoever calls solve() hears of a failure; until then it must not count as unhandled.
    this.outcome.catch(() => undefined);
  }

  /** Forks the solver; `entry` is the script to run (the solver's own by default). */
  static start(entry: string = require.resolve('./solver.worker')): SolverProcess {
    return new SolverProcess(entry);
  }

  solve(
    instance: AllocationInstance,
    options: SolveOptions,
    killAfterMs: number,
  ): Promise<SolveResult> {
    const stopped = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => {
        reject(
          new SolverFailure(
            `The solver did not finish within ${killAfterMs / 1000} s and was stopped`,
          ),
        );
        this.stop();
      }, killAfterMs);
    });
    if (this.child.connected) this.child.send({ instance, options });
    return Promise.race([this.outcome, stopped]).finally(() => clearTimeout(this.timer));
  }

  /** Stops the process if it is still running (a solver that was not needed after all). */
  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Forks a solver and solves one instance with it. */
export function solveInChildProcess(
  instance: AllocationInstance,
  options: SolveOptions,
  { killAfterMs, entry }: { killAfterMs: number; entry?: string },
): Promise<SolveResult> {
  return SolverProcess.start(entry).solve(instance, options, killAfterMs);
}

/** The first line the solver wrote to stderr before it died: the error, not its stack. */
function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 300);
}

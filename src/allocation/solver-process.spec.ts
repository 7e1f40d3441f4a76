import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AllocationInstance } from './allocation-model';
import { solveInChildProcess } from './solver-process';

const HOUR = 3_600_000;
const OPTIONS = { relativeGap: 0, timeLimitMs: 10_000 };

const instance: AllocationInstance = {
  requests: [{ wanted: 1, sameSlot: false }],
  slots: [{ startsAt: 0, endsAt: HOUR, school: 0 }],
  termCaps: [1, 1],
  travelBufferMs: 0,
  triples: {
    request: Int32Array.from([0, 0]),
    slot: Int32Array.from([0, 0]),
    volunteer: Int32Array.from([0, 1]),
    termCap: Int32Array.from([0, 1]),
    weight: Float64Array.from([0.4, 0.7]),
  },
};

function script(body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'solver-')), 'entry.js');
  writeFileSync(path, body);
  return path;
}

describe('solveInChildProcess', () => {
  it('solves in a child process', async () => {
    const result = await solveInChildProcess(instance, OPTIONS, { killAfterMs: 60_000 });
    expect(result).toMatchObject({ chosen: [1], optimal: true });
    expect(result.objective).toBeCloseTo(0.7, 9);
  });

  it('reports a solver that crashes', async () => {
    const entry = script(
      "process.once('message', () => { console.error('RuntimeError: Aborted()'); process.abort(); });",
    );
    await expect(
      solveInChildProcess(instance, OPTIONS, { killAfterMs: 60_000, entry }),
    ).rejects.toThrow(
      /The solver stopped unexpectedly: it was killed \(SIGABRT\): RuntimeError: Aborted\(\)/,
    );
  });

  it('reports a solver that answers with an error', async () => {
    const entry = script(
      "process.once('message', () => process.send({ ok: false, error: 'out of memory' }, () => process.exit(1)));",
    );
    await expect(
      solveInChildProcess(instance, OPTIONS, { killAfterMs: 60_000, entry }),
    ).rejects.toThrow('The solver failed: out of memory');
  });

  it('stops a solver that runs past its time', async () => {
    const entry = script("process.on('message', () => setInterval(() => undefined, 1000));");
    await expect(
      solveInChildProcess(instance, OPTIONS, { killAfterMs: 300, entry }),
    ).rejects.toThrow('The solver did not finish within 0.3 s and was stopped');
  });
});

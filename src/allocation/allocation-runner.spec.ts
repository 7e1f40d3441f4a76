import { parseConfig } from '../config/config';
import { TEST_ENV } from '../../test/support/app';
import { AllocationRunner, type AllocationRow, type PreparedAllocation } from './allocation-runner';
import type { SolveResult } from './allocation-solver';

const row: Omit<AllocationRow, 'id'> = {
  region: 'North West',
  la_codes: null,
  term_starts_on: '2027-01-04',
  term_ends_on: '2027-03-31',
  options: {
    respectAutoInvite: true,
    weights: { distance: 0.4, fit: 0.25, reliability: 0.25, newVolunteer: 0.1 },
    needWeights: { deprivation: 0.6, outreachGap: 0.4 },
    timeLimitSeconds: 60,
    relativeGap: 0,
  },
};

const outcome = (widen: number[], gap: number) => ({
  prepared: { requestIds: ['r0', 'r1', 'r2'] } as PreparedAllocation,
  result: { widen, gap } as SolveResult,
  solverMs: 1,
});

describe('AllocationRunner.compute', () => {
  const runner = new AllocationRunner(null as never, null as never, parseConfig(TEST_ENV));
  const once = jest.spyOn(
    runner as unknown as { computeOnce: (...args: unknown[]) => unknown },
    'computeOnce',
  );
  afterEach(() => once.mockReset());

  it('reads again in full the requests whose left-out candidates keep the gap open', async () => {
    const widenedAtEachCall: [string, number][][] = [];
    once.mockImplementation((_row, widened) => {
      widenedAtEachCall.push([...(widened as Map<string, number>)]);
      return Promise.resolve(widenedAtEachCall.length === 1 ? outcome([2], 0.01) : outcome([], 0));
    });
    const answer = await runner.compute(row);
    expect(widenedAtEachCall).toEqual([[], [['r2', 1]]]);
    expect(answer.result.gap).toBe(0);
  });

  it('widens a request twice at most (more candidates, then all), with the gap the bound proves', async () => {
    const widenedAtEachCall: [string, number][][] = [];
    once.mockImplementation((_row, widened) => {
      widenedAtEachCall.push([...(widened as Map<string, number>)]);
      return Promise.resolve(outcome([0], 0.02));
    });
    const answer = await runner.compute(row);
    expect(widenedAtEachCall).toEqual([[], [['r0', 1]], [['r0', 2]]]);
    expect(answer.result.gap).toBe(0.02);
  });

  it('does not widen when the gap asked for is already reached', async () => {
    once.mockImplementation(() => Promise.resolve(outcome([1], 0.0005)));
    await runner.compute({ ...row, options: { ...row.options, relativeGap: 0.001 } });
    expect(once).toHaveBeenCalledTimes(1);
  });
});

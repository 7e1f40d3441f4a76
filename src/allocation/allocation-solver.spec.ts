import loadHighs, { type Highs } from 'highs';
import { AllocationInstance, greedy } from './allocation-model';
import { solveAllocation } from './allocation-solver';

const HOUR = 3_600_000;
const EXACT = { relativeGap: 0, timeLimitMs: 30_000 };

interface TripleSpec {
  request: number;
  slot: number;
  volunteer: number;
  termCap: number;
  weight: number;
}

function instanceOf(
  spec: Omit<AllocationInstance, 'triples'> & { triples: TripleSpec[] },
): AllocationInstance {
  const pick = (key: keyof TripleSpec) => spec.triples.map((t) => t[key]);
  return {
    ...spec,
    triples: {
      request: Int32Array.from(pick('request')),
      slot: Int32Array.from(pick('slot')),
      volunteer: Int32Array.from(pick('volunteer')),
      termCap: Int32Array.from(pick('termCap')),
      weight: Float64Array.from(pick('weight')),
    },
  };
}

/** The rules read straight from the problem statement, pair by pair. */
function feasible(instance: AllocationInstance, chosen: number[]): boolean {
  const { triples, requests, slots, termCaps, travelBufferMs } = instance;
  const count = (key: Int32Array, value: number) => chosen.filter((j) => key[j] === value).length;
  if (requests.some((r, i) => count(triples.request, i) > r.wanted)) return false;
  if (termCaps.some((cap, g) => count(triples.termCap, g) > cap)) return false;
  for (const a of chosen) {
    for (const b of chosen) {
      if (a >= b) continue;
      const r = triples.request[a];
      if (r === triples.request[b] && requests[r].sameSlot && triples.slot[a] !== triples.slot[b])
        return false;
      if (triples.volunteer[a] !== triples.volunteer[b]) continue;
      if (r === triples.request[b]) return false;
      const x = slots[triples.slot[a]];
      const y = slots[triples.slot[b]];
      const buffer = x.school === y.school ? 0 : travelBufferMs;
      if (x.startsAt - buffer < y.endsAt && y.startsAt - buffer < x.endsAt) return false;
    }
  }
  return true;
}

function bruteForce(instance: AllocationInstance): number {
  const n = instance.triples.weight.length;
  let best = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    const chosen = [...Array(n).keys()].filter((j) => mask & (1 << j));
    if (!feasible(instance, chosen)) continue;
    best = Math.max(
      best,
      chosen.reduce((sum, j) => sum + instance.triples.weight[j], 0),
    );
  }
  return best;
}

/** A small random instance: few volunteers and slots, so that rules bind often. */
function randomInstance(seed: number): AllocationInstance {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const int = (max: number) => Math.floor(random() * max);
  const requestCount = 2 + int(3);
  const requests = Array.from({ length: requestCount }, () => ({
    wanted: 1 + int(2),
    sameSlot: random() < 0.3,
  }));
  const slots: AllocationInstance['slots'] = [];
  const slotRequest: number[] = [];
  requests.forEach((_, r) => {
    for (let k = 0; k < 1 + int(2); k++) {
      const startsAt = int(6) * HOUR;
      slots.push({ startsAt, endsAt: startsAt + HOUR + int(2) * HOUR, school: r % 3 });
      slotRequest.push(r);
    }
  });
  const volunteers = 2 + int(3);
  const triples: TripleSpec[] = [];
  const seen = new Set<string>();
  const size = Math.min(6 + int(7), slots.length * volunteers);
  while (triples.length < size) {
    const slot = int(slots.length);
    const volunteer = int(volunteers);
    if (seen.has(`${slot}:${volunteer}`)) continue;
    seen.add(`${slot}:${volunteer}`);
    triples.push({
      request: slotRequest[slot],
      slot,
      volunteer,
      termCap: volunteer,
      weight: Math.round(random() * 1000) / 1000,
    });
  }
  const termCaps = Array.from({ length: volunteers }, () => 1 + int(2));
  return instanceOf({ requests, slots, termCaps, travelBufferMs: HOUR / 2, triples });
}

describe('solveAllocation', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  it('finds the same optimum as enumerating every subset, on 200 small instances', () => {
    const methods = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const instance = randomInstance(seed);
      expect(instance.triples.weight.length).toBeLessThanOrEqual(12);
      const result = solveAllocation(instance, highs, EXACT);
      expect(feasible(instance, result.chosen)).toBe(true);
      expect(result.objective).toBeCloseTo(bruteForce(instance), 9);
      expect(result.optimal).toBe(true);
      expect(result.bound).toBeGreaterThanOrEqual(result.objective - 1e-9);
      methods.add(result.method);
    }
    // Some instances have a fractional LP and need the exact sub-problem.
    expect(methods.has('sub_problem')).toBe(true);
  });

  it('beats greedy where the heaviest triple first is a trap', () => {
    // One volunteer near a well-off school and a deprived one; another volunteer only reaches
    // the well-off school. Greedy sends the first volunteer to the well-off school (slightly
    // heavier), and the deprived school gets nobody.
    const instance = instanceOf({
      requests: [
        { wanted: 1, sameSlot: false },
        { wanted: 1, sameSlot: false },
      ],
      slots: [
        { startsAt: 0, endsAt: HOUR, school: 0 },
        { startsAt: 0, endsAt: HOUR, school: 1 },
      ],
      termCaps: [1, 1],
      travelBufferMs: 0,
      triples: [
        { request: 0, slot: 0, volunteer: 0, termCap: 0, weight: 0.9 },
        { request: 1, slot: 1, volunteer: 0, termCap: 0, weight: 0.85 },
        { request: 0, slot: 0, volunteer: 1, termCap: 1, weight: 0.5 },
      ],
    });
    const result = solveAllocation(instance, highs, EXACT);
    expect(greedy(instance).objective).toBeCloseTo(0.9, 9);
    expect(result.objective).toBeCloseTo(1.35, 9);
    expect(result.chosen).toEqual([1, 2]);
    expect(result.greedy.objective).toBeCloseTo(0.9, 9);
  });

  it('keeps all the volunteers of a same-slot request at one slot', () => {
    const instance = instanceOf({
      requests: [{ wanted: 2, sameSlot: true }],
      slots: [
        { startsAt: 0, endsAt: HOUR, school: 0 },
        { startsAt: 24 * HOUR, endsAt: 25 * HOUR, school: 0 },
      ],
      termCaps: [1, 1],
      travelBufferMs: 0,
      triples: [
        { request: 0, slot: 0, volunteer: 0, termCap: 0, weight: 0.9 },
        { request: 0, slot: 1, volunteer: 1, termCap: 1, weight: 0.8 },
        { request: 0, slot: 1, volunteer: 0, termCap: 0, weight: 0.3 },
      ],
    });
    const result = solveAllocation(instance, highs, EXACT);
    expect(result.objective).toBeCloseTo(1.1, 9);
    expect(result.chosen).toEqual([1, 2]);
    expect(result.optimal).toBe(true);
  });

  it('answers an empty instance without calling the solver', () => {
    const result = solveAllocation(
      instanceOf({ requests: [], slots: [], termCaps: [], travelBufferMs: 0, triples: [] }),
      highs,
      EXACT,
    );
    expect(result).toMatchObject({ chosen: [], objective: 0, gap: 0, optimal: true });
  });
});

describe('solveAllocation with candidates left out', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  const withLeftOut = (weight: number): AllocationInstance => ({
    requests: [{ wanted: 1, sameSlot: false, leftOut: { triples: 5, weight } }],
    slots: [{ startsAt: 0, endsAt: HOUR, school: 0 }],
    termCaps: [1, 1],
    travelBufferMs: 0,
    triples: {
      request: Int32Array.from([0, 0]),
      slot: Int32Array.from([0, 0]),
      volunteer: Int32Array.from([0, 1]),
      termCap: Int32Array.from([0, 1]),
      weight: Float64Array.from([0.8, 0.6]),
    },
  });

  it('proves the optimum when the left-out candidates weigh no more than the marginal one', () => {
    const result = solveAllocation(withLeftOut(0.6), highs, EXACT);
    expect(result).toMatchObject({ chosen: [0], optimal: true, widen: [] });
    expect(result.bound).toBeCloseTo(0.8, 9);
  });

  it('counts heavier left-out candidates in the bound and asks to widen their request', () => {
    const result = solveAllocation(withLeftOut(0.9), highs, EXACT);
    expect(result).toMatchObject({ chosen: [0], optimal: false, widen: [0] });
    // The request's row has dual 0.6 at most here; five left-out triples could add 0.3 each.
    expect(result.bound).toBeGreaterThan(0.8);
    expect(result.bound).toBeLessThanOrEqual(0.8 + 5 * 0.9 + 1e-9);
  });
});

/**
 * The allocation problem in numbers, independent of the database: candidate (volunteer, request,
 * slot) triples with their weight, and the rules any chosen set must keep. Indices stand for
 * rows of the database; the service maps them back.
 */
export interface AllocationInstance {
  /**
   * Per request: how many more volunteers it may get, whether they must all share one slot,
   * and, when some of its candidates were left out of the triples, how many triples at most and
   * the heaviest weight among them (the solver's bound accounts for them).
   */
  requests: { wanted: number; sameSlot: boolean; leftOut?: { triples: number; weight: number } }[];
  /** Per slot: its times (epoch ms) and school, to decide which slots a volunteer cannot combine. */
  slots: { startsAt: number; endsAt: number; school: number }[];
  /** Per (volunteer, term): how many more visits the volunteer may take in that term. */
  termCaps: number[];
  /** Gap needed between visits at two different schools, in ms, on either side. */
  travelBufferMs: number;
  /** The candidate triples, as parallel arrays. */
  triples: {
    request: Int32Array;
    slot: Int32Array;
    volunteer: Int32Array;
    termCap: Int32Array;
    weight: Float64Array;
  };
}

export function tripleCount(instance: AllocationInstance): number {
  return instance.triples.weight.length;
}

/**
 * Whether one volunteer can take both triples: never two slots of the same request, never
 * overlapping times, and enough time to travel between two different schools.
 */
export function clash(instance: AllocationInstance, a: number, b: number): boolean {
  const { triples, slots, travelBufferMs } = instance;
  if (triples.request[a] === triples.request[b]) return true;
  const x = slots[triples.slot[a]];
  const y = slots[triples.slot[b]];
  if (x.startsAt < y.endsAt && y.startsAt < x.endsAt) return true;
  return (
    x.school !== y.school &&
    x.startsAt - travelBufferMs < y.endsAt + travelBufferMs &&
    y.startsAt - travelBufferMs < x.endsAt + travelBufferMs
  );
}

/** A set of chosen triples that keeps every rule, grown one triple at a time. */
export class Assignment {
  readonly chosen: number[] = [];
  objective = 0;
  private readonly requestLoad: Int32Array;
  private readonly capLoad: Int32Array;
  private readonly requestSlot: Int32Array;
  private readonly byVolunteer = new Map<number, number[]>();

  constructor(private readonly instance: AllocationInstance) {
    this.requestLoad = new Int32Array(instance.requests.length);
    this.capLoad = new Int32Array(instance.termCaps.length);
    this.requestSlot = new Int32Array(instance.requests.length).fill(-1);
  }

  /** The first rule that adding triple `j` would break, or null. */
  blockedBy(j: number): 'request_full' | 'term_cap' | 'other_slot' | 'clash' | null {
    const { triples, requests, termCaps } = this.instance;
    const r = triples.request[j];
    if (this.requestLoad[r] >= requests[r].wanted) return 'request_full';
    if (this.capLoad[triples.termCap[j]] >= termCaps[triples.termCap[j]]) return 'term_cap';
    if (requests[r].sameSlot && this.requestSlot[r] >= 0 && this.requestSlot[r] !== triples.slot[j])
      return 'other_slot';
    for (const k of this.byVolunteer.get(triples.volunteer[j]) ?? []) {
      if (clash(this.instance, j, k)) return 'clash';
    }
    return null;
  }

  tryAdd(j: number): boolean {
    if (this.blockedBy(j) !== null) return false;
    const { triples } = this.instance;
    const r = triples.request[j];
    this.requestLoad[r] += 1;
    this.capLoad[triples.termCap[j]] += 1;
    this.requestSlot[r] = triples.slot[j];
    const volunteer = triples.volunteer[j];
    const taken = this.byVolunteer.get(volunteer);
    if (taken) taken.push(j);
    else this.byVolunteer.set(volunteer, [j]);
    this.chosen.push(j);
    this.objective += triples.weight[j];
    return true;
  }

  /** The chosen triples of a volunteer. */
  takenBy(volunteer: number): readonly number[] {
    return this.byVolunteer.get(volunteer) ?? [];
  }
}

/** Adds triples in the given order whenever they still fit. */
export function fillInOrder(instance: AllocationInstance, order: Iterable<number>): Assignment {
  const assignment = new Assignment(instance);
  for (const j of order) {
    if (instance.triples.weight[j] > 0) assignment.tryAdd(j);
  }
  return assignment;
}

/** The heaviest triple first, whenever it still fits: what a first-come matcher would do. */
export function greedy(instance: AllocationInstance): Assignment {
  return fillInOrder(instance, heaviestFirst(instance));
}

/** Triple indices by weight, heaviest first (ties by index). */
export function heaviestFirst(instance: AllocationInstance): number[] {
  const { weight } = instance.triples;
  return Array.from(weight.keys()).sort((a, b) => weight[b] - weight[a] || a - b);
}

/** A linear constraint Σ coefs·x ≤ upper over some columns (coefficients 1 unless given). */
export interface Row {
  cols: number[];
  coefs?: number[];
  upper: number;
}

/**
 * The 0/1 model. Columns 0…n-1 are the triples; for requests whose volunteers must share a
 * slot, one more column per (request, slot) says which slot it is. Rows: request capacity,
 * volunteer term caps, one slot per (volunteer, request), and for each volunteer one row per
 * largest group of candidate slots that pairwise clash (found by a sweep over their times).
 */
export interface AllocationModel {
  numCols: number;
  cost: Float64Array;
  rows: Row[];
  /** The capacity row of each request, or -1 where it would not bind. */
  requestRows: Int32Array;
}

export function buildModel(instance: AllocationInstance): AllocationModel {
  const n = tripleCount(instance);
  const { triples } = instance;
  const rows: Row[] = [];
  const groupBy = (key: Int32Array, size: number) => {
    const groups: number[][] = Array.from({ length: size }, () => []);
    for (let j = 0; j < n; j++) groups[key[j]].push(j);
    return groups;
  };

  const requestRows = new Int32Array(instance.requests.length).fill(-1);
  groupBy(triples.request, instance.requests.length).forEach((cols, r) => {
    const { wanted, leftOut } = instance.requests[r];
    if (cols.length > wanted || (leftOut && cols.length > 0)) {
      requestRows[r] = rows.length;
      rows.push({ cols, upper: wanted });
    }
  });
  groupBy(triples.termCap, instance.termCaps.length).forEach((cols, g) => {
    if (cols.length > instance.termCaps[g]) rows.push({ cols, upper: instance.termCaps[g] });
  });

  let numCols = n;
  const slotColumns: number[] = [];
  const sameSlotRows = new Map<string, number>();
  for (let j = 0; j < n; j++) {
    const r = triples.request[j];
    if (!instance.requests[r].sameSlot) continue;
    const key = `${r}:${triples.slot[j]}`;
    let column = sameSlotRows.get(key);
    if (column === undefined) {
      column = numCols++;
      sameSlotRows.set(key, column);
      slotColumns.push(r);
    }
    rows.push({ cols: [j, column], coefs: [1, -1], upper: 0 });
  }
  const slotChoices = new Map<number, number[]>();
  slotColumns.forEach((r, i) => {
    const list = slotChoices.get(r) ?? [];
    list.push(n + i);
    slotChoices.set(r, list);
  });
  for (const cols of slotChoices.values()) if (cols.length > 1) rows.push({ cols, upper: 1 });

  for (const cols of groupBy(triples.volunteer, volunteerCount(instance))) {
    if (cols.length < 2) continue;
    const perRequest = new Map<number, number[]>();
    for (const j of cols) {
      const list = perRequest.get(triples.request[j]) ?? [];
      list.push(j);
      perRequest.set(triples.request[j], list);
    }
    for (const pair of perRequest.values())
      if (pair.length > 1) rows.push({ cols: pair, upper: 1 });
    rows.push(...clashRows(instance, cols));
  }

  const cost = new Float64Array(numCols);
  cost.set(triples.weight);
  return { numCols, cost, rows, requestRows };
}

function volunteerCount(instance: AllocationInstance): number {
  let max = -1;
  for (const v of instance.triples.volunteer) if (v > max) max = v;
  return max + 1;
}

/**
 * Rows that keep one volunteer's chosen triples from clashing. A sweep over the slot times
 * (widened by the travel buffer) finds each largest group of mutually overlapping triples; a
 * group whose members all clash pairwise becomes one row, otherwise (two slots at one school
 * that only meet within the buffer) its clashing pairs get a row each.
 */
export function clashRows(instance: AllocationInstance, cols: number[]): Row[] {
  const { slots, triples, travelBufferMs } = instance;
  const start = (j: number) => slots[triples.slot[j]].startsAt - travelBufferMs;
  const end = (j: number) => slots[triples.slot[j]].endsAt + travelBufferMs;
  const sorted = [...cols].sort((a, b) => start(a) - start(b) || a - b);
  const rows: Row[] = [];
  const pairsDone = new Set<string>();
  let active: number[] = [];
  let grew = false;
  const emit = () => {
    if (active.length < 2 || !grew) return;
    grew = false;
    const group = [...active];
    if (everyPairClashes(instance, group)) {
      rows.push({ cols: group, upper: 1 });
      return;
    }
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        const key = `${Math.min(group[a], group[b])}:${Math.max(group[a], group[b])}`;
        if (!pairsDone.has(key) && clash(instance, group[a], group[b])) {
          pairsDone.add(key);
          rows.push({ cols: [group[a], group[b]], upper: 1 });
        }
      }
    }
  };
  for (const j of sorted) {
    if (active.some((k) => end(k) <= start(j))) {
      emit();
      active = active.filter((k) => end(k) > start(j));
    }
    active.push(j);
    grew = true;
  }
  emit();
  return rows;
}

function everyPairClashes(instance: AllocationInstance, group: number[]): boolean {
  for (let a = 0; a < group.length; a++) {
    for (let b = a + 1; b < group.length; b++) {
      if (!clash(instance, group[a], group[b])) return false;
    }
  }
  return true;
}

import type { Highs, Model } from 'highs';
import {
  Assignment,
  AllocationInstance,
  AllocationModel,
  buildModel,
  fillInOrder,
  heaviestFirst,
  Row,
  tripleCount,
} from './allocation-model';

export interface SolveOptions {
  /** Stop once the proven gap is at most this share of the bound (0: prove the optimum). */
  relativeGap: number;
  /** Time the solver may take in all; the exact sub-problem gets what the LP leaves. */
  timeLimitMs: number;
}

export interface SolveResult {
  chosen: number[];
  objective: number;
  /** Proven upper bound on the best objective (the LP relaxation, or the optimum itself). */
  bound: number;
  /** (bound − objective) / bound. */
  gap: number;
  optimal: boolean;
  /**
   * Requests whose left-out candidates could still improve on the answer (by the bound): the
   * caller may solve again with all of their candidates.
   */
  widen: number[];
  /** How the answer was reached: LP already integral, LP-guided rounding, or exact sub-problem. */
  method: 'lp' | 'rounding' | 'sub_problem';
  greedy: { chosen: number[]; objective: number };
  stats: {
    columns: number;
    rows: number;
    fractionalColumns: number;
    subProblemColumns: number;
    /** Building the model and the greedy assignment. */
    modelMs: number;
    lpMs: number;
    roundingMs: number;
    subProblemMs: number;
  };
}

const INTEGRAL = 1e-6;
/** Absolute slack in objective comparisons, far below any single triple's weight. */
const EPSILON = 1e-9;

/**
 * Solves the allocation exactly, in the way that was found to work with HiGHS compiled to
 * WebAssembly: the LP relaxation (sparse arrays, presolve off, dual simplex) gives the bound and
 * is almost always integral or nearly so; rounding it in order of its values, then filling what
 * is left greedily, gives an incumbent; if the gap between them is still too wide, reduced costs
 * fix every column that cannot be in a better solution and a small MIP over the rest closes it.
 * The whole model is never handed to the MIP solver (its set-up alone is too slow here).
 */
export function solveAllocation(
  instance: AllocationInstance,
  highs: Highs,
  options: SolveOptions,
): SolveResult {
  const started = Date.now();
  const n = tripleCount(instance);
  const model = buildModel(instance);
  const baselineOrder = heaviestFirst(instance);
  const baseline = fillInOrder(instance, baselineOrder);
  const stats = {
    columns: model.numCols,
    rows: model.rows.length,
    fractionalColumns: 0,
    subProblemColumns: 0,
    modelMs: Date.now() - started,
    lpMs: 0,
    roundingMs: 0,
    subProblemMs: 0,
  };
  let leftOut = { bound: 0, widen: [] as number[] };
  const finish = (best: Assignment, bound: number, method: SolveResult['method']): SolveResult => {
    const cappedBound = Math.max(bound + leftOut.bound, best.objective);
    const gap = cappedBound > EPSILON ? (cappedBound - best.objective) / cappedBound : 0;
    return {
      chosen: [...best.chosen].sort((a, b) => a - b),
      objective: best.objective,
      bound: cappedBound,
      gap,
      optimal: cappedBound - best.objective <= EPSILON * Math.max(1, cappedBound),
      method,
      widen: leftOut.widen,
      greedy: { chosen: baseline.chosen, objective: baseline.objective },
      stats,
    };
  };
  if (n === 0) return finish(baseline, 0, 'lp');

  const lpStarted = Date.now();
  const lp = solveLp(highs, model, options.timeLimitMs / 1000);
  stats.lpMs = Date.now() - lpStarted;

  leftOut = leftOutBound(instance, model, lp);

  const roundingStarted = Date.now();
  const { value } = lp;
  stats.fractionalColumns = value.filter((x) => Math.abs(x - Math.round(x)) > INTEGRAL).length;
  // Columns at 1 first, then the fractional ones by value, then the rest, each by weight.
  const byValue = (j: number) => (value[j] >= 1 - INTEGRAL ? 2 : value[j] > INTEGRAL ? 1 : 0);
  const fractional = baselineOrder
    .filter((j) => byValue(j) === 1)
    .sort((a, b) => value[b] - value[a]);
  const order = [
    ...baselineOrder.filter((j) => byValue(j) === 2),
    ...fractional,
    ...baselineOrder.filter((j) => byValue(j) === 0),
  ];
  const rounded = fillInOrder(instance, order);
  let best = rounded.objective >= baseline.objective ? rounded : baseline;
  stats.roundingMs = Date.now() - roundingStarted;
  const method = stats.fractionalColumns === 0 ? 'lp' : 'rounding';
  // Close enough over the triples: done. If only the left-out candidates keep the gap open
  // (`leftOut.bound` is added in `finish`), the caller widens; no sub-problem would help.
  if (closeEnough(best.objective, lp.objective, options.relativeGap)) {
    return finish(best, lp.objective, method);
  }

  const subStarted = Date.now();
  const remainingMs = options.timeLimitMs - (subStarted - started);
  const exact = solveSubProblem(highs, instance, model, lp, best.objective, remainingMs);
  stats.subProblemColumns = exact.columns;
  stats.subProblemMs = Date.now() - subStarted;
  if (exact.chosen) {
    const candidate = new Assignment(instance);
    const fits = exact.chosen.every((j) => candidate.tryAdd(j));
    if (fits && candidate.objective > best.objective) best = candidate;
  }
  // Proven optimal over the triples; with candidates left out, only the LP's bound holds.
  const proven = exact.proven && leftOut.bound === 0;
  return finish(best, proven ? best.objective : lp.objective, 'sub_problem');
}

/**
 * What the candidates left out of the triples could add, at most: for any duals y ≥ 0 of the
 * rows, the optimum is at most Σ b·y plus, over every column, max(0, weight − its rows' duals).
 * With the LP's own duals the first part and the columns in the model come to the LP optimum; a
 * left-out triple of request r is in r's capacity row at least, so it adds at most
 * max(0, weight − y_r). Requests where that is above zero are named, to be widened.
 */
function leftOutBound(
  instance: AllocationInstance,
  model: AllocationModel,
  lp: LpSolution,
): { bound: number; widen: number[] } {
  let bound = 0;
  const widen: number[] = [];
  instance.requests.forEach((request, r) => {
    if (!request.leftOut) return;
    const row = model.requestRows[r];
    const dual = row >= 0 ? Math.max(0, lp.rowDual[row]) : 0;
    const excess = request.leftOut.weight - dual;
    if (excess > EPSILON) {
      bound += request.leftOut.triples * excess;
      widen.push(r);
    }
  });
  return { bound, widen };
}

function closeEnough(objective: number, bound: number, relativeGap: number): boolean {
  return bound - objective <= Math.max(EPSILON * Math.max(1, bound), relativeGap * bound);
}

interface LpSolution {
  objective: number;
  value: Float64Array;
  reducedCost: Float64Array;
  rowDual: Float64Array;
}

function solveLp(highs: Highs, model: AllocationModel, timeLimitSeconds: number): LpSolution {
  const all = Array.from({ length: model.numCols }, (_, j) => j);
  return withModel(highs, toModelData(highs, model, all, new Map(), false)!, (lp) => {
    lp.options.set({
      output_flag: false,
      presolve: 'off',
      solver: 'simplex',
      simplex_strategy: 1,
      time_limit: Math.max(1, timeLimitSeconds),
    });
    lp.run();
    const status = lp.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal) {
      throw new Error(`the LP relaxation ended with status ${statusName(highs, status)}`);
    }
    const solution = lp.getSolution();
    return {
      objective: lp.getObjectiveValue(),
      value: solution.colValue,
      reducedCost: solution.colDual,
      rowDual: solution.rowDual,
    };
  });
}

/**
 * Columns whose reduced cost shows they cannot take another value in a solution better than
 * the incumbent are fixed; the MIP over the other columns then finds the optimum, or proves
 * that the incumbent is it.
 */
function solveSubProblem(
  highs: Highs,
  instance: AllocationInstance,
  model: AllocationModel,
  lp: LpSolution,
  incumbent: number,
  remainingMs: number,
): { chosen?: number[]; proven: boolean; columns: number } {
  const slack = lp.objective - incumbent;
  const fixed = new Map<number, 0 | 1>();
  const free: number[] = [];
  for (let j = 0; j < model.numCols; j++) {
    const x = lp.value[j];
    const d = lp.reducedCost[j];
    if (x <= INTEGRAL && -d > slack + EPSILON) fixed.set(j, 0);
    else if (x >= 1 - INTEGRAL && d > slack + EPSILON) fixed.set(j, 1);
    else free.push(j);
  }
  if (remainingMs < 1000) return { proven: false, columns: free.length };
  const data = toModelData(highs, model, free, fixed, true);
  // Fixed columns alone break a row: no solution better than the incumbent exists.
  if (!data) return { proven: true, columns: free.length };
  const deadline = Date.now() + remainingMs;
  return withModel(highs, data, (mip) => {
    mip.options.set({
      output_flag: false,
      mip_rel_gap: 0,
      mip_abs_gap: EPSILON,
      time_limit: remainingMs / 1000,
    });
    mip.run({
      [highs.constants.callbackType.mipInterrupt](event) {
        if (Date.now() > deadline) event.interrupt();
      },
    });
    const status = mip.getModelStatus();
    const proven = status === highs.constants.modelStatus.optimal;
    const infeasible = status === highs.constants.modelStatus.infeasible;
    if (infeasible) return { proven: true, columns: free.length };
    const values = mip.getSolution().colValue;
    const chosen = [...fixed].filter(([, v]) => v === 1).map(([j]) => j);
    free.forEach((j, i) => {
      if (values[i] > 0.5) chosen.push(j);
    });
    const triples = chosen.filter((j) => j < tripleCount(instance));
    return { chosen: values.length ? triples : undefined, proven, columns: free.length };
  });
}

/** The model over some columns, with the others fixed at the values given (0 if not given). */
function toModelData(
  highs: Highs,
  model: AllocationModel,
  columns: number[],
  fixed: Map<number, 0 | 1>,
  integer: boolean,
) {
  const position = new Int32Array(model.numCols).fill(-1);
  columns.forEach((j, i) => (position[j] = i));
  const rows: Row[] = [];
  for (const row of model.rows) {
    let upper = row.upper;
    const cols: number[] = [];
    const coefs: number[] = [];
    row.cols.forEach((j, k) => {
      const coef = row.coefs?.[k] ?? 1;
      if (position[j] >= 0) {
        cols.push(position[j]);
        coefs.push(coef);
      } else if (fixed.get(j) === 1) {
        upper -= coef;
      }
    });
    if (cols.length) rows.push({ cols, coefs, upper });
    else if (upper < -EPSILON) return null;
  }
  const counts = new Int32Array(columns.length + 1);
  for (const row of rows) for (const i of row.cols) counts[i + 1] += 1;
  for (let i = 0; i < columns.length; i++) counts[i + 1] += counts[i];
  const starts = Int32Array.from(counts);
  const fill = Int32Array.from(counts);
  const indices = new Int32Array(counts[columns.length]);
  const values = new Float64Array(counts[columns.length]);
  rows.forEach((row, r) => {
    row.cols.forEach((i, k) => {
      indices[fill[i]] = r;
      values[fill[i]] = row.coefs![k];
      fill[i] += 1;
    });
  });
  return {
    numCols: columns.length,
    numRows: rows.length,
    sense: highs.constants.objectiveSense.maximize,
    colCost: Float64Array.from(columns, (j) => model.cost[j]),
    colLower: new Float64Array(columns.length),
    colUpper: new Float64Array(columns.length).fill(1),
    rowLower: new Float64Array(rows.length).fill(-highs.infinity),
    rowUpper: Float64Array.from(rows, (row) => row.upper),
    matrix: {
      format: 'csc' as const,
      numRows: rows.length,
      numCols: columns.length,
      starts,
      indices,
      values,
    },
    ...(integer
      ? { integrality: new Int32Array(columns.length).fill(highs.constants.variableType.integer) }
      : {}),
  };
}

function withModel<T>(
  highs: Highs,
  data: NonNullable<ReturnType<typeof toModelData>>,
  use: (model: Model) => T,
): T {
  const model = highs.createModel(data);
  try {
    return use(model);
  } finally {
    model.dispose();
  }
}

function statusName(highs: Highs, status: number): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, code]) => code === status);
  return entry ? entry[0] : String(status);
}

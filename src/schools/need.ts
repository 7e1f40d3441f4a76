import { AppConfig } from '../config/config';

export type NeedWeights = AppConfig['need'];

/** Deprivation given to a school with no FSM figure: the national median. */
export const MEDIAN_PERCENTILE = 0.5;

export interface NeedBreakdown {
  /** National percentile of the school's FSM percentage, in [0, 1]. */
  deprivation: number;
  /** 1 when the school has had no completed visit in the last 12 months, else 0. */
  outreachGap: number;
  weights: NeedWeights;
}

/**
 * The need score of a school, in [0, 1]: a weighted sum of its deprivation and its outreach
 * gap. The weights come from configuration (NEED_WEIGHT_*) and add up to 1.
 */
export function needScore(breakdown: Omit<NeedBreakdown, 'weights'>, weights: NeedWeights): number {
  const score =
    weights.deprivationWeight * breakdown.deprivation +
    weights.outreachGapWeight * breakdown.outreachGap;
  return Math.round(score * 10_000) / 10_000;
}

export function deprivationOf(fsmPercentile: number | null): number {
  return fsmPercentile ?? MEDIAN_PERCENTILE;
}

const REACH_WINDOW_MS = 365 * 24 * 3600 * 1000;

/** Full gap (1) unless the school had a completed visit in the last 365 days. */
export function outreachGapOf(lastCompletedVisitAt: Date | null, now = new Date()): number {
  return lastCompletedVisitAt && now.getTime() - lastCompletedVisitAt.getTime() <= REACH_WINDOW_MS
    ? 0
    : 1;
}

/**
 * How candidates for a visit are ranked. Every candidate has passed the hard filters (approved,
 * not paused, offers the activity and format, within their travel radius for in-person visits,
 * free at a proposed time, under their term limit, not already asked for this request). The
 * score, in [0, 1], is the weighted sum of:
 *
 * - distance: 1 at the school's door, falling linearly to 0 at the volunteer's travel radius
 *   (1 for virtual visits);
 * - fit: the share of the request's year groups that the volunteer is happy with;
 * - reliability: (completed + 1) / (completed + no-shows + cancellations by the volunteer + 1),
 *   so a newcomer starts at 1 and every visit they drop lowers it;
 * - new volunteer: 1 for a volunteer never yet invited anywhere, so that new people get a turn.
 */
export const SCORE_WEIGHTS = {
  distance: 0.4,
  fit: 0.25,
  reliability: 0.25,
  newVolunteer: 0.1,
} as const;

export interface ScoreBreakdown {
  distance: number;
  fit: number;
  reliability: number;
  newVolunteer: number;
}

export type ScoreWeights = { [K in keyof typeof SCORE_WEIGHTS]: number };

export function score(breakdown: ScoreBreakdown, weights: ScoreWeights = SCORE_WEIGHTS): number {
  const total =
    weights.distance * breakdown.distance +
    weights.fit * breakdown.fit +
    weights.reliability * breakdown.reliability +
    weights.newVolunteer * breakdown.newVolunteer;
  return Math.round(total * 10_000) / 10_000;
}

/**
 * The same score in SQL, over columns named as in the breakdown, before rounding; the weights
 * are numbers or SQL expressions (such as parameters).
 */
export const scoreSql = (weights: { [K in keyof ScoreWeights]: number | string }) =>
  `(${weights.distance} * distance_score + ${weights.fit} * fit_score
  + ${weights.reliability} * reliability_score + ${weights.newVolunteer} * new_score)`;

export const SCORE_SQL = scoreSql(SCORE_WEIGHTS);

/** Rounded to four places, as `score()` does. */
export const roundedScoreSql = (sql: string) => `floor(${sql} * 10000 + 0.5) / 10000`;

/** Fit, reliability and newcomer boost from the profile `p` and the request `r`. */
export const BREAKDOWN_FROM_PROFILE = `
  bit_count((p.year_bits & r.year_bits)::bit(32))::float8 / bit_count(r.year_bits::bit(32)) AS fit_score,
  (p.completed + 1)::float8 / (p.completed + p.dropped + 1) AS reliability_score,
  (p.invitations = 0)::int::float8 AS new_score`;

/** Distance score of an in-person visit, from `d.distance_km` and the profile `p`'s radius. */
export const IN_PERSON_DISTANCE_SCORE = 'greatest(0, 1 - d.distance_km * 1000 / p.radius_m)';

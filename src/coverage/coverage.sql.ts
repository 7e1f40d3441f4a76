import { ACTIVE_VOLUNTEER } from '../matching/candidate-filters.sql';

/**
 * The coverage figures, defined once. `school_coverage(since)` (a SQL function, see the
 * Coverage migration; `coverage_rows(null)` reads its snapshot over the last 365 days) gives
 * every open primary school with:
 * - reached: at least one completed visit, or outreach recorded elsewhere, since `since`;
 * - within_reach: inside the travel radius of at least one active (approved, not paused)
 *   volunteer, from the trigger-maintained `school_reach` counts;
 * - cold_spot: high-need, not reached, and within no active volunteer's reach.
 * The figures below are sums over it, per area.
 */
export const AREA_FIGURES = `
  count(*)::int AS schools,
  count(*) FILTER (WHERE c.high_need)::int AS "highNeedSchools",
  count(*) FILTER (WHERE c.reached)::int AS reached,
  count(*) FILTER (WHERE c.reached AND c.high_need)::int AS "highNeedReached",
  round(100.0 * count(*) FILTER (WHERE c.reached) / nullif(count(*), 0), 1)::float8 AS "coveragePct",
  round(100.0 * count(*) FILTER (WHERE c.reached AND c.high_need)
    / nullif(count(*) FILTER (WHERE c.high_need), 0), 1)::float8 AS "highNeedCoveragePct",
  count(*) FILTER (WHERE c.within_reach)::int AS "schoolsWithinReach",
  count(*) FILTER (WHERE c.cold_spot)::int AS "coldSpots",
  coalesce(sum(c.pupils_reached), 0)::int AS "pupilsReached"`;

/** Active volunteers, with where they are. */
export const ACTIVE_VOLUNTEERS = `SELECT v.region, v.la_gss_code FROM volunteers v
  WHERE ${ACTIVE_VOLUNTEER}`;

/** Completed visits and outreach recorded elsewhere, as one list of (school, day, pupils). */
export const ALL_OUTREACH = `
  SELECT x.school_urn AS urn, (x.starts_at AT TIME ZONE 'Europe/London')::date AS day, x.pupils_reached AS pupils
  FROM visits x WHERE x.status = 'completed'
  UNION ALL
  SELECT o.school_urn, o.occurred_on, o.pupils_reached FROM outreach_records o`;

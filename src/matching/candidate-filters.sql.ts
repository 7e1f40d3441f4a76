/**
 * The hard filters of matching, written once and shared by the candidates of a request, the
 * check made when a school invites or a volunteer offers, and the volunteer's opportunities.
 *
 * Each fragment expects these names in scope: `v` (volunteers), `r` (the visit request),
 * `school_point` (the school's earth point) and `sl` (a request slot). The fragments that look
 * at a volunteer's visits read them from `visits` unless told another source with the same
 * columns (the volunteer's own visits, gathered once).
 */

/** Approved, not paused, not erased, and placed: `volunteer_is_active()` in the database. */
export const ACTIVE_VOLUNTEER = `v.status = 'approved' AND v.paused_at IS NULL AND v.erased_at IS NULL
  AND v.latitude IS NOT NULL`;

/** Offers what the school asked for. */
export const OFFERS_ACTIVITY = `r.activity = ANY (v.activities) AND r.format = ANY (v.formats)`;

/**
 * Within the volunteer's own radius for in-person visits (the box of the largest radius, 80 km,
 * lets the location index help). `earth_metres` is earthdistance's `earth_distance`, inlined.
 */
export const WITHIN_REACH = `(r.format = 'virtual' OR (
  earth_box(school_point, 80000) @> ll_to_earth(v.latitude, v.longitude)
  AND earth_metres(school_point, ll_to_earth(v.latitude, v.longitude)) <= v.travel_radius_km * 1000))`;

/** Usually free in that half-day of the week, and not away on that date. */
export const AVAILABLE_AT_SLOT = `sl.half_day = ANY (v.weekly_half_days)
  AND NOT EXISTS (SELECT 1 FROM volunteer_unavailability u WHERE u.volunteer_id = v.id
    AND (sl.starts_at AT TIME ZONE 'Europe/London')::date BETWEEN u.starts_on AND u.ends_on)`;

/** No visit that overlaps, or that is too close to travel between two schools. */
export const notBusyAtSlot = (visits = 'visits') => `NOT EXISTS (SELECT 1 FROM ${visits} x
  WHERE x.volunteer_id = v.id AND x.status IN ('confirmed', 'completed')
  AND (tstzrange(x.starts_at, x.ends_at, '[)') && tstzrange(sl.starts_at, sl.ends_at, '[)')
    OR (x.school_urn <> r.school_urn
      AND visit_travel_window(x.starts_at, x.ends_at) && visit_travel_window(sl.starts_at, sl.ends_at))))`;

/** The visits `x` that count towards a volunteer's limit in their term. */
export const TERM_VISITS = `x.status IN ('confirmed', 'completed')`;

/** The invitations `i` that count towards the per-term cap on invitations a volunteer receives. */
export const TERM_INVITATIONS = `i.kind = 'invitation' AND i.status <> 'withdrawn'`;

/** Fewer visits in the slot's term than the volunteer's own limit. */
export const underTermLimit = (visits = 'visits') => `(SELECT count(*) FROM ${visits} x
  WHERE x.volunteer_id = v.id AND x.term_id = sl.term_id AND ${TERM_VISITS})
  < v.max_visits_per_term`;

export const NOT_BUSY_AT_SLOT = notBusyAtSlot();
export const UNDER_TERM_LIMIT = underTermLimit();

/** Not already invited, offered, confirmed or declined for this request. */
export const NOT_ALREADY_ASKED = `NOT EXISTS (SELECT 1 FROM invitations i
  WHERE i.request_id = r.id AND i.volunteer_id = v.id AND i.status <> 'withdrawn')`;

export const FREE_AT_SLOT = `${AVAILABLE_AT_SLOT} AND ${NOT_BUSY_AT_SLOT} AND ${UNDER_TERM_LIMIT}`;

/**
 * The static filters over `p` (matching_profiles), read from its indexes: active, offers the
 * activity in the format (`r.offer_bit`), and usually free in the half-day of at least one slot
 * (`r.half_day_bits`). The exact per-slot checks follow, for far fewer volunteers.
 */
export const PROFILE_OFFERS = `p.offer_bits & r.offer_bit <> 0
  AND p.half_day_bits & r.half_day_bits <> 0`;
export const PROFILE_MATCHES = `p.active AND ${PROFILE_OFFERS}`;

/** For in-person visits: the school lies in the box of the volunteer's radius, then within it. */
export const PROFILE_REACHES_SCHOOL = `p.reach @> r.school_point
  AND earth_metres(r.school_point, p.point) <= p.radius_m`;

import { ALL_OUTREACH } from '../coverage/coverage.sql';
import {
  FREE_AT_SLOT,
  NOT_ALREADY_ASKED,
  PROFILE_MATCHES,
  PROFILE_REACHES_SCHOOL,
} from '../matching/candidate-filters.sql';
import { BREAKDOWN_FROM_PROFILE, IN_PERSON_DISTANCE_SCORE } from '../matching/score';

/**
 * The open requests of a scope (`$1` region or `$2` local authority codes) with a slot in the
 * term (`$3`–`$4`, London dates) that is still ahead: what they still want (neither confirmed
 * nor waiting for an answer), and what makes up their school's need.
 */
export const SCOPE_REQUESTS = `
  WITH slots AS (
    SELECT sl.* FROM request_slots sl
    WHERE sl.starts_at > now()
      AND (sl.starts_at AT TIME ZONE 'Europe/London')::date BETWEEN $3::date AND $4::date)
  SELECT r.id, r.school_urn AS "schoolUrn", s.name AS "schoolName", s.high_need AS "highNeed",
         s.fsm_percentile AS "fsmPercentile", r.auto_invite AS "autoInvite", r.same_slot AS "sameSlot",
         r.volunteers_wanted AS "volunteersWanted", c.confirmed, c.pending,
         (SELECT max(a.day) FROM (${ALL_OUTREACH}) a WHERE a.urn = s.urn) AS "lastReachedOn",
         (SELECT array_agg(sl.id ORDER BY sl.starts_at) FROM slots sl WHERE sl.request_id = r.id
            AND (NOT r.same_slot OR c.confirmed_slot IS NULL OR sl.id = c.confirmed_slot)) AS "slotIds"
  FROM visit_requests r
  JOIN schools s ON s.urn = r.school_urn
  CROSS JOIN LATERAL (
    SELECT (SELECT count(*) FROM visits x
            WHERE x.request_id = r.id AND x.status IN ('confirmed', 'completed'))::int AS confirmed,
           (SELECT min(x.slot_id::text)::uuid FROM visits x
            WHERE x.request_id = r.id AND x.status IN ('confirmed', 'completed')) AS confirmed_slot,
           (SELECT count(*) FROM invitations i
            WHERE i.request_id = r.id AND i.status = 'pending')::int AS pending) c
  WHERE r.status = 'open' AND EXISTS (SELECT 1 FROM slots sl WHERE sl.request_id = r.id)
    AND (s.region = $1 OR s.la_code = ANY ($2::text[]))
  ORDER BY r.id`;

/** The slots (`$1`) with their times and school. */
export const SLOTS = `
  SELECT sl.id, sl.request_id AS "requestId", r.school_urn AS "schoolUrn", sl.term_id AS "termId",
         extract(epoch FROM sl.starts_at) * 1000 AS "startsAt",
         extract(epoch FROM sl.ends_at) * 1000 AS "endsAt"
  FROM request_slots sl JOIN visit_requests r ON r.id = sl.request_id
  WHERE sl.id = ANY ($1::uuid[])`;

const REQUESTS = `
  SELECT r.id, r.school_urn, r.format, offer_bit(r.activity, r.format) AS offer_bit,
         bit_set(r.year_groups) AS year_bits, ll_to_earth(s.latitude, s.longitude) AS school_point,
         (SELECT bit_set(array_agg(sl.half_day)) FROM request_slots sl
          WHERE sl.request_id = r.id AND sl.id = ANY ($2::uuid[])) AS half_day_bits
  FROM visit_requests r JOIN schools s ON s.urn = r.school_urn WHERE r.id = ANY ($1::uuid[])`;

/**
 * Every candidate (request `$1`, slot `$2`, volunteer) triple, through the same filters as a
 * request's candidates: the static ones from the matching profiles (in person from the reach
 * index, virtual from the offer), then the per-slot ones. Each comes with the score breakdown
 * and the volunteer's room in the slot's term: visits under their own limit, and invitations
 * under the per-term cap (`$3`).
 */
export const CANDIDATE_TRIPLES = `
  WITH r AS MATERIALIZED (${REQUESTS}),
  pairs AS MATERIALIZED (
    SELECT r.id AS request_id, p.volunteer_id, d.distance_km, b.*
    FROM r JOIN matching_profiles p ON ${PROFILE_MATCHES} AND ${PROFILE_REACHES_SCHOOL}
    CROSS JOIN LATERAL (SELECT earth_metres(r.school_point, p.point) / 1000 AS distance_km) d
    CROSS JOIN LATERAL (SELECT ${IN_PERSON_DISTANCE_SCORE} AS distance_score, ${BREAKDOWN_FROM_PROFILE}) b
    WHERE r.format <> 'virtual'
    UNION ALL
    SELECT r.id, p.volunteer_id, earth_metres(r.school_point, p.point) / 1000, b.*
    FROM r JOIN matching_profiles p ON ${PROFILE_MATCHES} AND p.offer_bits & r.offer_bit <> 0
    CROSS JOIN LATERAL (SELECT 1.0::float8 AS distance_score, ${BREAKDOWN_FROM_PROFILE}) b
    WHERE r.format = 'virtual'),
  triples AS MATERIALIZED (
    SELECT c.*, sl.id AS slot_id, sl.term_id
    FROM pairs c JOIN r ON r.id = c.request_id JOIN volunteers v ON v.id = c.volunteer_id
    JOIN request_slots sl ON sl.request_id = r.id AND sl.id = ANY ($2::uuid[])
    WHERE ${NOT_ALREADY_ASKED} AND ${FREE_AT_SLOT}),
  room AS (
    SELECT g.volunteer_id, g.term_id, least(
      v.max_visits_per_term - (SELECT count(*) FROM visits x WHERE x.volunteer_id = g.volunteer_id
        AND x.term_id = g.term_id AND x.status IN ('confirmed', 'completed')),
      $3 - (SELECT count(*) FROM invitations i WHERE i.volunteer_id = g.volunteer_id
        AND i.term_id = g.term_id AND i.kind = 'invitation' AND i.status <> 'withdrawn'))::int AS room
    FROM (SELECT DISTINCT volunteer_id, term_id FROM triples) g JOIN volunteers v ON v.id = g.volunteer_id)
  SELECT t.request_id, t.slot_id, t.volunteer_id, t.term_id, m.room, t.distance_km,
         t.distance_score, t.fit_score, t.reliability_score, t.new_score
  FROM triples t JOIN room m USING (volunteer_id, term_id)
  WHERE m.room > 0`;

/** For requests (`$1`) with no candidate: how many active volunteers offering it are in reach. */
export const IN_REACH_COUNTS = `
  WITH r AS MATERIALIZED (${REQUESTS.replace('sl.id = ANY ($2::uuid[])', 'sl.starts_at > now()')})
  SELECT r.id, (SELECT count(*) FROM matching_profiles p
                WHERE p.active AND p.offer_bits & r.offer_bit <> 0
                  AND (r.format = 'virtual' OR ${PROFILE_REACHES_SCHOOL}))::int AS in_reach
  FROM r`;

import { ALL_OUTREACH } from '../coverage/coverage.sql';
import {
  AVAILABLE_AT_SLOT,
  NOT_ALREADY_ASKED,
  notBusyAtSlot,
  PROFILE_MATCHES,
  PROFILE_REACHES_SCHOOL,
  TERM_INVITATIONS,
  TERM_VISITS,
} from '../matching/candidate-filters.sql';
import {
  BREAKDOWN_FROM_PROFILE,
  IN_PERSON_DISTANCE_SCORE,
  roundedScoreSql,
  scoreSql,
} from '../matching/score';

/** A slot still ahead, on a London date within the term (`$3`–`$4`). */
const IN_TERM = `sl.starts_at > now()
  AND (sl.starts_at AT TIME ZONE 'Europe/London')::date BETWEEN $3::date AND $4::date`;

/**
 * The open requests of a scope (`$1` region or `$2` local authority codes) with a slot in the
 * term (`$3`–`$4`, London dates) that is still ahead: what they still want (neither confirmed
 * nor waiting for an answer), and what makes up their school's need.
 */
export const SCOPE_REQUESTS = `
  SELECT r.id, r.school_urn AS "schoolUrn", s.name AS "schoolName", s.high_need AS "highNeed",
         s.fsm_percentile AS "fsmPercentile", r.auto_invite AS "autoInvite", r.same_slot AS "sameSlot",
         r.volunteers_wanted AS "volunteersWanted", c.confirmed, c.pending,
         (SELECT max(a.day) FROM (${ALL_OUTREACH}) a WHERE a.urn = s.urn) AS "lastReachedOn",
         (SELECT array_agg(sl.id ORDER BY sl.starts_at) FROM request_slots sl
          WHERE sl.request_id = r.id AND ${IN_TERM}
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
  WHERE r.status = 'open' AND (s.region = $1 OR s.la_code = ANY ($2::text[]))
    AND EXISTS (SELECT 1 FROM request_slots sl WHERE sl.request_id = r.id AND ${IN_TERM})
  ORDER BY r.id`;

/** The slots (`$1`) with their times and school. */
export const SLOTS = `
  SELECT sl.id, r.school_urn AS "schoolUrn", extract(epoch FROM sl.starts_at) * 1000 AS "startsAt",
         extract(epoch FROM sl.ends_at) * 1000 AS "endsAt"
  FROM request_slots sl JOIN visit_requests r ON r.id = sl.request_id
  WHERE sl.id = ANY ($1::uuid[])`;

const REQUESTS = `
  SELECT r.id, r.school_urn, r.format, offer_bit(r.activity, r.format) AS offer_bit,
         bit_set(r.year_groups) AS year_bits, ll_to_earth(s.latitude, s.longitude) AS school_point,
         (SELECT bit_set(array_agg(sl.half_day)) FROM request_slots sl
          WHERE sl.request_id = r.id AND sl.id = ANY ($2::uuid[])) AS half_day_bits
  FROM visit_requests r JOIN schools s ON s.urn = r.school_urn WHERE r.id = ANY ($1::uuid[])`;

/** The candidate's quality: the candidates' score with the run's weights (`$4`–`$7`). */
const QUALITY_SQL = roundedScoreSql(
  scoreSql({
    distance: '$4::float8',
    fit: '$5::float8',
    reliability: '$6::float8',
    newVolunteer: '$7::float8',
  }),
);
const QUALITY = `${QUALITY_SQL} AS quality`;

/**
 * Every candidate (request `$1`, slot `$2`, volunteer) triple, through the same filters as a
 * request's candidates: the static ones from the matching profiles (in person from the reach
 * index, virtual from the offer), then the per-slot ones; the term limit becomes the room of each
 * (volunteer, term), counted once. Each has its distance and quality (the candidates' score with the weights
 * `$4`–`$7`: distance, fit, reliability, new volunteer), and belongs to a (volunteer, term)
 * with its room: visits under their own limit, and invitations under the per-term cap (`$3`).
 *
 * Only each request's `$8` best candidates by quality are read (`$10` for the requests in `$9`,
 * all of them for those in `$11`): a virtual request could otherwise bring everyone who offers
 * it, anywhere. `left_out`
 * says, per request, how many others there are and the best quality among them, which the
 * solver's bound accounts for.
 *
 * The answer is one row of parallel arrays, with requests and slots numbered as in `$1` and
 * `$2` (from 0) and volunteers and (volunteer, term) pairs numbered here: 300,000 triples
 * travel as a few arrays rather than as rows.
 */
export const CANDIDATE_TRIPLES = `
  WITH r AS MATERIALIZED (${REQUESTS}),
  offering AS MATERIALIZED (
    SELECT o.offer_bit, p.* FROM (SELECT DISTINCT offer_bit FROM r WHERE format = 'virtual') o
    JOIN matching_profiles p ON p.active AND p.offer_bits & o.offer_bit <> 0),
  nearby_visits AS MATERIALIZED (
    SELECT x.* FROM visits x, (SELECT min(starts_at) AS first, max(ends_at) AS last
                               FROM request_slots WHERE id = ANY ($2::uuid[])) w
    WHERE x.status IN ('confirmed', 'completed')
      AND x.starts_at < w.last + interval '1 day' AND x.ends_at > w.first - interval '1 day'),
  scored AS (
    SELECT r.id AS request_id, p.volunteer_id, d.distance_km, ${QUALITY}
    FROM r JOIN matching_profiles p ON ${PROFILE_MATCHES} AND ${PROFILE_REACHES_SCHOOL}
    CROSS JOIN LATERAL (SELECT earth_metres(r.school_point, p.point) / 1000 AS distance_km) d
    CROSS JOIN LATERAL (SELECT ${IN_PERSON_DISTANCE_SCORE} AS distance_score, ${BREAKDOWN_FROM_PROFILE}) b
    WHERE r.format <> 'virtual'
    UNION ALL
    SELECT r.id, p.volunteer_id, earth_metres(r.school_point, p.point) / 1000, ${QUALITY}
    FROM r JOIN offering p ON p.offer_bit = r.offer_bit AND ${PROFILE_MATCHES}
    CROSS JOIN LATERAL (SELECT 1.0::float8 AS distance_score, ${BREAKDOWN_FROM_PROFILE}) b
    WHERE r.format = 'virtual'),
  ranked AS MATERIALIZED (
    SELECT s.*, row_number() OVER (PARTITION BY s.request_id ORDER BY s.quality DESC, s.volunteer_id) AS rank
    FROM scored s),
  pairs AS MATERIALIZED (
    SELECT request_id, volunteer_id, distance_km, quality FROM ranked
    WHERE rank <= CASE WHEN request_id = ANY ($9::uuid[]) THEN $10::int ELSE $8::int END
       OR request_id = ANY ($11::uuid[])),
  triples AS MATERIALIZED (
    SELECT c.*, sl.id AS slot_id, sl.term_id
    FROM pairs c JOIN r ON r.id = c.request_id JOIN volunteers v ON v.id = c.volunteer_id
    JOIN request_slots sl ON sl.request_id = r.id AND sl.id = ANY ($2::uuid[])
    WHERE ${NOT_ALREADY_ASKED} AND ${AVAILABLE_AT_SLOT} AND ${notBusyAtSlot('nearby_visits')}),
  terms AS MATERIALIZED (SELECT DISTINCT term_id FROM triples),
  room AS MATERIALIZED (
    SELECT g.volunteer_id, g.term_id, least(v.max_visits_per_term - coalesce(vc.visits, 0),
                                            $3 - coalesce(ic.invitations, 0))::int AS room
    FROM (SELECT DISTINCT volunteer_id, term_id FROM triples) g
    JOIN volunteers v ON v.id = g.volunteer_id
    LEFT JOIN (SELECT x.volunteer_id, x.term_id, count(*) AS visits FROM visits x
               WHERE ${TERM_VISITS} AND x.term_id IN (SELECT term_id FROM terms)
               GROUP BY x.volunteer_id, x.term_id) vc USING (volunteer_id, term_id)
    LEFT JOIN (SELECT i.volunteer_id, i.term_id, count(*) AS invitations FROM invitations i
               WHERE ${TERM_INVITATIONS} AND i.term_id IN (SELECT term_id FROM terms)
               GROUP BY i.volunteer_id, i.term_id) ic USING (volunteer_id, term_id)),
  caps AS MATERIALIZED (
    SELECT m.*, (row_number() OVER (ORDER BY m.volunteer_id, m.term_id) - 1)::int AS no
    FROM room m WHERE m.room > 0),
  people AS MATERIALIZED (
    SELECT volunteer_id, (row_number() OVER (ORDER BY volunteer_id) - 1)::int AS no
    FROM (SELECT DISTINCT volunteer_id FROM caps) v),
  numbered AS (
    SELECT rq.no AS request_no, sn.no AS slot_no, pe.no AS volunteer_no, c.no AS cap_no,
           t.distance_km, t.quality
    FROM triples t
    JOIN caps c USING (volunteer_id, term_id)
    JOIN people pe USING (volunteer_id)
    JOIN unnest($1::uuid[]) WITH ORDINALITY AS rq(id, no) ON rq.id = t.request_id
    JOIN unnest($2::uuid[]) WITH ORDINALITY AS sn(id, no) ON sn.id = t.slot_id)
  SELECT (SELECT array_agg(volunteer_id ORDER BY no) FROM people) AS volunteer_ids,
         (SELECT array_agg(room ORDER BY no) FROM caps) AS rooms,
         (SELECT array_agg(pe.no ORDER BY c.no) FROM caps c JOIN people pe USING (volunteer_id))
           AS cap_volunteer_no,
         (SELECT array_agg(term_id ORDER BY no) FROM caps) AS cap_terms,
         array_agg(request_no - 1) AS request_no, array_agg(slot_no - 1) AS slot_no,
         array_agg(volunteer_no) AS volunteer_no, array_agg(cap_no) AS cap_no,
         array_agg(distance_km) AS distance_km, array_agg(quality) AS quality,
         (SELECT json_agg(json_build_object('request', rq.no - 1, 'pairs', e.pairs, 'bestQuality', e.best))
          FROM (SELECT request_id, count(*)::int AS pairs, max(quality) AS best FROM ranked
                WHERE rank > CASE WHEN request_id = ANY ($9::uuid[]) THEN $10::int ELSE $8::int END
                  AND request_id <> ALL ($11::uuid[])
                GROUP BY request_id) e
          JOIN unnest($1::uuid[]) WITH ORDINALITY AS rq(id, no) ON rq.id = e.request_id) AS left_out
  FROM numbered`;

/** For requests (`$1`) with no candidate: how many active volunteers offering it are in reach. */
export const IN_REACH_COUNTS = `
  WITH r AS MATERIALIZED (
    SELECT r.id, r.format, offer_bit(r.activity, r.format) AS offer_bit,
           ll_to_earth(s.latitude, s.longitude) AS school_point
    FROM visit_requests r JOIN schools s ON s.urn = r.school_urn WHERE r.id = ANY ($1::uuid[]))
  SELECT r.id, (SELECT count(*) FROM matching_profiles p
                WHERE p.active AND p.offer_bits & r.offer_bit <> 0
                  AND (r.format = 'virtual' OR ${PROFILE_REACHES_SCHOOL}))::int AS in_reach
  FROM r`;

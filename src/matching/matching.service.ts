import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { MembershipsService } from '../memberships/memberships.service';
import { RequestsService } from '../requests/requests.service';
import { RequestStatus, VisitRequest } from '../requests/visit-request.entity';
import { VisitFormat } from '../volunteers/volunteer.enums';
import { firstNameOf } from '../volunteers/volunteer.rules';
import {
  ACTIVE_VOLUNTEER,
  AVAILABLE_AT_SLOT,
  FREE_AT_SLOT,
  NOT_ALREADY_ASKED,
  NOT_BUSY_AT_SLOT,
  OFFERS_ACTIVITY,
  PROFILE_MATCHES,
  PROFILE_OFFERS,
  PROFILE_REACHES_SCHOOL,
  UNDER_TERM_LIMIT,
  WITHIN_REACH,
} from './candidate-filters.sql';
import { CandidateDto, CandidatesDto, UnmatchedReasonDto } from './candidates.dto';
import { offerBit } from './offer-bit';
import {
  BREAKDOWN_FROM_PROFILE,
  IN_PERSON_DISTANCE_SCORE,
  roundedScoreSql,
  SCORE_SQL,
} from './score';

export interface CandidateRow {
  id: string;
  display_name: string;
  profession: CandidateDto['profession'];
  specialty: string | null;
  study_year: number | null;
  organisation: string | null;
  distance_km: number;
  distance_score: number;
  fit_score: number;
  reliability_score: number;
  new_score: number;
  score: number;
  free_slot_ids: string[];
}

const REQUEST_AND_SCHOOL = `
  SELECT r.*, ll_to_earth(s.latitude, s.longitude) AS school_point
  FROM visit_requests r JOIN schools s ON s.urn = r.school_urn WHERE r.id = $1`;

/**
 * The matching engine: ranks the volunteers who pass every hard filter for a request, in one
 * SQL query that starts from the location index.
 */
@Injectable()
export class MatchingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsService,
    private readonly memberships: MembershipsService,
  ) {}

  async candidates(user: AuthUser, requestId: string, limit: number): Promise<CandidatesDto> {
    const manager = this.dataSource.manager;
    const request = await this.requests.find(manager, requestId);
    await this.memberships.assertMemberOrCoordinator(manager, user, request.schoolUrn).catch(() => {
      throw this.requests.notFound(requestId);
    });
    const rows =
      request.status === RequestStatus.Open ? await this.rankFor(manager, request, limit) : [];
    return {
      requestId,
      items: rows.map(toCandidate),
      reasons: rows.length ? [] : await this.whyNobody(manager, requestId, request.status),
    };
  }

  /** Whether a volunteer passes every hard filter for one slot of a request. */
  async isCandidate(
    manager: EntityManager,
    requestId: string,
    slotId: string,
    volunteerId: string,
  ): Promise<boolean> {
    const [row] = await manager.query<{ ok: boolean }[]>(
      `WITH r AS (${REQUEST_AND_SCHOOL})
       SELECT EXISTS (
         SELECT 1 FROM r, volunteers v, request_slots sl
         WHERE v.id = $2 AND sl.id = $3 AND sl.request_id = r.id AND sl.starts_at > now()
           AND ${ACTIVE_VOLUNTEER} AND ${OFFERS_ACTIVITY} AND ${WITHIN_REACH}
           AND ${NOT_ALREADY_ASKED} AND ${FREE_AT_SLOT}) AS ok`,
      [requestId, volunteerId, slotId],
    );
    return row.ok;
  }

  /**
   * The best `limit` candidates, for any open slot of the request or for one slot. The score
   * does not depend on the slot, so the volunteers who pass the static filters are scored and
   * sorted first, and the costlier per-slot checks run in that order until `limit` pass.
   *
   * Virtual visits have no distance to narrow the field, so the top score is tried first: the
   * volunteers who score 1 (every year group, never dropped a visit, never invited) nearest the
   * school, from the location index. When `limit` of them pass the checks and the index's
   * window was not cut inside a tie, that is the answer; otherwise every volunteer is ranked.
   */
  async rankFor(
    manager: Pick<EntityManager, 'query'>,
    request: Pick<VisitRequest, 'id' | 'activity' | 'format'>,
    limit: number,
    slotId?: string,
  ): Promise<CandidateRow[]> {
    const params = [request.id, limit, slotId ?? null];
    if (request.format !== VisitFormat.Virtual) {
      return manager.query<CandidateRow[]>(inPersonQuery(), params);
    }
    const offer = offerBit(request.activity, request.format);
    const window = Math.max(TOP_SCORE_WINDOW, limit * 20);
    const top = await manager.query<(CandidateRow & WindowEdge)[]>(
      topScoreQuery(offer, window),
      params,
    );
    if (topScoreIsExact(top, limit, window)) return top;
    return manager.query<CandidateRow[]>(virtualRankingQuery(offer), params);
  }

  /** Counts the volunteers each filter turned away, to say why nobody matched. */
  private async whyNobody(
    manager: EntityManager,
    requestId: string,
    status: RequestStatus,
  ): Promise<UnmatchedReasonDto[]> {
    if (status !== RequestStatus.Open) {
      return [{ code: 'request_not_open', message: `The request is ${status}`, volunteers: 0 }];
    }
    const [counts] = await manager.query<Record<string, number>[]>(
      `WITH r AS MATERIALIZED (${REQUEST_AND_SCHOOL}),
       offering AS (SELECT v.* FROM r, volunteers v WHERE v.erased_at IS NULL AND v.latitude IS NOT NULL AND ${OFFERS_ACTIVITY}),
       in_reach AS (SELECT v.* FROM r, offering v WHERE ${WITHIN_REACH}),
       active AS (SELECT v.* FROM in_reach v WHERE ${ACTIVE_VOLUNTEER}),
       asked AS (SELECT v.* FROM r, active v WHERE NOT (${NOT_ALREADY_ASKED})),
       fresh AS (SELECT v.* FROM r, active v WHERE ${NOT_ALREADY_ASKED}),
       per_slot AS (
         SELECT v.id, bool_or(${AVAILABLE_AT_SLOT}) AS available,
                bool_or(${AVAILABLE_AT_SLOT} AND ${NOT_BUSY_AT_SLOT}) AS free,
                bool_or(${AVAILABLE_AT_SLOT} AND ${NOT_BUSY_AT_SLOT} AND ${UNDER_TERM_LIMIT}) AS under_limit
         FROM r JOIN request_slots sl ON sl.request_id = r.id AND sl.starts_at > now(), fresh v
         GROUP BY v.id)
       SELECT (SELECT count(*) FROM offering)::int AS offering,
              (SELECT count(*) FROM in_reach)::int AS in_reach,
              (SELECT count(*) FROM in_reach) - (SELECT count(*) FROM active)::int AS inactive,
              (SELECT count(*) FROM asked)::int AS asked,
              (SELECT count(*) FROM fresh) - (SELECT count(*) FROM per_slot WHERE available)::int AS unavailable,
              (SELECT count(*) FROM per_slot WHERE available AND NOT free)::int AS busy,
              (SELECT count(*) FROM per_slot WHERE free AND NOT under_limit)::int AS at_limit`,
      [requestId],
    );
    const n = (key: string) => Number(counts[key]);
    if (n('offering') === 0) {
      return [
        {
          code: 'nobody_offers',
          message: 'No volunteer offers this activity in this format yet',
          volunteers: 0,
        },
      ];
    }
    if (n('in_reach') === 0) {
      return [
        {
          code: 'none_in_reach',
          message:
            'Volunteers offer this, but none lives within their travel distance of the school',
          volunteers: 0,
        },
      ];
    }
    const reasons: [string, string, number][] = [
      [
        'not_approved_or_paused',
        'within reach, but waiting for approval or taking a break',
        n('inactive'),
      ],
      [
        'already_asked',
        'within reach, but already invited, offered or declined for this request',
        n('asked'),
      ],
      [
        'unavailable',
        'within reach, but not usually free at the proposed times or away then',
        n('unavailable'),
      ],
      ['busy', 'within reach, but already visiting elsewhere at the proposed times', n('busy')],
      ['at_term_limit', 'within reach, but at their limit of visits for the term', n('at_limit')],
    ];
    return reasons
      .filter(([, , count]) => count > 0)
      .map(([code, message, volunteers]) => ({
        code,
        message: `${volunteers} volunteer(s) ${message}`,
        volunteers,
      }));
  }
}

/** The request as the ranking reads it; `$3`, when set, keeps only that slot. */
const REQUEST_CONTEXT = `
  SELECT r.id, r.school_urn, r.format, offer_bit(r.activity, r.format) AS offer_bit,
         bit_set(r.year_groups) AS year_bits, ll_to_earth(s.latitude, s.longitude) AS school_point,
         (SELECT bit_set(array_agg(sl.half_day)) FROM request_slots sl
          WHERE sl.request_id = r.id AND sl.starts_at > now() AND ($3::uuid IS NULL OR sl.id = $3))
           AS half_day_bits
  FROM visit_requests r JOIN schools s ON s.urn = r.school_urn WHERE r.id = $1`;

/** The candidate's columns and free slots, for `c` (ranked rows) in the order given. */
const checkedInOrder = (ranked: string, order: string, extraColumns = '') => `
  SELECT v.id, v.display_name, v.profession, v.specialty, v.study_year, v.organisation,
         round(c.distance_km::numeric, 2)::float8 AS distance_km, c.distance_score, c.fit_score,
         c.reliability_score, c.new_score, c.score, f.free_slot_ids ${extraColumns}
  FROM r, ${ranked} c JOIN volunteers v ON v.id = c.id
  CROSS JOIN LATERAL (
    SELECT array_agg(sl.id ORDER BY sl.starts_at) AS free_slot_ids
    FROM request_slots sl
    WHERE sl.request_id = r.id AND sl.starts_at > now() AND ($3::uuid IS NULL OR sl.id = $3)
      AND ${FREE_AT_SLOT}
  ) f
  WHERE f.free_slot_ids IS NOT NULL AND ${NOT_ALREADY_ASKED}
  ORDER BY ${order}
  LIMIT $2`;

/**
 * Scores the profiles `p` that pass the static filters and sorts them. Ties go to the nearest
 * (`chord`, the straight-line distance, orders exactly as the distance on the ground), then to
 * the id; then the per-slot checks run in that order.
 */
function scoredQuery(distanceScore: string, where: string): string {
  return `
    WITH r AS MATERIALIZED (${REQUEST_CONTEXT}),
    scored AS (
      SELECT p.volunteer_id AS id, d.chord, d.distance_km, b.*,
             ${roundedScoreSql(SCORE_SQL)} AS score
      FROM r, matching_profiles p
      CROSS JOIN LATERAL (SELECT p.point <-> r.school_point AS chord,
                                 earth_metres(r.school_point, p.point) / 1000 AS distance_km) d
      CROSS JOIN LATERAL (SELECT ${distanceScore} AS distance_score, ${BREAKDOWN_FROM_PROFILE}) b
      WHERE ${PROFILE_MATCHES} AND ${where}
    ),
    ranked AS MATERIALIZED (SELECT * FROM scored ORDER BY score DESC, chord, id)
    ${checkedInOrder('ranked', 'c.score DESC, c.chord, c.id')}`;
}

/** In person: the volunteers whose own radius reaches the school, from the reach index. */
const inPersonQuery = () => scoredQuery(IN_PERSON_DISTANCE_SCORE, PROFILE_REACHES_SCHOOL);

/** Virtual: every volunteer who offers it, from the offer's own index; distance scores 1. */
export const virtualRankingQuery = (offer: number) =>
  scoredQuery('1.0::float8', `p.offer_bits & ${offer} <> 0`);

/** How many of the nearest volunteers the first pass over a virtual request reads, at least. */
const TOP_SCORE_WINDOW = 400;

interface WindowEdge {
  chord: number;
  scanned: number;
  last_chord: number;
}

/**
 * The `window` active volunteers nearest the school (KNN on the location index), those with the
 * top score among them in order of distance, then the checks in that order.
 */
function topScoreQuery(offer: number, window: number): string {
  return `
    WITH r AS MATERIALIZED (${REQUEST_CONTEXT}),
    nearest AS MATERIALIZED (
      SELECT p.*, p.point <-> r.school_point AS chord
      FROM r CROSS JOIN LATERAL (
        SELECT p.volunteer_id, p.point, p.offer_bits, p.half_day_bits, p.year_bits, p.dropped,
               p.invitations
        FROM matching_profiles p WHERE p.active AND p.offer_bits & ${offer} <> 0
        ORDER BY p.point <-> r.school_point LIMIT ${window}) p
    ),
    edge AS MATERIALIZED (SELECT count(*)::int AS scanned, max(chord) AS last_chord FROM nearest),
    ranked AS MATERIALIZED (
      SELECT p.volunteer_id AS id, p.chord, earth_metres(r.school_point, p.point) / 1000 AS distance_km,
             1.0::float8 AS distance_score, 1.0::float8 AS fit_score, 1.0::float8 AS reliability_score,
             1.0::float8 AS new_score, 1.0::float8 AS score, e.scanned, e.last_chord
      FROM r, nearest p, edge e
      WHERE ${PROFILE_OFFERS}
        AND p.year_bits & r.year_bits = r.year_bits AND p.dropped = 0 AND p.invitations = 0
      ORDER BY p.chord, p.volunteer_id)
    ${checkedInOrder('ranked', 'c.chord, c.id', ', c.chord, c.scanned, c.last_chord')}`;
}

/**
 * The first pass is the answer when it found `limit` volunteers and nobody it did not look at
 * could come before the last of them: either it looked at every volunteer with the top score,
 * or the last one found is strictly nearer than the edge of its window.
 */
export function topScoreIsExact(
  rows: Pick<WindowEdge, 'chord' | 'scanned' | 'last_chord'>[],
  limit: number,
  window: number,
): boolean {
  if (rows.length < limit) return false;
  const last = rows[limit - 1];
  return Number(last.scanned) < window || Number(last.chord) < Number(last.last_chord);
}

function toCandidate(row: CandidateRow): CandidateDto {
  return {
    volunteerId: row.id,
    firstName: firstNameOf(row.display_name),
    profession: row.profession,
    specialty: row.specialty,
    studyYear: row.study_year,
    organisation: row.organisation,
    distanceKm: row.distance_km,
    score: row.score,
    breakdown: {
      distance: round(row.distance_score),
      fit: round(row.fit_score),
      reliability: round(row.reliability_score),
      newVolunteer: round(row.new_score),
    },
    freeSlotIds: row.free_slot_ids,
  };
}

function round(value: number | string): number {
  return Math.round(Number(value) * 10_000) / 10_000;
}

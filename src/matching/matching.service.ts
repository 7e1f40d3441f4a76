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
  UNDER_TERM_LIMIT,
  WITHIN_REACH,
} from './candidate-filters.sql';
import { CandidateDto, CandidatesDto, UnmatchedReasonDto } from './candidates.dto';
import { SCORE_SQL } from './score';

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
   */
  rankFor(
    manager: EntityManager,
    request: Pick<VisitRequest, 'id' | 'format'>,
    limit: number,
    slotId?: string,
  ): Promise<CandidateRow[]> {
    // In person: only volunteers inside the box of the largest radius, found by the location
    // index, then by their own radius. Virtual: distance does not matter.
    const nearby =
      request.format === VisitFormat.Virtual
        ? ''
        : `AND earth_box(r.school_point, 80000) @> ll_to_earth(v.latitude, v.longitude)
           AND earth_distance(r.school_point, ll_to_earth(v.latitude, v.longitude)) <= v.travel_radius_km * 1000`;
    return manager.query<CandidateRow[]>(
      `WITH r AS MATERIALIZED (${REQUEST_AND_SCHOOL}),
       reachable AS MATERIALIZED (
         SELECT v.id, v.display_name, v.profession, v.specialty, v.study_year, v.organisation,
                v.travel_radius_km, v.year_groups, v.weekly_half_days, v.max_visits_per_term,
                earth_distance(r.school_point, ll_to_earth(v.latitude, v.longitude)) / 1000 AS distance_km
         FROM r, volunteers v
         WHERE ${ACTIVE_VOLUNTEER} AND ${OFFERS_ACTIVITY} ${nearby} AND ${NOT_ALREADY_ASKED}
       ),
       history AS (
         SELECT x.volunteer_id, count(*) FILTER (WHERE x.status = 'completed') AS completed,
                count(*) FILTER (WHERE x.status = 'no_show'
                  OR (x.status = 'cancelled' AND x.cancelled_by = 'volunteer')) AS dropped
         FROM visits x WHERE x.volunteer_id IN (SELECT id FROM reachable) GROUP BY x.volunteer_id
       ),
       invited AS (
         SELECT DISTINCT i.volunteer_id FROM invitations i
         WHERE i.kind = 'invitation' AND i.volunteer_id IN (SELECT id FROM reachable)
       ),
       scored AS (
         SELECT v.*,
                CASE WHEN r.format = 'virtual' THEN 1.0
                     ELSE greatest(0, 1 - v.distance_km / v.travel_radius_km) END AS distance_score,
                (SELECT count(*) FROM unnest(r.year_groups) g WHERE g = ANY (v.year_groups))::float8
                  / cardinality(r.year_groups) AS fit_score,
                (coalesce(h.completed, 0) + 1.0) / (coalesce(h.completed, 0) + coalesce(h.dropped, 0) + 1.0)
                  AS reliability_score,
                CASE WHEN invited.volunteer_id IS NULL THEN 1.0 ELSE 0.0 END AS new_score
         FROM r, reachable v
         LEFT JOIN history h ON h.volunteer_id = v.id
         LEFT JOIN invited ON invited.volunteer_id = v.id
       ),
       ranked AS MATERIALIZED (
         SELECT *, round(${SCORE_SQL}::numeric, 4)::float8 AS score FROM scored
         ORDER BY score DESC, distance_km, id
       )
       SELECT v.id, v.display_name, v.profession, v.specialty, v.study_year, v.organisation,
              round(v.distance_km::numeric, 2)::float8 AS distance_km, v.distance_score, v.fit_score,
              v.reliability_score, v.new_score, v.score, f.free_slot_ids
       FROM r, ranked v
       CROSS JOIN LATERAL (
         SELECT array_agg(sl.id ORDER BY sl.starts_at) AS free_slot_ids
         FROM request_slots sl
         WHERE sl.request_id = $1 AND sl.starts_at > now() AND ($3::uuid IS NULL OR sl.id = $3)
           AND ${FREE_AT_SLOT}
       ) f
       WHERE f.free_slot_ids IS NOT NULL
       ORDER BY v.score DESC, v.distance_km, v.id
       LIMIT $2`,
      [request.id, limit, slotId ?? null],
    );
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

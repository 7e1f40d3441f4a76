import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MEDIAN_PERCENTILE } from '../schools/need';
import { VolunteersService } from '../volunteers/volunteers.service';
import {
  AVAILABLE_AT_SLOT,
  NOT_ALREADY_ASKED,
  notBusyAtSlot,
  OFFERS_ACTIVITY,
  underTermLimit,
} from './candidate-filters.sql';

const LIMIT = 20;

/**
 * The volunteer's side of matching: open requests they could take (the same filters as a
 * school's candidates), and high-need schools within reach that no visit has reached for a
 * year, ranked by need.
 */
@Injectable()
export class OpportunitiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly volunteers: VolunteersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forVolunteer(user: AuthUser) {
    const volunteer = await this.volunteers.mine(this.dataSource.manager, user);
    const { deprivationWeight, outreachGapWeight } = this.config.need;
    // The volunteer's own visits are gathered once, so each slot is checked against a handful
    // of rows; in-person requests come only from the schools inside the volunteer's reach.
    const requests = await this.dataSource.query(
      `WITH v AS MATERIALIZED (
         SELECT v.*, p.point, p.reach FROM volunteers v
         JOIN matching_profiles p ON p.volunteer_id = v.id AND p.active WHERE v.id = $1),
       own_visits AS MATERIALIZED (
         SELECT x.* FROM visits x WHERE x.volunteer_id = $1 AND x.status IN ('confirmed', 'completed')),
       open AS (
         SELECT r.*, s.urn, s.name, s.high_need, ll_to_earth(s.latitude, s.longitude) AS school_point
         FROM v JOIN schools s ON v.reach @> ll_to_earth(s.latitude, s.longitude)
         JOIN visit_requests r ON r.school_urn = s.urn AND r.status = 'open' AND r.format = 'in_person'
         WHERE earth_metres(v.point, ll_to_earth(s.latitude, s.longitude)) <= v.travel_radius_km * 1000
         UNION ALL
         SELECT r.*, s.urn, s.name, s.high_need, ll_to_earth(s.latitude, s.longitude)
         FROM visit_requests r JOIN schools s ON s.urn = r.school_urn
         WHERE r.status = 'open' AND r.format = 'virtual')
       SELECT r.id AS "requestId", r.urn AS "schoolUrn", r.name AS "schoolName", r.activity, r.format,
              r.year_groups AS "yearGroups", r.pupils,
              round((earth_metres(v.point, r.school_point) / 1000)::numeric, 2)::float8 AS "distanceKm",
              array_agg(sl.id ORDER BY sl.starts_at) AS "freeSlotIds",
              json_agg(json_build_object('id', sl.id,
                'startsAt', to_char(sl.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'durationMinutes', (extract(epoch FROM sl.ends_at - sl.starts_at) / 60)::int)
                ORDER BY sl.starts_at) AS "freeSlots", r.notes,
              min(sl.starts_at) AS "firstSlotAt", r.high_need AS "highNeed"
       FROM v JOIN open r ON ${OFFERS_ACTIVITY}
       JOIN request_slots sl ON sl.request_id = r.id AND sl.starts_at > now()
       WHERE ${AVAILABLE_AT_SLOT} AND ${notBusyAtSlot('own_visits')} AND ${underTermLimit('own_visits')}
         AND ${NOT_ALREADY_ASKED}
       GROUP BY r.id, r.urn, r.name, r.activity, r.format, r.year_groups, r.pupils, r.notes, r.high_need,
                r.school_point, v.point
       ORDER BY r.high_need DESC, min(sl.starts_at), r.id
       LIMIT ${LIMIT}`,
      [volunteer.id],
    );
    const schools = await this.dataSource.query(
      `WITH v AS MATERIALIZED (
         SELECT p.point, p.reach, p.radius_m FROM matching_profiles p WHERE p.volunteer_id = $1)
       SELECT s.urn, s.name, s.town, s.postcode, s.percent_fsm::float8 AS "percentFsm",
              round((earth_metres(v.point, ll_to_earth(s.latitude, s.longitude)) / 1000)::numeric, 2)::float8 AS "distanceKm",
              round(($2 * coalesce(s.fsm_percentile, ${MEDIAN_PERCENTILE}) + $3)::numeric, 4)::float8 AS "needScore"
       FROM v JOIN schools s ON v.reach @> ll_to_earth(s.latitude, s.longitude)
       WHERE s.status = 'open' AND s.high_need AND s.latitude IS NOT NULL
         AND earth_metres(v.point, ll_to_earth(s.latitude, s.longitude)) <= v.radius_m
         AND coalesce((SELECT max(x.starts_at) FROM visits x
                       WHERE x.school_urn = s.urn AND x.status = 'completed'), '-infinity')
             <= now() - interval '365 days'
       ORDER BY "needScore" DESC, "distanceKm", s.urn
       LIMIT ${LIMIT}`,
      [volunteer.id, deprivationWeight, outreachGapWeight],
    );
    return { requests, highNeedSchools: schools };
  }
}

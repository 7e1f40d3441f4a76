import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MEDIAN_PERCENTILE } from '../schools/need';
import { VolunteersService } from '../volunteers/volunteers.service';
import {
  AVAILABLE_AT_SLOT,
  NOT_ALREADY_ASKED,
  NOT_BUSY_AT_SLOT,
  OFFERS_ACTIVITY,
  UNDER_TERM_LIMIT,
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
    const requests = await this.dataSource.query(
      `WITH v AS MATERIALIZED (SELECT *, ll_to_earth(latitude, longitude) AS point FROM volunteers WHERE id = $1)
       SELECT r.id AS "requestId", s.urn AS "schoolUrn", s.name AS "schoolName", r.activity, r.format,
              r.year_groups AS "yearGroups", r.pupils,
              round((earth_distance(v.point, ll_to_earth(s.latitude, s.longitude)) / 1000)::numeric, 2)::float8 AS "distanceKm",
              array_agg(sl.id ORDER BY sl.starts_at) AS "freeSlotIds",
              min(sl.starts_at) AS "firstSlotAt", s.high_need AS "highNeed"
       FROM v JOIN visit_requests r ON r.status = 'open'
       JOIN schools s ON s.urn = r.school_urn
       CROSS JOIN LATERAL (SELECT ll_to_earth(s.latitude, s.longitude) AS school_point) p
       JOIN request_slots sl ON sl.request_id = r.id AND sl.starts_at > now()
       WHERE v.status = 'approved' AND v.paused_at IS NULL AND v.erased_at IS NULL
         AND ${OFFERS_ACTIVITY} AND ${NOT_ALREADY_ASKED}
         AND (r.format = 'virtual' OR (earth_box(v.point, v.travel_radius_km * 1000) @> ll_to_earth(s.latitude, s.longitude)
              AND earth_distance(v.point, ll_to_earth(s.latitude, s.longitude)) <= v.travel_radius_km * 1000))
         AND ${AVAILABLE_AT_SLOT} AND ${NOT_BUSY_AT_SLOT} AND ${UNDER_TERM_LIMIT}
       GROUP BY r.id, s.urn, v.point
       ORDER BY s.high_need DESC, min(sl.starts_at)
       LIMIT ${LIMIT}`,
      [volunteer.id],
    );
    const schools = await this.dataSource.query(
      `WITH v AS MATERIALIZED (SELECT *, ll_to_earth(latitude, longitude) AS point FROM volunteers WHERE id = $1)
       SELECT s.urn, s.name, s.town, s.postcode, s.percent_fsm::float8 AS "percentFsm",
              round((earth_distance(v.point, ll_to_earth(s.latitude, s.longitude)) / 1000)::numeric, 2)::float8 AS "distanceKm",
              round(($2 * coalesce(s.fsm_percentile, ${MEDIAN_PERCENTILE}) + $3)::numeric, 4)::float8 AS "needScore"
       FROM v JOIN schools s ON s.status = 'open' AND s.high_need AND s.latitude IS NOT NULL
         AND earth_box(v.point, v.travel_radius_km * 1000) @> ll_to_earth(s.latitude, s.longitude)
         AND earth_distance(v.point, ll_to_earth(s.latitude, s.longitude)) <= v.travel_radius_km * 1000
       WHERE NOT EXISTS (SELECT 1 FROM visits x WHERE x.school_urn = s.urn AND x.status = 'completed'
                         AND x.starts_at > now() - interval '365 days')
       ORDER BY "needScore" DESC, "distanceKm", s.urn
       LIMIT ${LIMIT}`,
      [volunteer.id, deprivationWeight, outreachGapWeight],
    );
    return { requests, highNeedSchools: schools };
  }
}

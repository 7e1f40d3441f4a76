import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_DIR } from '../common/paths';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MEDIAN_PERCENTILE } from '../schools/need';
import { ACTIVE_VOLUNTEERS, ALL_OUTREACH, AREA_FIGURES } from './coverage.sql';
import { ColdSpotQueryDto, CoverageQueryDto, TrendQueryDto } from './dto/coverage-query.dto';

/** How old the default-window snapshot may be when nothing changed: it moves with the clock. */
export const SNAPSHOT_MAX_AGE = '5 minutes';

export type AreaRow = Record<string, string | number | null>;

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: unknown;
}

/** Where outreach happens and where it does not: every figure comes from SQL over the tables. */
@Injectable()
export class CoverageService {
  private readonly boundaryFiles = new Map<'region' | 'la', Feature[]>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One row per region, then the national total (region "England"). */
  async regions(query: CoverageQueryDto): Promise<AreaRow[]> {
    return this.dataSource.query(
      `WITH c AS (SELECT * FROM coverage_rows($1)),
       vol AS MATERIALIZED (SELECT region, count(*)::int AS n FROM (${ACTIVE_VOLUNTEERS}) v
                            WHERE region IS NOT NULL GROUP BY ROLLUP (region)),
       areas AS (SELECT c.region, c.region_code AS "regionCode", ${AREA_FIGURES}
                 FROM c GROUP BY ROLLUP ((c.region, c.region_code)))
       SELECT coalesce(a.region, 'England') AS region, a."regionCode", a.schools, a."highNeedSchools",
              a.reached, a."highNeedReached", a."coveragePct", a."highNeedCoveragePct",
              coalesce(vol.n, 0) AS volunteers, a."schoolsWithinReach", a."coldSpots", a."pupilsReached"
       FROM areas a LEFT JOIN vol ON vol.region IS NOT DISTINCT FROM a.region
       ORDER BY a.region IS NULL, a.region`,
      [await this.window(query)],
    );
  }

  async localAuthorities(query: CoverageQueryDto): Promise<AreaRow[]> {
    return this.dataSource.query(
      `WITH c AS (SELECT * FROM coverage_rows($1)
                  WHERE $2::text IS NULL OR lower(region) = lower($2) OR region_code = $2),
       vol AS MATERIALIZED (SELECT la_gss_code, count(*)::int AS n FROM (${ACTIVE_VOLUNTEERS}) v GROUP BY la_gss_code),
       areas AS (SELECT c.la_code AS "laCode", c.la_gss_code AS "laGssCode", c.la_name AS "laName", c.region,
                        ${AREA_FIGURES}
                 FROM c GROUP BY c.la_code, c.la_gss_code, c.la_name, c.region)
       SELECT a."laCode", a."laGssCode", a."laName", a.region, a.schools, a."highNeedSchools", a.reached,
              a."highNeedReached", a."coveragePct", a."highNeedCoveragePct", coalesce(vol.n, 0) AS volunteers,
              a."schoolsWithinReach", a."coldSpots", a."pupilsReached"
       FROM areas a LEFT JOIN vol ON vol.la_gss_code = a."laGssCode"
       ORDER BY a.region, a."laName"`,
      [await this.window(query), query.region ?? null],
    );
  }

  /** High-need schools nobody reaches: the neediest first, with the nearest active volunteer. */
  async coldSpots(query: ColdSpotQueryDto) {
    const pageSize = query.limit ?? query.pageSize;
    const params = [await this.window(query), query.region ?? null, query.la ?? null, this.config.need.deprivationWeight, this.config.need.outreachGapWeight];
    const filter = `c.cold_spot
      AND ($2::text IS NULL OR lower(c.region) = lower($2) OR c.region_code = $2)
      AND ($3::text IS NULL OR c.la_code = $3 OR c.la_gss_code = $3)`;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM coverage_rows($1) c WHERE ${filter}`,
      params.slice(0, 3),
    );
    const items = await this.dataSource.query(
      `SELECT c.urn, s.name, s.town, s.postcode, c.la_code AS "laCode", c.la_name AS "laName", c.region,
              s.percent_fsm::float8 AS "percentFsm",
              round(($4 * coalesce(c.fsm_percentile, ${MEDIAN_PERCENTILE}) + $5)::numeric, 4)::float8 AS "needScore",
              round((near.metres / 1000)::numeric, 1)::float8 AS "nearestVolunteerKm",
              (current_date - last.day)::int AS "daysSinceLastVisit"
       FROM coverage_rows($1) c JOIN schools s ON s.urn = c.urn
       LEFT JOIN LATERAL (
         SELECT earth_distance(ll_to_earth(s.latitude, s.longitude), ll_to_earth(v.latitude, v.longitude)) AS metres
         FROM volunteers v WHERE v.status = 'approved' AND v.paused_at IS NULL AND v.erased_at IS NULL AND v.latitude IS NOT NULL
         ORDER BY ll_to_earth(v.latitude, v.longitude) <-> ll_to_earth(s.latitude, s.longitude) LIMIT 1) near ON true
       LEFT JOIN LATERAL (SELECT max(a.day) AS day FROM (${ALL_OUTREACH}) a WHERE a.urn = c.urn) last ON true
       WHERE ${filter}
       ORDER BY "needScore" DESC, s.percent_fsm DESC NULLS LAST, c.urn
       LIMIT $6 OFFSET $7`,
      [...params, pageSize, (query.page - 1) * pageSize],
    );
    return { items, total, page: query.page, pageSize };
  }

  /** Schools and pupils reached by FSM quintile, nationally and per region, and the campaign target. */
  async equity(query: CoverageQueryDto) {
    const rows = await this.dataSource.query<AreaRow[]>(
      `WITH c AS (SELECT *, CASE WHEN fsm_percentile IS NULL THEN 'unknown'
                             ELSE 'Q' || least(5, floor(fsm_percentile * 5)::int + 1) END AS quintile
                  FROM coverage_rows($1))
       SELECT coalesce(c.region, 'England') AS region, c.quintile AS "fsmQuintile",
              count(*)::int AS schools, count(*) FILTER (WHERE c.reached)::int AS "schoolsReached",
              round(100.0 * count(*) FILTER (WHERE c.reached) / count(*), 1)::float8 AS "coveragePct",
              coalesce(sum(c.pupils_reached), 0)::int AS "pupilsReached"
       FROM c GROUP BY GROUPING SETS ((c.quintile), (c.region, c.quintile))
       ORDER BY c.region IS NOT NULL, c.region, c.quintile`,
      [await this.window(query)],
    );
    const national = rows.filter((r) => r.region === 'England');
    const schools = national.reduce((sum, r) => sum + Number(r.schools), 0);
    const reached = national.reduce((sum, r) => sum + Number(r.schoolsReached), 0);
    return {
      campaign: {
        target: 'A health volunteer for every primary school',
        schools,
        reached,
        progressPct: schools ? Math.round((1000 * reached) / schools) / 10 : 0,
      },
      rows,
    };
  }

  /** Visits completed (with outreach recorded elsewhere) and schools reached, month by month. */
  async trend(query: TrendQueryDto): Promise<AreaRow[]> {
    return this.dataSource.query(
      `WITH months AS (
         SELECT generate_series(date_trunc('month', current_date) - ($1 - 1) * interval '1 month',
                                date_trunc('month', current_date), interval '1 month')::date AS month),
       outreach AS (SELECT * FROM (${ALL_OUTREACH}) a
                    WHERE a.day >= (SELECT min(month) FROM months) AND a.day >= ($2::timestamptz AT TIME ZONE 'Europe/London')::date)
       SELECT to_char(m.month, 'YYYY-MM') AS month, count(o.urn)::int AS "visitsCompleted",
              count(DISTINCT o.urn)::int AS "schoolsReached", coalesce(sum(o.pupils), 0)::int AS "pupilsReached"
       FROM months m LEFT JOIN outreach o ON date_trunc('month', o.day)::date = m.month
       GROUP BY m.month ORDER BY m.month`,
      [query.months, query.since ?? new Date(0)],
    );
  }

  /** The shipped boundaries with the coverage figures of each area in their properties. */
  async map(level: 'region' | 'la', since?: Date) {
    const rows = level === 'region' ? await this.regions({ since } as CoverageQueryDto) : await this.localAuthorities({ since } as CoverageQueryDto);
    const byCode = new Map(rows.map((row) => [String(level === 'region' ? row.regionCode : row.laGssCode), row]));
    return {
      type: 'FeatureCollection',
      features: this.boundaries(level).map((feature) => ({
        ...feature,
        properties: { ...feature.properties, ...(byCode.get(String(feature.properties.code)) ?? {}) },
      })),
    };
  }

  /** The shipped boundaries of every region or local authority, read once. */
  boundaries(level: 'region' | 'la'): Feature[] {
    let features = this.boundaryFiles.get(level);
    if (!features) {
      const file = level === 'region' ? 'regions.geojson' : 'local-authorities.geojson';
      features = (JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')) as { features: Feature[] }).features;
      this.boundaryFiles.set(level, features);
    }
    return features;
  }

  /**
   * When the figures were taken: now for an explicit `since`; otherwise the time of the snapshot
   * over the last 365 days, made fresh first if anything changed.
   */
  async asOf(query: { since?: Date }): Promise<Date> {
    if (query.since) return new Date();
    const [{ asOf }] = await this.dataSource.query<{ asOf: Date }[]>(
      `SELECT fresh_coverage_snapshot($1::interval) AS "asOf"`,
      [SNAPSHOT_MAX_AGE],
    );
    return asOf;
  }

  /** The `since` for coverage_rows(): null reads the snapshot, made fresh first. */
  private async window(query: { since?: Date }): Promise<Date | null> {
    if (query.since) return query.since;
    await this.asOf(query);
    return null;
  }
}

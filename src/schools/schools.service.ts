import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ALL_OUTREACH } from '../coverage/coverage.sql';
import { OutcodeDirectory } from '../postcodes/outcode-directory';
import { SchoolQueryDto } from './dto/school-query.dto';
import { deprivationOf, needScore, outreachGapOf } from './need';
import { SchoolStatus } from './school.entity';
import { SchoolDto, SchoolPageDto } from './dto/school.dto';
import { SchoolError, SchoolErrorCode } from './schools.errors';
import { containsPattern } from '../common/query';

const DEFAULT_RADIUS_KM = 5;

const SCHOOL_COLUMNS = `
  s.urn, s.name, s.phase, s.status, s.la_code AS "laCode", s.la_name AS "laName",
  s.la_gss_code AS "laGssCode", s.region, s.region_code AS "regionCode", s.town, s.postcode,
  s.latitude, s.longitude, s.pupils, s.percent_fsm::float8 AS "percentFsm",
  s.urban_rural AS "urbanRural", s.constituency, s.high_need AS "highNeed",
  s.fsm_percentile AS "fsmPercentile",
  (SELECT max(a.day) FROM (${ALL_OUTREACH}) a WHERE a.urn = s.urn) AS "lastReachedOn"`;

type SchoolRow = Omit<SchoolDto, 'needScore' | 'need' | 'distanceKm'> & {
  fsmPercentile: number | null;
  lastReachedOn: Date | null;
  distanceKm?: number;
  total?: string;
};

@Injectable()
export class SchoolsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outcodes: OutcodeDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async findOne(urn: number): Promise<SchoolDto> {
    const [row] = await this.dataSource.query<SchoolRow[]>(
      `SELECT ${SCHOOL_COLUMNS} FROM schools s WHERE s.urn = $1`,
      [urn],
    );
    if (!row) throw new SchoolError(SchoolErrorCode.NotFound, `No school has URN ${urn}`, 'urn');
    return this.toView(row);
  }

  async search(query: SchoolQueryDto): Promise<SchoolPageDto> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [`s.status = ${param(query.status ?? SchoolStatus.Open)}`];
    let distance: string | undefined;

    if (query.q) {
      const pattern = containsPattern(query.q);
      const urn = /^\d{1,9}$/.test(query.q.trim()) ? Number(query.q.trim()) : null;
      where.push(`(s.name ILIKE ${param(pattern)} OR s.urn = ${param(urn)})`);
    }
    if (query.postcode) {
      const centre = this.outcodes.locatePostcode(query.postcode);
      const radiusMetres = (query.radiusKm ?? DEFAULT_RADIUS_KM) * 1000;
      const origin = `ll_to_earth(${param(centre.latitude)}, ${param(centre.longitude)})`;
      const radius = param(radiusMetres);
      distance = `earth_distance(${origin}, ll_to_earth(s.latitude, s.longitude))`;
      where.push(
        's.latitude IS NOT NULL',
        `earth_box(${origin}, ${radius}) @> ll_to_earth(s.latitude, s.longitude)`,
        `${distance} <= ${radius}`,
      );
    } else if (query.radiusKm !== undefined) {
      throw new SchoolError(
        SchoolErrorCode.RadiusWithoutPostcode,
        'radiusKm needs a postcode to measure from',
        'radiusKm',
      );
    }
    if (query.region) {
      where.push(
        `(lower(s.region) = lower(${param(query.region)}) OR s.region_code = ${param(query.region)})`,
      );
    }
    if (query.la)
      where.push(`(s.la_code = ${param(query.la)} OR s.la_gss_code = ${param(query.la)})`);
    if (query.highNeed !== undefined) where.push(`s.high_need = ${param(query.highNeed)}`);
    if (query.phase) where.push(`s.phase = ${param(query.phase)}`);

    const order = distance ? `${distance}, s.urn` : 's.name, s.urn';
    const filter = `FROM schools s WHERE ${where.join(' AND ')}`;
    const filterParams = [...params];
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const rows = await this.dataSource.query<SchoolRow[]>(
      `SELECT ${SCHOOL_COLUMNS}${distance ? `, round((${distance} / 1000)::numeric, 2)::float8 AS "distanceKm"` : ''},
              count(*) OVER () AS total
       ${filter} ORDER BY ${order} LIMIT ${param(pageSize)} OFFSET ${param((page - 1) * pageSize)}`,
      params,
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total)
        : Number(
            (
              await this.dataSource.query<{ total: string }[]>(
                `SELECT count(*) AS total ${filter}`,
                filterParams,
              )
            )[0].total,
          );
    return { items: rows.map((row) => this.toView(row)), total, page, pageSize };
  }

  private toView({ fsmPercentile, lastReachedOn, total: _total, ...row }: SchoolRow): SchoolDto {
    const breakdown = {
      deprivation: deprivationOf(fsmPercentile),
      outreachGap: outreachGapOf(lastReachedOn),
    };
    return {
      ...row,
      needScore: needScore(breakdown, this.config.need),
      need: { ...breakdown, weights: this.config.need },
    };
  }
}

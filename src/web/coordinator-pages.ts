import { stringify } from 'csv-stringify/sync';
import {
  areaLabel,
  type AreaFeature,
  type Choropleth,
  choroplethSvg,
  type MapArea,
} from './coverage-map';

/** Map levels, as `CoverageService.map()` names them. */
export type Level = 'region' | 'la';

/** A boundary as `CoverageService.map()` answers it: its own properties and the area's figures. */
export interface BoundaryFeature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: unknown;
}

/** A row of figures from CoverageService (AreaRow), or a boundary's properties that carry them. */
export type AreaRow = Readonly<Record<string, unknown>>;

/** A cell of the design system's table macro. */
export interface Cell {
  text: string;
  href?: string;
  format?: 'numeric';
  classes?: string;
}

export interface Table {
  head: Cell[];
  rows: Cell[][];
}

export const COVERAGE_PATH = '/coordinator/coverage';
export const VALUE_LABEL = 'of high-need schools reached';

export const regionHref = (code: string) => `${COVERAGE_PATH}/regions/${encodeURIComponent(code)}`;
export const laHref = (code: string) =>
  `${COVERAGE_PATH}/local-authorities/${encodeURIComponent(code)}`;

const COUNT = new Intl.NumberFormat('en-GB');

/** "16,737"; a dash when there is no figure. */
export function count(value: unknown): string {
  return value === null || value === undefined || value === '' ? '–' : COUNT.format(Number(value));
}

/** "42.1%"; a dash when there is no figure (e.g. an area without high-need schools). */
export function percent(value: unknown): string {
  return value === null || value === undefined || value === ''
    ? '–'
    : `${Number(value).toFixed(1)}%`;
}

const numeric = (text: string): Cell => ({ text, format: 'numeric' });

/** The figures every area row carries, in the order of the tables and CSV files. */
export const AREA_COLUMNS: readonly { key: string; heading: string; pct?: boolean }[] = [
  { key: 'schools', heading: 'Schools' },
  { key: 'highNeedSchools', heading: 'High-need schools' },
  { key: 'reached', heading: 'Reached' },
  { key: 'highNeedReached', heading: 'High-need reached' },
  { key: 'coveragePct', heading: 'Coverage', pct: true },
  { key: 'highNeedCoveragePct', heading: 'High-need coverage', pct: true },
  { key: 'volunteers', heading: 'Volunteers' },
  { key: 'schoolsWithinReach', heading: 'Within a volunteer’s reach' },
  { key: 'coldSpots', heading: 'Cold spots' },
  { key: 'pupilsReached', heading: 'Pupils reached' },
];

function figureCells(row: AreaRow, classes?: string): Cell[] {
  return AREA_COLUMNS.map(({ key, pct }) => ({
    ...numeric(pct ? percent(row[key]) : count(row[key])),
    ...(classes ? { classes } : {}),
  }));
}

const figureHead = (): Cell[] => AREA_COLUMNS.map(({ heading }) => numeric(heading));

/** Regions, each linking to its page, then the national total in bold. */
export function regionTable(rows: readonly AreaRow[]): Table {
  return {
    head: [{ text: 'Region' }, ...figureHead()],
    rows: rows.map((row) => {
      const code = row.regionCode === null ? null : String(row.regionCode);
      if (code === null) {
        const bold = 'nhsuk-u-font-weight-bold';
        return [{ text: String(row.region), classes: bold }, ...figureCells(row, bold)];
      }
      return [{ text: String(row.region), href: regionHref(code) }, ...figureCells(row)];
    }),
  };
}

/** Local authorities, each linking to its page; with their region when the table spans several. */
export function laTable(rows: readonly AreaRow[], options: { withRegion: boolean }): Table {
  return {
    head: [
      { text: 'Local authority' },
      ...(options.withRegion ? [{ text: 'Region' }] : []),
      ...figureHead(),
    ],
    rows: rows.map((row) => [
      { text: String(row.laName), href: laHref(String(row.laGssCode)) },
      ...(options.withRegion ? [{ text: String(row.region) }] : []),
      ...figureCells(row),
    ]),
  };
}

/** An area's own figures for the design system's summary list. */
export function figureList(row: AreaRow | undefined) {
  return AREA_COLUMNS.map(({ key, heading, pct }) => ({
    key: { text: heading },
    value: { text: row ? (pct ? percent(row[key]) : count(row[key])) : '–' },
  }));
}

export interface ColdSpot {
  urn: number;
  name: string;
  town: string | null;
  laCode: string;
  laName: string;
  percentFsm: number | null;
  needScore: number;
  nearestVolunteerKm: number | null;
  daysSinceLastVisit: number | null;
}

/** The cold-spot list: neediest first, as the service orders it. */
export function coldSpotTable(
  items: readonly ColdSpot[],
  options: { withLa: boolean; laCodes?: ReadonlyMap<string, string> },
): Table {
  return {
    head: [
      { text: 'URN' },
      { text: 'School' },
      ...(options.withLa ? [{ text: 'Local authority' }] : []),
      numeric('Pupils on free school meals'),
      numeric('Need score (0 to 1)'),
      numeric('Nearest active volunteer'),
      numeric('Days since last visit'),
    ],
    rows: items.map((spot) => {
      const gss = options.laCodes?.get(spot.laCode);
      return [
        { text: String(spot.urn) },
        { text: spot.town ? `${spot.name}, ${spot.town}` : spot.name },
        ...(options.withLa ? [{ text: spot.laName, ...(gss ? { href: laHref(gss) } : {}) }] : []),
        numeric(percent(spot.percentFsm)),
        numeric(Number(spot.needScore).toFixed(3)),
        numeric(
          spot.nearestVolunteerKm === null
            ? 'None'
            : `${Number(spot.nearestVolunteerKm).toFixed(1)} km`,
        ),
        numeric(spot.daysSinceLastVisit === null ? 'Never' : count(spot.daysSinceLastVisit)),
      ];
    }),
  };
}

/** Every boundary becomes a link: areas without schools say so rather than staying mute. */
export function mapAreas(
  level: Level,
  features: readonly BoundaryFeature[],
  rows: readonly AreaRow[],
): Map<string, MapArea> {
  const codeKey = level === 'region' ? 'regionCode' : 'laGssCode';
  const nameKey = level === 'region' ? 'region' : 'laName';
  const byCode = new Map(rows.map((row) => [String(row[codeKey]), row]));
  const href = level === 'region' ? regionHref : laHref;
  return new Map(
    features.map((feature) => {
      const code = String(feature.properties.code);
      const row = byCode.get(code);
      const name = String(row?.[nameKey] ?? feature.properties.name ?? code);
      const value = row?.highNeedCoveragePct;
      const area: MapArea = {
        code,
        name,
        valuePct: value === null || value === undefined ? null : Number(value),
        href: href(code),
      };
      if (!row) area.label = `${name}: no open primary schools`;
      else area.label = areaLabel(area, VALUE_LABEL);
      return [code, area];
    }),
  );
}

const drawn = new Map<string, Choropleth>();
const DRAWN_KEPT = 24;

/**
 * A choropleth of high-need coverage over the given boundaries. Drawing the local authorities
 * takes a good part of a second, and the figures change only when outreach does, so the last
 * few drawings are kept, keyed by everything that goes into them.
 */
export function coverageMap(
  level: Level,
  features: readonly BoundaryFeature[],
  rows: readonly AreaRow[],
  options: { title: string; idPrefix: string },
): Choropleth {
  const areas = mapAreas(level, features, rows);
  const key = JSON.stringify([options, [...areas.values()]]);
  let map = drawn.get(key);
  if (map) {
    drawn.delete(key);
  } else {
    map = choroplethSvg(features as unknown as AreaFeature[], areas, {
      ...options,
      valueLabel: VALUE_LABEL,
    });
    if (drawn.size >= DRAWN_KEPT) drawn.delete(drawn.keys().next().value!);
  }
  drawn.set(key, map);
  return map;
}

export type PaginationItem =
  { number: number; href: string; current: boolean } | { ellipsis: true };

/**
 * The design system's numbered pagination: the first and last pages, those either side of the
 * current one, and an ellipsis for each gap. Null when everything fits on one page.
 */
export function pagination(
  page: number,
  pageSize: number,
  total: number,
  href: (page: number) => string,
) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last === 1) return null;
  const shown = [...new Set([1, page - 1, page, page + 1, last])]
    .filter((n) => n >= 1 && n <= last)
    .sort((a, b) => a - b);
  const items: PaginationItem[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
  });
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < last ? { href: href(page + 1) } : undefined,
  };
}

/** A page number from the query string: a whole number from 1, or null when it is not one. */
export function pageNumber(raw: unknown): number | null {
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return null;
  const page = Number(raw);
  return page >= 1 ? page : null;
}

/** The boundary a code names: an ONS code, or for local authorities the DfE code too. */
export function findBoundary(
  features: readonly BoundaryFeature[],
  code: string,
): BoundaryFeature | undefined {
  return features.find((f) => f.properties.code === code || f.properties.la_code === code);
}

const QUINTILES: Record<string, string> = {
  Q1: 'Quintile 1 (fewest pupils on free school meals)',
  Q2: 'Quintile 2',
  Q3: 'Quintile 3',
  Q4: 'Quintile 4',
  Q5: 'Quintile 5 (most pupils on free school meals)',
  unknown: 'No free school meals figure',
};

export const quintileName = (key: string) => QUINTILES[key] ?? key;

/** Schools and pupils reached by FSM quintile in England. */
export function nationalEquityTable(rows: readonly AreaRow[]): Table {
  return {
    head: [
      { text: 'FSM quintile' },
      numeric('Schools'),
      numeric('Schools reached'),
      numeric('Coverage'),
      numeric('Pupils reached'),
    ],
    rows: rows
      .filter((r) => r.region === 'England')
      .map((r) => [
        { text: quintileName(String(r.fsmQuintile)) },
        numeric(count(r.schools)),
        numeric(count(r.schoolsReached)),
        numeric(percent(r.coveragePct)),
        numeric(count(r.pupilsReached)),
      ]),
  };
}

/** Coverage per region and FSM quintile: one row per region, one column per quintile. */
export function regionalEquityTable(rows: readonly AreaRow[]): Table {
  const keys = Object.keys(QUINTILES);
  const regions = [...new Set(rows.filter((r) => r.region !== 'England').map((r) => r.region))];
  return {
    head: [
      { text: 'Region' },
      ...keys.map((k) => numeric(k === 'unknown' ? 'No FSM figure' : `Quintile ${k.slice(1)}`)),
    ],
    rows: regions.map((region) => [
      { text: String(region) },
      ...keys.map((k) => {
        const row = rows.find((r) => r.region === region && r.fsmQuintile === k);
        return numeric(row ? percent(row.coveragePct) : '–');
      }),
    ]),
  };
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "2026-03" → "March 2026". */
export const monthName = (month: string) => MONTH.format(new Date(`${month}-01T00:00:00Z`));

export function trendTable(rows: readonly AreaRow[]): Table {
  return {
    head: [
      { text: 'Month' },
      numeric('Visits completed'),
      numeric('Schools reached'),
      numeric('Pupils reached'),
    ],
    rows: rows.map((r) => [
      { text: monthName(String(r.month)) },
      numeric(count(r.visitsCompleted)),
      numeric(count(r.schoolsReached)),
      numeric(count(r.pupilsReached)),
    ]),
  };
}

/** The columns of a cold-spot download, so that an area without cold spots still has its header. */
export const COLD_SPOT_COLUMNS = [
  'urn',
  'name',
  'town',
  'postcode',
  'laCode',
  'laName',
  'region',
  'percentFsm',
  'needScore',
  'nearestVolunteerKm',
  'daysSinceLastVisit',
];

/** Rows as CSV with a header row of their own names, as the API's `?format=csv` writes them. */
export function toCsv(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[] = rows.length ? Object.keys(rows[0]) : [],
): string {
  if (!columns.length) return '';
  return stringify(rows as Record<string, unknown>[], {
    header: true,
    columns: [...columns],
    cast: { date: (d) => d.toISOString() },
  });
}

/** What the approvals page says after a decision (post/redirect/get). */
const DECISIONS: Record<string, string> = {
  'volunteer-approved': 'Volunteer approved. Schools near them can now invite them.',
  'volunteer-rejected': 'Volunteer rejected. We have e-mailed them your reason.',
  'membership-approved': 'Member of staff approved. They can now ask for visits for their school.',
  'membership-rejected':
    'Request to represent the school refused. We have e-mailed them your reason.',
};

/** The message for the `done` of the approvals page's address; nothing for anything else. */
export function decisionMessage(done: unknown): string | undefined {
  return typeof done === 'string' && Object.hasOwn(DECISIONS, done) ? DECISIONS[done] : undefined;
}

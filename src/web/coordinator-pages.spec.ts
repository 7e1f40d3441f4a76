import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DATA_DIR } from '../common/paths';
import {
  type BoundaryFeature,
  COLD_SPOT_COLUMNS,
  coldSpotTable,
  count,
  coverageMap,
  decisionMessage,
  findBoundary,
  laTable,
  mapAreas,
  monthName,
  nationalEquityTable,
  pageNumber,
  pagination,
  percent,
  regionalEquityTable,
  regionTable,
  toCsv,
} from './coordinator-pages';

const boundaries = (file: string) =>
  (JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')) as { features: BoundaryFeature[] })
    .features;

const REGION_ROW = {
  region: 'North East',
  regionCode: 'E12000001',
  schools: 860,
  highNeedSchools: 200,
  reached: 12,
  highNeedReached: 5,
  coveragePct: 1.4,
  highNeedCoveragePct: 2.5,
  volunteers: 3,
  schoolsWithinReach: 40,
  coldSpots: 180,
  pupilsReached: 1234,
};
const ENGLAND_ROW = { ...REGION_ROW, region: 'England', regionCode: null, schools: 16737 };

describe('coordinator pages', () => {
  it('formats counts with thousands separators and percentages to one decimal place', () => {
    expect(count(16737)).toBe('16,737');
    expect(count(0)).toBe('0');
    expect(count(null)).toBe('–');
    expect(percent(42.06)).toBe('42.1%');
    expect(percent(0)).toBe('0.0%');
    expect(percent(null)).toBe('–');
  });

  it('links each region of the table to its page and sets the national total in bold', () => {
    const table = regionTable([REGION_ROW, ENGLAND_ROW]);
    expect(table.head).toHaveLength(11);
    expect(table.head.slice(1).every((h) => h.format === 'numeric')).toBe(true);
    const [northEast, england] = table.rows;
    expect(northEast[0]).toEqual({
      text: 'North East',
      href: '/coordinator/coverage/regions/E12000001',
    });
    expect(northEast.slice(1).map((c) => c.text)).toEqual([
      '860',
      '200',
      '12',
      '5',
      '1.4%',
      '2.5%',
      '3',
      '40',
      '180',
      '1,234',
    ]);
    expect(england[0].href).toBeUndefined();
    expect(england[1]).toMatchObject({ text: '16,737', classes: 'nhsuk-u-font-weight-bold' });
  });

  it('links local authorities by their ONS code, with the region column only when asked', () => {
    const row = { ...REGION_ROW, laCode: '805', laGssCode: 'E06000001', laName: 'Hartlepool' };
    const wide = laTable([row], { withRegion: true });
    expect(wide.head.map((h) => h.text).slice(0, 2)).toEqual(['Local authority', 'Region']);
    expect(wide.rows[0][0]).toEqual({
      text: 'Hartlepool',
      href: '/coordinator/coverage/local-authorities/E06000001',
    });
    expect(wide.rows[0][1]).toEqual({ text: 'North East' });
    expect(laTable([row], { withRegion: false }).rows[0]).toHaveLength(11);
  });

  it('shows cold spots with "Never" and "None" for missing visits and volunteers', () => {
    const spot = {
      urn: 105443,
      name: 'Plymouth Grove Primary School',
      town: 'Manchester',
      laCode: '352',
      laName: 'Manchester',
      percentFsm: 52.3,
      needScore: 0.9812,
      nearestVolunteerKm: null,
      daysSinceLastVisit: null,
    };
    const table = coldSpotTable(
      [spot, { ...spot, nearestVolunteerKm: 4, daysSinceLastVisit: 400 }],
      {
        withLa: true,
        laCodes: new Map([['352', 'E08000003']]),
      },
    );
    expect(table.rows[0].map((c) => c.text)).toEqual([
      '105443',
      'Plymouth Grove Primary School, Manchester',
      'Manchester',
      '52.3%',
      '0.981',
      'None',
      'Never',
    ]);
    expect(table.rows[0][2].href).toBe('/coordinator/coverage/local-authorities/E08000003');
    expect(table.rows[1].slice(-2).map((c) => c.text)).toEqual(['4.0 km', '400']);
    expect(coldSpotTable([spot], { withLa: false }).head).toHaveLength(6);
  });

  it('makes every boundary a link, saying so when an area has no schools at all', () => {
    const features = boundaries('local-authorities.geojson');
    const rows = [
      { laGssCode: 'E06000001', laName: 'Hartlepool', highNeedCoveragePct: 42.06 },
      { laGssCode: 'E06000002', laName: 'Middlesbrough', highNeedCoveragePct: null },
    ];
    const areas = mapAreas('la', features, rows);
    expect(areas.size).toBe(153);
    expect(areas.get('E06000001')).toEqual({
      code: 'E06000001',
      name: 'Hartlepool',
      valuePct: 42.06,
      href: '/coordinator/coverage/local-authorities/E06000001',
      label: 'Hartlepool: 42.1% of high-need schools reached',
    });
    expect(areas.get('E06000002')?.label).toBe('Middlesbrough: no high-need schools');
    expect(areas.get('E06000053')?.label).toBe('Isles of Scilly: no open primary schools');
  });

  it('draws the 9 regions and the 153 local authorities as links with a key', () => {
    const regions = coverageMap('region', boundaries('regions.geojson'), [REGION_ROW], {
      title: 'Regions',
      idPrefix: 'regions',
    });
    expect(regions.svg.match(/<a href="\/coordinator\/coverage\/regions\/E12\d{6}"/g)).toHaveLength(
      9,
    );
    expect(regions.legend.map((l) => l.label)).toContain('No high-need schools');
    const las = coverageMap('la', boundaries('local-authorities.geojson'), [], {
      title: 'LAs',
      idPrefix: 'las',
    });
    expect(las.svg.match(/<a /g)).toHaveLength(153);
    // The same figures give the same drawing without drawing it again.
    expect(
      coverageMap('region', boundaries('regions.geojson'), [REGION_ROW], {
        title: 'Regions',
        idPrefix: 'regions',
      }),
    ).toBe(regions);
    const changed = coverageMap(
      'region',
      boundaries('regions.geojson'),
      [{ ...REGION_ROW, highNeedCoveragePct: 90 }],
      { title: 'Regions', idPrefix: 'regions' },
    );
    expect(changed).not.toBe(regions);
    expect(changed.svg).toContain('North East: 90% of high-need schools reached');
  });

  it('finds a local authority by its ONS or its DfE code', () => {
    const features = boundaries('local-authorities.geojson');
    expect(findBoundary(features, 'E06000001')?.properties.name).toBe('Hartlepool');
    expect(findBoundary(features, '805')?.properties.name).toBe('Hartlepool');
    expect(findBoundary(features, 'E99999999')).toBeUndefined();
  });

  it('numbers pages around the current one, with gaps marked', () => {
    const href = (p: number) => `/x?page=${p}`;
    expect(pagination(1, 20, 20, href)).toBeNull();
    const middle = pagination(5, 20, 200, href)!;
    expect(middle.items).toEqual([
      { number: 1, href: '/x?page=1', current: false },
      { ellipsis: true },
      { number: 4, href: '/x?page=4', current: false },
      { number: 5, href: '/x?page=5', current: true },
      { number: 6, href: '/x?page=6', current: false },
      { ellipsis: true },
      { number: 10, href: '/x?page=10', current: false },
    ]);
    expect(middle.previous).toEqual({ href: '/x?page=4' });
    expect(middle.next).toEqual({ href: '/x?page=6' });
    const first = pagination(1, 20, 41, href)!;
    expect(first.items.map((i) => ('number' in i ? i.number : '…'))).toEqual([1, 2, 3]);
    expect(first.previous).toBeUndefined();
    expect(pagination(3, 20, 41, href)!.next).toBeUndefined();
  });

  it('reads page numbers from 1 and refuses anything else', () => {
    expect(pageNumber(undefined)).toBe(1);
    expect(pageNumber('3')).toBe(3);
    expect(pageNumber('0')).toBeNull();
    expect(pageNumber('-1')).toBeNull();
    expect(pageNumber('two')).toBeNull();
    expect(pageNumber(['1', '2'])).toBeNull();
  });

  it('shapes equity by quintile nationally and as a region by quintile grid', () => {
    const rows = [
      {
        region: 'England',
        fsmQuintile: 'Q1',
        schools: 3000,
        schoolsReached: 3,
        coveragePct: 0.1,
        pupilsReached: 90,
      },
      {
        region: 'England',
        fsmQuintile: 'Q5',
        schools: 3300,
        schoolsReached: 33,
        coveragePct: 1,
        pupilsReached: 990,
      },
      {
        region: 'London',
        fsmQuintile: 'Q5',
        schools: 500,
        schoolsReached: 10,
        coveragePct: 2,
        pupilsReached: 300,
      },
    ];
    const national = nationalEquityTable(rows);
    expect(national.rows.map((r) => r[0].text)).toEqual([
      'Quintile 1 (fewest pupils on free school meals)',
      'Quintile 5 (most pupils on free school meals)',
    ]);
    expect(national.rows[1].slice(1).map((c) => c.text)).toEqual(['3,300', '33', '1.0%', '990']);
    const regional = regionalEquityTable(rows);
    expect(regional.head.map((h) => h.text)).toEqual([
      'Region',
      'Quintile 1',
      'Quintile 2',
      'Quintile 3',
      'Quintile 4',
      'Quintile 5',
      'No FSM figure',
    ]);
    expect(regional.rows).toEqual([
      [
        { text: 'London' },
        ...['–', '–', '–', '–', '2.0%', '–'].map((text) => ({ text, format: 'numeric' })),
      ],
    ]);
  });

  it('confirms only the decisions it knows of', () => {
    expect(decisionMessage('volunteer-approved')).toMatch(/^Volunteer approved/);
    expect(decisionMessage('membership-rejected')).toMatch(/refused/);
    expect(decisionMessage('__proto__')).toBeUndefined();
    expect(decisionMessage('<b>you won</b>')).toBeUndefined();
    expect(decisionMessage(['volunteer-approved'])).toBeUndefined();
    expect(decisionMessage(undefined)).toBeUndefined();
  });

  it('names months in words', () => {
    expect(monthName('2026-03')).toBe('March 2026');
    expect(monthName('2025-12')).toBe('December 2025');
  });

  it('writes CSV with a header row that reads back to the same figures', () => {
    const csv = toCsv([REGION_ROW, ENGLAND_ROW]);
    const parsed = parse(csv, { columns: true, cast: true }) as Record<string, unknown>[];
    expect(parsed[0]).toMatchObject({ region: 'North East', schools: 860, coveragePct: 1.4 });
    expect(parsed[1]).toMatchObject({ region: 'England', regionCode: '' });
    expect(toCsv([])).toBe('');
    expect(toCsv([], COLD_SPOT_COLUMNS)).toBe(`${COLD_SPOT_COLUMNS.join(',')}\n`);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import request from 'supertest';
import { SchoolRegisterService } from '../src/schools/register/school-register.service';
import { createTestApp, TestApp } from './support/app';

const NORMALISED_HEADER =
  'urn,name,phase,la_code,la_name,region,town,postcode,number_of_pupils,percent_fsm,easting,northing,latitude,longitude';

const GIAS_HEADER = [
  'URN',
  'EstablishmentName',
  'EstablishmentTypeGroup (name)',
  'EstablishmentStatus (name)',
  'PhaseOfEducation (name)',
  'LA (code)',
  'LA (name)',
  'GOR (name)',
  'Town',
  'Postcode',
  'Easting',
  'Northing',
  'NumberOfPupils',
  'PercentageFSM',
  'UrbanRural (name)',
  'ParliamentaryConstituency (name)',
].join(',');

describe('importing editions of the school register', () => {
  let t: TestApp;
  let dir: string;
  let register: SchoolRegisterService;

  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    register = t.app.get(SchoolRegisterService);
    dir = await mkdtemp(join(tmpdir(), 'register-'));
  });
  afterAll(() => t.close());

  const school = (urn: number) => request(t.http).get(`/schools/${urn}`).expect(200);

  it('imports our normalised CSV and computes the high-need flag from percentile_cont(0.8)', async () => {
    const file = join(dir, 'first.csv');
    await writeFile(
      file,
      [
        NORMALISED_HEADER,
        '900001,Ardwick Primary,Primary,352,Manchester,North West,Manchester,M13 9PL,300,10.0,,,53.4600,-2.2200',
        '900002,Brunswick Primary,Primary,352,Manchester,North West,Manchester,M13 9PL,200,20.0,,,53.4610,-2.2210',
        '900003,Chorlton Primary,Primary,352,Manchester,North West,Manchester,M21 9AA,250,30.0,,,53.4420,-2.2770',
        '900004,Didsbury Primary,Primary,352,Manchester,North West,Manchester,M20 2AA,400,40.0,,,53.4160,-2.2310',
        '900005,Eastlands Primary,Primary,352,Manchester,North West,Manchester,M11 3AA,350,50.0,,,53.4830,-2.2000',
        '900006,New Academy Primary,Primary,352,Manchester,North West,Manchester,M13 9PL,,,,,53.4620,-2.2220',
      ].join('\n'),
    );
    const summary = await register.importFile(file);
    expect(summary).toMatchObject({
      format: 'normalised',
      inserted: 6,
      updated: 0,
      closed: 0,
      rejected: [],
    });

    // FSM 10..50: percentile_cont(0.8) = 42, so only the school at 50 % is high-need.
    const highNeed = await request(t.http).get('/schools').query({ highNeed: true }).expect(200);
    expect(highNeed.body.items.map((s: { urn: number }) => s.urn)).toEqual([900005]);
    expect((await school(900005)).body.need.deprivation).toBe(1);
    expect((await school(900001)).body.need.deprivation).toBe(0);
    // A school with no FSM figure takes the national median and is never high-need.
    expect((await school(900006)).body).toMatchObject({ highNeed: false, percentFsm: null });
    expect((await school(900006)).body.need.deprivation).toBe(0.5);
    // The LA's ONS codes come from the shipped boundaries.
    expect((await school(900001)).body).toMatchObject({
      laGssCode: 'E08000003',
      regionCode: 'E12000002',
    });
  });

  it('imports a raw GIAS download (Windows-1252, easting/northing): updates, adds, closes, rejects', async () => {
    const rows = [
      GIAS_HEADER,
      // 900001: renamed, with characters outside ASCII, and a new FSM figure.
      '900001,Ardwick Église Primary – St Mary’s,Local authority maintained schools,Open,Primary,352,Manchester,North West,Manchester,M13 9PL,385000,396000,300,60.0,Urban major conurbation,Manchester Gorton',
      // 900002: listed as closed.
      '900002,Brunswick Primary,Local authority maintained schools,Closed,Primary,352,Manchester,North West,Manchester,M13 9PL,385100,396100,200,20.0,,',
      // 900003 and 900004: the same as before except for what GIAS adds; 900005 and 900006 are absent.
      '900003,Chorlton Primary,Academies,"Open, but proposed to close",Primary,352,Manchester,North West,Manchester,M21 9AA,,,250,30.0,,',
      '900004,Didsbury Primary,Academies,Open,Primary,352,Manchester,North West,Manchester,M20 2AA,,,400,SUPP,,',
      // 900007: new, located from easting/northing only (The Aldgate School's postcode centroid).
      '900007,Aldgate New Primary,Free Schools,Open,Primary,201,City of London,London,London,EC3A 5DE,533502,181167,120,45.5,,',
      // A broken URN: reported with its line, not fatal.
      '12A34,Broken Row Primary,Academies,Open,Primary,352,Manchester,North West,Manchester,M13 9PL,385000,396000,100,10.0,,',
      // Not ours: a secondary school and an independent primary.
      '900008,Big Secondary School,Academies,Open,Secondary,352,Manchester,North West,Manchester,M13 9PL,385000,396000,1200,30.0,,',
      '900009,Private Prep,Independent schools,Open,Primary,352,Manchester,North West,Manchester,M13 9PL,385000,396000,90,0.0,,',
    ];
    const file = join(dir, 'edubasealldata.csv');
    await writeFile(file, iconv.encode(rows.join('\r\n'), 'win1252'));

    // Three of six open schools close: a complete edition would rarely do that, so say it is one.
    await expect(register.importFile(file)).rejects.toThrow(/would close 3 of the 6 open schools/);
    expect((await school(900005)).body.status).toBe('open');

    const summary = await register.importFile(file, { allowMassClosure: true });
    expect(summary).toMatchObject({
      format: 'gias',
      encoding: 'windows-1252',
      rows: 5,
      inserted: 1,
      // Renamed; closed (and now placed by its grid reference); placed by postcode district; FSM suppressed.
      updated: 4,
      unchanged: 0,
      closed: 3,
      skipped: { 'not a primary school': 1, 'not state-funded': 1 },
    });
    expect(summary.rejected).toEqual([{ line: 7, reason: expect.stringContaining('12A34') }]);

    expect((await school(900001)).body).toMatchObject({
      name: 'Ardwick Église Primary – St Mary’s',
      status: 'open',
      percentFsm: 60,
      constituency: 'Manchester Gorton',
    });
    // Closed, never deleted: listed as closed in the edition, or absent from it.
    for (const urn of [900002, 900005, 900006]) {
      expect((await school(urn)).body.status).toBe('closed');
    }
    expect((await school(900003)).body.status).toBe('open');
    const added = (await school(900007)).body;
    expect(added).toMatchObject({ laGssCode: 'E09000001', region: 'London' });
    expect(added.latitude).toBeCloseTo(51.513662, 4);
    expect(added.longitude).toBeCloseTo(-0.077486, 4);
    // Chorlton had no easting/northing: placed at its postcode district's centroid.
    expect((await school(900003)).body.latitude).toBeCloseTo(53.44, 1);

    const closed = await request(t.http).get('/schools').query({ status: 'closed' }).expect(200);
    expect(closed.body.total).toBe(3);
    const open = await request(t.http).get('/schools').expect(200);
    expect(open.body.total).toBe(4);

    // High-need is recomputed over the open schools with an FSM figure: 30, 45.5, 60.
    const highNeed = await request(t.http).get('/schools').query({ highNeed: true }).expect(200);
    expect(highNeed.body.items.map((s: { urn: number }) => s.urn)).toEqual([900001]);
    expect((await school(900005)).body.highNeed).toBe(false);
  });

  it('changes nothing when the same edition is imported again', async () => {
    const summary = await register.importFile(join(dir, 'edubasealldata.csv'));
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 5, closed: 0 });
  });

  it('re-opens a closed school that a later edition lists as open', async () => {
    const file = join(dir, 'reopen.csv');
    await writeFile(
      file,
      [
        NORMALISED_HEADER,
        '900002,Brunswick Primary,Primary,352,Manchester,North West,Manchester,M13 9PL,200,20.0,,,53.4610,-2.2210',
      ].join('\n'),
    );
    const summary = await register.importFile(file, { allowMassClosure: true });
    expect(summary).toMatchObject({ updated: 1, closed: 4 });
    expect((await school(900002)).body.status).toBe('open');
  });

  it('refuses a file that is not a register, leaving the register as it was', async () => {
    const file = join(dir, 'not-a-register.csv');
    await writeFile(file, 'id,title\n1,hello\n');
    await expect(register.importFile(file)).rejects.toThrow(/unrecognised header/);
    const open = await request(t.http).get('/schools').expect(200);
    expect(open.body.total).toBe(1);
  });
});

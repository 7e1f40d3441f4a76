import { SchoolStatus } from '../school.entity';
import {
  fromGiasRow,
  fromNormalisedRow,
  RawRow,
  RegisterLookups,
  RegisterRecord,
  RowError,
  Skip,
} from './register-record';

const MANCHESTER = { gssCode: 'E08000003', regionCode: 'E12000002', region: 'North West' };
const CITY_OF_LONDON = { gssCode: 'E09000001', regionCode: 'E12000007', region: 'London' };
const M13_CENTROID = { latitude: 53.4598, longitude: -2.2238 };

function makeLookups(): RegisterLookups & {
  outcodeCentroid: jest.Mock<ReturnType<RegisterLookups['outcodeCentroid']>, [string]>;
} {
  const las: Record<string, typeof MANCHESTER> = { '352': MANCHESTER, '201': CITY_OF_LONDON };
  const regions: Record<string, string> = { 'north west': 'E12000002', london: 'E12000007' };
  return {
    localAuthority: (laCode) => las[laCode],
    regionCode: (region) => regions[region.toLowerCase()],
    outcodeCentroid: jest.fn((outcode: string) => (outcode === 'M13' ? M13_CENTROID : undefined)),
  };
}

function asRecord(result: RegisterRecord | Skip): RegisterRecord {
  if ('skip' in result) throw new Error(`unexpected skip: ${result.skip}`);
  return result;
}

/** Calls `convert` expecting a RowError and returns its message. */
function rowErrorOf(convert: () => unknown): string {
  try {
    convert();
  } catch (error) {
    expect(error).toBeInstanceOf(RowError);
    return (error as RowError).message;
  }
  throw new Error('expected a RowError');
}

describe('fromNormalisedRow', () => {
  const goodRow = (): RawRow => ({
    urn: '105500',
    name: 'Example Primary School',
    phase: 'Primary',
    status: 'open',
    town: 'Manchester',
    postcode: 'm13 9pl',
    la_code: '352',
    la_name: 'Manchester',
    la_gss_code: 'E08000003',
    region_code: 'E12000002',
    region: 'North West',
    parliamentary_constituency_pre2024: 'Manchester, Gorton',
    urban_rural: 'Urban major conurbation',
    number_of_pupils: '412',
    percent_fsm: '38.46',
    easting: '385000',
    northing: '396000',
    latitude: '53.459800',
    longitude: '-2.223800',
  });

  it('maps every field of a good row', () => {
    const lookups = makeLookups();
    expect(fromNormalisedRow(goodRow(), lookups)).toEqual({
      urn: 105500,
      name: 'Example Primary School',
      phase: 'Primary',
      status: SchoolStatus.Open,
      laCode: '352',
      laName: 'Manchester',
      laGssCode: 'E08000003',
      region: 'North West',
      regionCode: 'E12000002',
      town: 'Manchester',
      postcode: 'M13 9PL',
      latitude: 53.4598,
      longitude: -2.2238,
      pupils: 412,
      percentFsm: 38.5,
      urbanRural: 'Urban major conurbation',
      constituency: 'Manchester, Gorton',
    });
    expect(lookups.outcodeCentroid).not.toHaveBeenCalled();
  });

  it('reads a closed status in any case', () => {
    const record = asRecord(fromNormalisedRow({ ...goodRow(), status: 'Closed' }, makeLookups()));
    expect(record.status).toBe(SchoolStatus.Closed);
  });

  it('fills the GSS code, region and region code from the lookups when the row lacks them', () => {
    const record = asRecord(
      fromNormalisedRow(
        { ...goodRow(), la_gss_code: '', region: '', region_code: '' },
        makeLookups(),
      ),
    );
    expect(record.laGssCode).toBe('E08000003');
    expect(record.region).toBe('North West');
    expect(record.regionCode).toBe('E12000002');
  });

  it('falls back to the constituency column when the pre-2024 one is absent', () => {
    const row = goodRow();
    delete row.parliamentary_constituency_pre2024;
    row.constituency = 'Manchester Rusholme';
    expect(asRecord(fromNormalisedRow(row, makeLookups())).constituency).toBe(
      'Manchester Rusholme',
    );
  });

  it('skips a secondary school', () => {
    expect(fromNormalisedRow({ ...goodRow(), phase: 'Secondary' }, makeLookups())).toEqual({
      skip: 'not a primary school',
    });
  });

  it('keeps a middle school deemed primary', () => {
    const record = asRecord(
      fromNormalisedRow({ ...goodRow(), phase: 'Middle deemed primary' }, makeLookups()),
    );
    expect(record.phase).toBe('Middle deemed primary');
  });

  it('rejects a broken URN, naming it', () => {
    expect(
      rowErrorOf(() => fromNormalisedRow({ ...goodRow(), urn: '12A45' }, makeLookups())),
    ).toContain('12A45');
  });

  it('rejects a missing name', () => {
    expect(rowErrorOf(() => fromNormalisedRow({ ...goodRow(), name: ' ' }, makeLookups()))).toMatch(
      /name is missing/,
    );
  });

  it('rejects latitude/longitude outside Great Britain', () => {
    expect(
      rowErrorOf(() =>
        fromNormalisedRow({ ...goodRow(), latitude: '40.0', longitude: '-3.7' }, makeLookups()),
      ),
    ).toContain('40.0, -3.7');
  });

  it('uses easting/northing when latitude/longitude are blank', () => {
    const record = asRecord(
      fromNormalisedRow(
        { ...goodRow(), latitude: '', longitude: '', easting: '533502', northing: '181167' },
        makeLookups(),
      ),
    );
    expect(record.latitude).toBeCloseTo(51.513662, 4);
    expect(record.longitude).toBeCloseTo(-0.077486, 4);
  });
});

describe('fromGiasRow', () => {
  const goodRow = (): RawRow => ({
    URN: '100000',
    EstablishmentName: 'The Aldgate School',
    'PhaseOfEducation (name)': 'Primary',
    'EstablishmentStatus (name)': 'Open',
    'LA (code)': '201',
    'LA (name)': 'City of London',
    'GOR (name)': 'London',
    Town: 'London',
    Postcode: 'EC3A 5DE',
    Easting: '533502',
    Northing: '181167',
    NumberOfPupils: '271',
    PercentageFSM: '18.1',
    'UrbanRural (name)': 'Urban major conurbation',
    'ParliamentaryConstituency (name)': 'Cities of London and Westminster',
    'EstablishmentTypeGroup (name)': 'Academies',
  });

  it('maps a good row and converts easting/northing to latitude/longitude', () => {
    const record = asRecord(fromGiasRow(goodRow(), makeLookups()));
    expect(record).toEqual({
      urn: 100000,
      name: 'The Aldgate School',
      phase: 'Primary',
      status: SchoolStatus.Open,
      laCode: '201',
      laName: 'City of London',
      laGssCode: 'E09000001',
      region: 'London',
      regionCode: 'E12000007',
      town: 'London',
      postcode: 'EC3A 5DE',
      latitude: expect.any(Number),
      longitude: expect.any(Number),
      pupils: 271,
      percentFsm: 18.1,
      urbanRural: 'Urban major conurbation',
      constituency: 'Cities of London and Westminster',
    });
    expect(record.latitude).toBeCloseTo(51.513662, 4);
    expect(record.longitude).toBeCloseTo(-0.077486, 4);
  });

  it('fills the GSS and region codes from the lookups for a Manchester school', () => {
    const record = asRecord(
      fromGiasRow(
        {
          ...goodRow(),
          'LA (code)': '352',
          'LA (name)': 'Manchester',
          'GOR (name)': 'North West',
        },
        makeLookups(),
      ),
    );
    expect(record.laGssCode).toBe('E08000003');
    expect(record.region).toBe('North West');
    expect(record.regionCode).toBe('E12000002');
  });

  it('takes the region from the local authority when GOR is blank or unknown', () => {
    for (const gor of ['', 'Somewhere Else']) {
      const record = asRecord(
        fromGiasRow({ ...goodRow(), 'LA (code)': '352', 'GOR (name)': gor }, makeLookups()),
      );
      expect(record.region).toBe('North West');
      expect(record.regionCode).toBe('E12000002');
    }
  });

  it('leaves the codes null for a local authority the lookups do not know', () => {
    const record = asRecord(
      fromGiasRow({ ...goodRow(), 'LA (code)': '999', 'GOR (name)': '' }, makeLookups()),
    );
    expect(record.laGssCode).toBeNull();
    expect(record.region).toBeNull();
    expect(record.regionCode).toBeNull();
  });

  describe('status', () => {
    it.each([
      ['Open', SchoolStatus.Open],
      ['Open, but proposed to close', SchoolStatus.Open],
      ['Closed', SchoolStatus.Closed],
    ])('reads %p as %p', (statusName, status) => {
      const row = { ...goodRow(), 'EstablishmentStatus (name)': statusName };
      expect(asRecord(fromGiasRow(row, makeLookups())).status).toBe(status);
    });

    it('skips a school that is only proposed to open', () => {
      const row = { ...goodRow(), 'EstablishmentStatus (name)': 'Proposed to open' };
      expect(fromGiasRow(row, makeLookups())).toEqual({ skip: 'not open yet' });
    });
  });

  describe('skips', () => {
    it.each(['Secondary', 'Nursery', '16 plus', 'Not applicable', ''])(
      'skips the phase %p as not a primary school',
      (phase) => {
        const row = { ...goodRow(), 'PhaseOfEducation (name)': phase };
        expect(fromGiasRow(row, makeLookups())).toEqual({ skip: 'not a primary school' });
      },
    );

    it('skips independent schools', () => {
      const row = { ...goodRow(), 'EstablishmentTypeGroup (name)': 'Independent schools' };
      const result = fromGiasRow(row, makeLookups());
      expect(result).toEqual({ skip: 'not state-funded' });
    });

    it('skips before validating, so a skipped row with a broken URN is not an error', () => {
      const row = { ...goodRow(), URN: 'oops', 'PhaseOfEducation (name)': 'Secondary' };
      expect(fromGiasRow(row, makeLookups())).toEqual({ skip: 'not a primary school' });
    });
  });

  describe('rejections', () => {
    it.each(['12A45', '', '0', '-5', '1.5'])('rejects the URN %p, naming it', (urn) => {
      const message = rowErrorOf(() => fromGiasRow({ ...goodRow(), URN: urn }, makeLookups()));
      expect(message).toContain(`URN "${urn}"`);
    });

    it('rejects a missing URN column', () => {
      const row = goodRow();
      delete row.URN;
      expect(rowErrorOf(() => fromGiasRow(row, makeLookups()))).toContain('URN ""');
    });

    it.each(['35', '3520', 'ABC', ''])('rejects the LA code %p', (laCode) => {
      const message = rowErrorOf(() =>
        fromGiasRow({ ...goodRow(), 'LA (code)': laCode }, makeLookups()),
      );
      expect(message).toContain(`LA code "${laCode}"`);
    });

    it.each(['120', 'abc', '-1', '12%'])('rejects the FSM percentage %p', (fsm) => {
      const message = rowErrorOf(() =>
        fromGiasRow({ ...goodRow(), PercentageFSM: fsm }, makeLookups()),
      );
      expect(message).toContain(`PercentageFSM "${fsm}"`);
    });

    it.each(['many', '12.5', '-3'])('rejects the pupil count %p', (pupils) => {
      const message = rowErrorOf(() =>
        fromGiasRow({ ...goodRow(), NumberOfPupils: pupils }, makeLookups()),
      );
      expect(message).toContain(`NumberOfPupils "${pupils}"`);
    });

    it('rejects a missing establishment name and LA name', () => {
      expect(
        rowErrorOf(() => fromGiasRow({ ...goodRow(), EstablishmentName: '' }, makeLookups())),
      ).toContain('EstablishmentName');
      expect(
        rowErrorOf(() => fromGiasRow({ ...goodRow(), 'LA (name)': '' }, makeLookups())),
      ).toContain('LA (name)');
    });

    it.each([
      ['800000', '181167'],
      ['-1', '181167'],
      ['533502', '1400000'],
      ['east', '181167'],
    ])('rejects easting/northing %p, %p off the National Grid', (easting, northing) => {
      const message = rowErrorOf(() =>
        fromGiasRow({ ...goodRow(), Easting: easting, Northing: northing }, makeLookups()),
      );
      expect(message).toContain(`easting/northing "${easting}, ${northing}"`);
    });
  });

  describe('suppressed and unknown figures', () => {
    it.each(['SUPP', 'supp', '', '  '])('reads the FSM percentage %p as null', (fsm) => {
      const row = { ...goodRow(), PercentageFSM: fsm };
      expect(asRecord(fromGiasRow(row, makeLookups())).percentFsm).toBeNull();
    });

    it('reads a blank pupil count as null', () => {
      const row = { ...goodRow(), NumberOfPupils: '' };
      expect(asRecord(fromGiasRow(row, makeLookups())).pupils).toBeNull();
    });

    it('accepts the bounds 0 and 100 for the FSM percentage', () => {
      expect(
        asRecord(fromGiasRow({ ...goodRow(), PercentageFSM: '0' }, makeLookups())).percentFsm,
      ).toBe(0);
      expect(
        asRecord(fromGiasRow({ ...goodRow(), PercentageFSM: '100' }, makeLookups())).percentFsm,
      ).toBe(100);
    });

    it('reads blank optional text as null', () => {
      const record = asRecord(
        fromGiasRow(
          {
            ...goodRow(),
            Town: '',
            'UrbanRural (name)': ' ',
            'ParliamentaryConstituency (name)': '',
          },
          makeLookups(),
        ),
      );
      expect(record.town).toBeNull();
      expect(record.urbanRural).toBeNull();
      expect(record.constituency).toBeNull();
    });
  });

  describe('location', () => {
    it('uses the outcode centroid when there is a postcode but no easting/northing', () => {
      const lookups = makeLookups();
      const row = { ...goodRow(), Postcode: 'm13 9pl', Easting: '', Northing: '' };
      const record = asRecord(fromGiasRow(row, lookups));
      expect(lookups.outcodeCentroid).toHaveBeenCalledWith('M13');
      expect(record.postcode).toBe('M13 9PL');
      expect(record.latitude).toBe(M13_CENTROID.latitude);
      expect(record.longitude).toBe(M13_CENTROID.longitude);
    });

    it('uses the outcode centroid when only one of easting and northing is given', () => {
      const row = { ...goodRow(), Postcode: 'M13 9PL', Easting: '533502', Northing: '' };
      const record = asRecord(fromGiasRow(row, makeLookups()));
      expect(record.latitude).toBe(M13_CENTROID.latitude);
      expect(record.longitude).toBe(M13_CENTROID.longitude);
    });

    it('leaves the coordinates null when there is no easting/northing nor postcode', () => {
      const lookups = makeLookups();
      const row = { ...goodRow(), Postcode: '', Easting: '', Northing: '' };
      const record = asRecord(fromGiasRow(row, lookups));
      expect(record.postcode).toBeNull();
      expect(record.latitude).toBeNull();
      expect(record.longitude).toBeNull();
      expect(lookups.outcodeCentroid).not.toHaveBeenCalled();
    });

    it('leaves the coordinates null when the outcode is unknown', () => {
      const row = { ...goodRow(), Postcode: 'ZZ9 9ZZ', Easting: '', Northing: '' };
      const record = asRecord(fromGiasRow(row, makeLookups()));
      expect(record.latitude).toBeNull();
      expect(record.longitude).toBeNull();
    });

    it('keeps a malformed postcode out of the record', () => {
      const row = { ...goodRow(), Postcode: 'NOT A POSTCODE' };
      const record = asRecord(fromGiasRow(row, makeLookups()));
      expect(record.postcode).toBeNull();
      expect(record.latitude).toBeCloseTo(51.513662, 4);
    });
  });
});

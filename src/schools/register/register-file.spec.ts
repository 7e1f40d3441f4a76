import iconv from 'iconv-lite';
import { decodeRegister, detectFormat, parseRegister, RegisterFileError } from './register-file';
import { RegisterLookups } from './register-record';

const WELSH_NAME = 'Ysgol Gynradd Llanfair Pwllgwyngyll – École';

const lookups: RegisterLookups = {
  localAuthority: (laCode) =>
    laCode === '352'
      ? { gssCode: 'E08000003', regionCode: 'E12000002', region: 'North West' }
      : undefined,
  regionCode: (region) => (region.toLowerCase() === 'north west' ? 'E12000002' : undefined),
  outcodeCentroid: (outcode) =>
    outcode === 'M13' ? { latitude: 53.4598, longitude: -2.2238 } : undefined,
};

const NORMALISED_HEADER = 'urn,name,phase,status,la_code,la_name,postcode,percent_fsm';

function normalised(...rows: string[]): Buffer {
  return Buffer.from([NORMALISED_HEADER, ...rows].join('\n') + '\n', 'utf8');
}

const GIAS_HEADER = [
  'URN',
  'EstablishmentName',
  'PhaseOfEducation (name)',
  'EstablishmentStatus (name)',
  'EstablishmentTypeGroup (name)',
  'LA (code)',
  'LA (name)',
  'Postcode',
].join(',');

function gias(...rows: string[]): Buffer {
  return Buffer.from([GIAS_HEADER, ...rows].join('\r\n') + '\r\n', 'utf8');
}

describe('decodeRegister', () => {
  it('decodes UTF-8 without a BOM as utf-8', () => {
    const text = `urn,name\n1,${WELSH_NAME}\n`;
    expect(decodeRegister(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
  });

  it('decodes UTF-8 with a BOM as utf-8 and drops the BOM', () => {
    const text = `urn,name\n1,${WELSH_NAME}\n`;
    const buffer = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const decoded = decodeRegister(buffer);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toBe(text);
    expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('detects Windows-1252 and keeps the accented letters and en dash', () => {
    const text = `URN,EstablishmentName\n1,${WELSH_NAME}\n`;
    const buffer = iconv.encode(text, 'win1252');
    expect(buffer.includes(0x96)).toBe(true); // the en dash as Windows-1252 encodes it
    const decoded = decodeRegister(buffer);
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe(text);
    expect(decoded.text).toContain('– École');
  });

  it('takes plain ASCII as utf-8', () => {
    expect(decodeRegister(Buffer.from('URN,EstablishmentName\n', 'ascii')).encoding).toBe('utf-8');
  });
});

describe('detectFormat', () => {
  it('recognises a GIAS header', () => {
    expect(detectFormat(['URN', 'LA (code)', 'EstablishmentName', 'Postcode'])).toBe('gias');
  });

  it('recognises the normalised header', () => {
    expect(detectFormat(['urn', 'name', 'phase', 'la_code'])).toBe('normalised');
  });

  it.each([[['id', 'school']], [['URN']], [['urn', 'EstablishmentName']], [[]]])(
    'refuses the header %p',
    (header) => {
      expect(() => detectFormat(header)).toThrow(RegisterFileError);
      expect(() => detectFormat(header)).toThrow(/unrecognised header/);
    },
  );
});

describe('parseRegister', () => {
  it('reads good normalised rows', () => {
    const edition = parseRegister(
      normalised(
        '100,Alpha Primary,Primary,open,352,Manchester,M13 9PL,12.5',
        '101,Beta Primary,Primary,closed,352,Manchester,,',
      ),
      lookups,
    );
    expect(edition.format).toBe('normalised');
    expect(edition.encoding).toBe('utf-8');
    expect(edition.rejected).toEqual([]);
    expect(edition.skipped).toEqual({});
    expect(edition.records.map((r) => [r.urn, r.name, r.status])).toEqual([
      [100, 'Alpha Primary', 'open'],
      [101, 'Beta Primary', 'closed'],
    ]);
    expect(edition.records[0]).toMatchObject({
      laGssCode: 'E08000003',
      regionCode: 'E12000002',
      postcode: 'M13 9PL',
      latitude: 53.4598,
      longitude: -2.2238,
      percentFsm: 12.5,
    });
  });

  it('reports rejected rows by their 1-based line number (the header is line 1) and reason', () => {
    const edition = parseRegister(
      normalised(
        '100,Alpha Primary,Primary,open,352,Manchester,,',
        '12A45,Broken Urn Primary,Primary,open,352,Manchester,,',
        '',
        '102,Bad LA Primary,Primary,open,35,Manchester,,',
        '103,Bad FSM Primary,Primary,open,352,Manchester,,120',
      ),
      lookups,
    );
    expect(edition.records.map((r) => r.urn)).toEqual([100]);
    expect(edition.rejected).toEqual([
      { line: 3, reason: expect.stringContaining('12A45') },
      { line: 5, reason: expect.stringContaining('LA code "35"') },
      { line: 6, reason: expect.stringContaining('120') },
    ]);
  });

  it('rejects a repeated URN, naming the line where it first appeared', () => {
    const edition = parseRegister(
      normalised(
        '100,Alpha Primary,Primary,open,352,Manchester,,',
        '101,Beta Primary,Primary,open,352,Manchester,,',
        '100,Alpha Primary Again,Primary,open,352,Manchester,,',
      ),
      lookups,
    );
    expect(edition.records.map((r) => r.name)).toEqual(['Alpha Primary', 'Beta Primary']);
    expect(edition.rejected).toEqual([{ line: 4, reason: 'URN 100 already appears on line 2' }]);
  });

  it('does not let a rejected row claim its URN', () => {
    const edition = parseRegister(
      normalised(
        '100,,Primary,open,352,Manchester,,',
        '100,Alpha Primary,Primary,open,352,Manchester,,',
      ),
      lookups,
    );
    expect(edition.rejected).toEqual([{ line: 2, reason: 'name is missing' }]);
    expect(edition.records.map((r) => r.urn)).toEqual([100]);
  });

  it('counts skipped GIAS rows by reason and keeps line numbers with CRLF line ends', () => {
    const edition = parseRegister(
      gias(
        '100,Alpha Primary,Primary,Open,Academies,352,Manchester,M13 9PL',
        '200,Big Secondary,Secondary,Open,Academies,352,Manchester,',
        '201,Other Secondary,Secondary,Open,Academies,352,Manchester,',
        '300,Posh Prep,Primary,Open,Independent schools,352,Manchester,',
        '400,New Primary,Primary,Proposed to open,Academies,352,Manchester,',
        '500,Gamma Primary,Primary,Closed,Academies,ABC,Manchester,',
      ),
      lookups,
    );
    expect(edition.format).toBe('gias');
    expect(edition.skipped).toEqual({
      'not a primary school': 2,
      'not state-funded': 1,
      'not open yet': 1,
    });
    expect(edition.records.map((r) => r.urn)).toEqual([100]);
    expect(edition.rejected).toEqual([{ line: 7, reason: 'LA code "ABC" is not three digits' }]);
  });

  it('reads a Windows-1252 GIAS file, keeping the accented names', () => {
    const text =
      `${GIAS_HEADER}\r\n` + `100,${WELSH_NAME},Primary,Open,Academies,352,Manchester,M13 9PL\r\n`;
    const edition = parseRegister(iconv.encode(text, 'win1252'), lookups);
    expect(edition.encoding).toBe('windows-1252');
    expect(edition.format).toBe('gias');
    expect(edition.records).toHaveLength(1);
    expect(edition.records[0].name).toBe(WELSH_NAME);
  });

  it('reads a UTF-8 file with a BOM, recognising the first header', () => {
    const buffer = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      normalised('100,Alpha Primary,Primary,open,352,Manchester,,'),
    ]);
    const edition = parseRegister(buffer, lookups);
    expect(edition.format).toBe('normalised');
    expect(edition.records.map((r) => r.urn)).toEqual([100]);
  });

  it('refuses a file with an unknown header', () => {
    const buffer = Buffer.from('id,school\n1,Alpha\n', 'utf8');
    expect(() => parseRegister(buffer, lookups)).toThrow(RegisterFileError);
  });

  it.each([
    ['an empty file', ''],
    ['a header without rows', `${NORMALISED_HEADER}\n`],
  ])('refuses %s', (_label, text) => {
    expect(() => parseRegister(Buffer.from(text, 'utf8'), lookups)).toThrow(
      new RegisterFileError('the file holds no rows'),
    );
  });

  it('refuses a file that is not readable CSV', () => {
    const buffer = Buffer.from('urn,name\n1,"Alpha Primary\n', 'utf8');
    expect(() => parseRegister(buffer, lookups)).toThrow(/not a readable CSV file/);
  });

  it('lets errors other than row errors escape', () => {
    const failing: RegisterLookups = {
      ...lookups,
      localAuthority: () => {
        throw new TypeError('lookup broke');
      },
    };
    expect(() =>
      parseRegister(normalised('100,Alpha Primary,Primary,open,352,Manchester,,'), failing),
    ).toThrow(TypeError);
  });
});

describe('line numbers of records that span lines', () => {
  it('reports the line where a record starts when a quoted field holds a line break', () => {
    const edition = parseRegister(
      Buffer.from(
        'urn,name,phase,la_code,la_name\n' +
          '100,"Alpha\nPrimary",Primary,352,Manchester\n' +
          '12A45,Broken,Primary,352,Manchester\n',
      ),
      lookups,
    );
    expect(edition.rejected).toEqual([{ line: 4, reason: expect.stringContaining('12A45') }]);
  });
});

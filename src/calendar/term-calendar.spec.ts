import { join } from 'node:path';
import { DATA_DIR } from '../common/paths';
import { addDays, londonParts } from './london-time';
import { TermCalendar, TermDatesFile } from './term-calendar';

const calendar = TermCalendar.load();

/** An instant from a London wall-clock reading written with its offset, e.g. `+01:00`. */
const at = (iso: string) => new Date(iso);

describe('TermCalendar with the shipped term dates', () => {
  it('loads the file in data/ by default', () => {
    const explicit = TermCalendar.load(join(DATA_DIR, 'term-dates.json'));
    expect(explicit.coverage).toEqual(calendar.coverage);
  });

  it('covers the school years 2025/26 to 2027/28', () => {
    expect(calendar.coverage).toEqual({ from: '2025-09-01', to: '2028-08-31' });
    expect(calendar.covers('2025-09-01')).toBe(true);
    expect(calendar.covers('2028-08-31')).toBe(true);
    expect(calendar.covers('2025-08-31')).toBe(false);
    expect(calendar.covers('2028-09-01')).toBe(false);
  });

  it('gives every school year about the statutory 190 days plus INSET days', () => {
    for (const [from, to] of [
      ['2025-09-01', '2026-08-31'],
      ['2026-09-01', '2027-08-31'],
      ['2027-09-01', '2028-08-31'],
    ]) {
      let days = 0;
      for (let day = from; day <= to; day = addDays(day, 1)) {
        if (calendar.isSchoolDay(day)) days += 1;
      }
      expect(days).toBeGreaterThanOrEqual(190);
      expect(days).toBeLessThanOrEqual(195);
    }
  });

  describe('isSchoolDay', () => {
    it('is true on a weekday in term', () => {
      expect(calendar.isSchoolDay('2026-11-23')).toBe(true);
      expect(calendar.isSchoolDay('2026-09-02')).toBe(true); // first day of term
      expect(calendar.isSchoolDay('2027-07-21')).toBe(true); // last day of term
    });

    it('is false at weekends in term', () => {
      expect(calendar.isSchoolDay('2026-11-21')).toBe(false);
      expect(calendar.isSchoolDay('2026-11-22')).toBe(false);
    });

    it('is false in half term', () => {
      expect(calendar.isSchoolDay('2026-10-28')).toBe(false);
      expect(calendar.isSchoolDay('2027-02-15')).toBe(false);
      expect(calendar.isSchoolDay('2027-06-04')).toBe(false);
    });

    it('is false on a bank holiday inside a term', () => {
      expect(calendar.isSchoolDay('2027-05-03')).toBe(false); // early May bank holiday
      expect(calendar.isSchoolDay('2027-05-04')).toBe(true);
      expect(calendar.isSchoolDay('2026-05-04')).toBe(false);
    });

    it('is false in the holidays between terms', () => {
      expect(calendar.isSchoolDay('2027-08-10')).toBe(false); // summer
      expect(calendar.isSchoolDay('2027-07-22')).toBe(false);
      expect(calendar.isSchoolDay('2026-12-21')).toBe(false); // Christmas
      expect(calendar.isSchoolDay('2027-04-06')).toBe(false); // Easter
    });

    it('is false outside the calendar', () => {
      expect(calendar.isSchoolDay('2030-01-07')).toBe(false);
    });

    it('rejects a malformed date', () => {
      expect(() => calendar.isSchoolDay('2026-11-31')).toThrow(RangeError);
    });
  });

  describe('termOf', () => {
    const autumn = { id: '2026/27 autumn', starts: '2026-09-02', ends: '2026-12-18' };

    it('is the same term on both sides of the half term and inside it', () => {
      expect(calendar.termOf('2026-10-23')).toEqual(autumn);
      expect(calendar.termOf('2026-10-28')).toEqual(autumn);
      expect(calendar.termOf('2026-11-02')).toEqual(autumn);
    });

    it('names each term by school year', () => {
      expect(calendar.termOf('2026-03-02')?.id).toBe('2025/26 spring');
      expect(calendar.termOf('2028-06-30')?.id).toBe('2027/28 summer');
    });

    it('is undefined in the holidays between terms and outside the calendar', () => {
      expect(calendar.termOf('2026-12-25')).toBeUndefined();
      expect(calendar.termOf('2027-08-10')).toBeUndefined();
      expect(calendar.termOf('2029-01-15')).toBeUndefined();
    });

    it('cannot be changed by the caller', () => {
      const term = calendar.termOf('2026-10-23')!;
      expect(() => Object.assign(term, { ends: '2027-01-01' })).toThrow(TypeError);
      expect(calendar.termOf('2026-10-23')).toEqual(autumn);
    });
  });

  describe('addSchoolDays', () => {
    it('goes from Friday to Monday over a weekend, keeping the time', () => {
      const friday = at('2026-11-20T10:00:00Z'); // 10:00 GMT
      expect(calendar.addSchoolDays(friday, 1).toISOString()).toBe('2026-11-23T10:00:00.000Z');
      expect(calendar.addSchoolDays(friday, 5).toISOString()).toBe('2026-11-27T10:00:00.000Z');
    });

    it('counts from the next school day when it starts at a weekend', () => {
      const saturday = at('2026-11-21T12:00:00Z');
      expect(calendar.addSchoolDays(saturday, 1).toISOString()).toBe('2026-11-23T12:00:00.000Z');
    });

    it('skips a half-term week', () => {
      const friday = at('2027-02-12T14:30:00Z');
      expect(calendar.addSchoolDays(friday, 1).toISOString()).toBe('2027-02-22T14:30:00.000Z');
    });

    it('skips the Christmas holiday', () => {
      expect(calendar.addSchoolDays(at('2026-12-18T09:00:00Z'), 1).toISOString()).toBe(
        '2027-01-04T09:00:00.000Z',
      );
      // 3 January 2028 is a bank holiday: spring term 2028 starts on the Tuesday.
      expect(calendar.addSchoolDays(at('2027-12-17T09:00:00Z'), 2).toISOString()).toBe(
        '2028-01-05T09:00:00.000Z',
      );
    });

    it('skips a bank holiday Monday in term', () => {
      const friday = at('2027-04-30T11:00:00+01:00');
      expect(calendar.addSchoolDays(friday, 1)).toEqual(at('2027-05-04T11:00:00+01:00'));
    });

    it('keeps the London wall-clock time across the October clock change', () => {
      // Friday before half term at 10:00 BST; the clocks go back on Sunday 25 October 2026.
      const friday = at('2026-10-23T10:00:00+01:00');
      const result = calendar.addSchoolDays(friday, 1);
      expect(result.toISOString()).toBe('2026-11-02T10:00:00.000Z'); // 10:00 GMT
      expect(londonParts(result)).toMatchObject({ date: '2026-11-02', hour: 10, minute: 0 });
    });

    it('keeps the London wall-clock time across the March clock change', () => {
      const friday = at('2026-03-27T16:45:30.500Z'); // 16:45 GMT, last day of spring term
      const result = calendar.addSchoolDays(friday, 1);
      expect(result).toEqual(at('2026-04-13T16:45:30.500+01:00'));
      expect(londonParts(result)).toMatchObject({ date: '2026-04-13', hour: 16, minute: 45 });
    });

    it('counts from the London date, not the UTC one', () => {
      // Sunday 23:30 UTC in June is Monday 00:30 in London.
      const result = calendar.addSchoolDays(at('2026-06-07T23:30:00Z'), 1);
      expect(londonParts(result)).toMatchObject({ date: '2026-06-09', hour: 0, minute: 30 });
    });

    it('runs from one school year into the next', () => {
      const lastDay = at('2026-07-20T15:00:00+01:00');
      expect(calendar.addSchoolDays(lastDay, 1)).toEqual(at('2026-09-02T15:00:00+01:00'));
    });

    it('gives the same instant for 0 days', () => {
      const saturday = at('2026-11-21T12:00:00Z');
      const result = calendar.addSchoolDays(saturday, 0);
      expect(result).toEqual(saturday);
      expect(result).not.toBe(saturday);
    });

    it('rejects negative and fractional counts', () => {
      const monday = at('2026-11-23T10:00:00Z');
      expect(() => calendar.addSchoolDays(monday, -1)).toThrow(RangeError);
      expect(() => calendar.addSchoolDays(monday, 1.5)).toThrow(RangeError);
    });

    it('refuses to count outside the calendar', () => {
      expect(() => calendar.addSchoolDays(at('2024-05-01T10:00:00Z'), 1)).toThrow(
        /not known for 2024-05-01/,
      );
      expect(() => calendar.addSchoolDays(at('2028-07-14T10:00:00Z'), 10)).toThrow(
        /not known far enough past 2028-07-14/,
      );
    });
  });
});

describe('TermCalendar with its own dates', () => {
  const term = (name: 'autumn' | 'spring' | 'summer', starts: string, ends: string) => ({
    name,
    starts,
    ends,
    halfTerm: { starts: addDays(starts, 7), ends: addDays(starts, 11) },
  });
  const year = (start: number) => ({
    year: `${start}/${String((start + 1) % 100).padStart(2, '0')}`,
    terms: [
      term('autumn', `${start}-09-07`, `${start}-12-18`),
      term('spring', `${start + 1}-01-04`, `${start + 1}-03-26`),
      term('summer', `${start + 1}-04-12`, `${start + 1}-07-21`),
    ],
  });
  const file = (years = [year(2030)], bankHolidays: string[] = []): TermDatesFile => ({
    source: 'test',
    note: 'test',
    bankHolidays,
    years,
  });

  it('builds a calendar from the parsed object, in any order of years', () => {
    const custom = new TermCalendar(file([year(2031), year(2030)], ['2030-09-09']));
    expect(custom.coverage).toEqual({ from: '2030-09-01', to: '2032-08-31' });
    expect(custom.isSchoolDay('2030-09-09')).toBe(false); // bank holiday
    expect(custom.isSchoolDay('2030-09-10')).toBe(true);
    expect(custom.isSchoolDay('2030-09-16')).toBe(false); // half term
    expect(custom.termOf('2099-12-31')).toBeUndefined();
  });

  it('labels 1999/00 as one year', () => {
    expect(new TermCalendar(file([year(1999)])).coverage.to).toBe('2000-08-31');
  });

  it.each([
    ['no years', file([])],
    ['a bad year label', file([{ ...year(2030), year: '2030-31' }])],
    ['a year whose label does not match', file([{ ...year(2030), year: '2030/32' }])],
    ['a gap between years', file([year(2030), year(2032)])],
    ['a bad bank holiday', file([year(2030)], ['2030-02-30'])],
    [
      'a half term outside its term',
      file([
        {
          ...year(2030),
          terms: [
            {
              ...term('autumn', '2030-09-07', '2030-12-18'),
              halfTerm: { starts: '2030-12-14', ends: '2030-12-22' },
            },
          ],
        },
      ]),
    ],
    ['terms out of order', file([{ ...year(2030), terms: [...year(2030).terms].reverse() }])],
    [
      'a term outside its school year',
      file([{ ...year(2030), terms: [term('summer', '2031-06-01', '2031-09-03')] }]),
    ],
    [
      'an unknown term name',
      file([
        {
          ...year(2030),
          terms: [{ ...term('autumn', '2030-09-07', '2030-12-18'), name: 'winter' as 'autumn' }],
        },
      ]),
    ],
  ])('rejects %s', (_what, data) => {
    expect(() => new TermCalendar(data)).toThrow(/^term dates: /);
  });
});

import {
  addDays,
  halfDayCode,
  isoWeekdayOf,
  londonDate,
  londonInstant,
  londonParts,
  parseIsoDate,
} from './london-time';

const at = (iso: string) => new Date(iso);

describe('londonDate', () => {
  it('is the UTC date in winter', () => {
    expect(londonDate(at('2026-01-15T23:30:00Z'))).toBe('2026-01-15');
  });

  it('is the next day late in a summer evening, when London is an hour ahead', () => {
    expect(londonDate(at('2026-07-15T23:30:00Z'))).toBe('2026-07-16');
  });

  it('rejects an invalid date', () => {
    expect(() => londonDate(new Date('nope'))).toThrow(RangeError);
  });
});

describe('londonParts', () => {
  it('reads midnight as hour 0', () => {
    expect(londonParts(at('2026-06-30T23:00:00Z'))).toEqual({
      date: '2026-07-01',
      isoWeekday: 3,
      hour: 0,
      minute: 0,
    });
  });

  it('follows the March change (2026-03-29, 01:00 GMT becomes 02:00 BST)', () => {
    expect(londonParts(at('2026-03-29T00:59:00Z'))).toEqual({
      date: '2026-03-29',
      isoWeekday: 7,
      hour: 0,
      minute: 59,
    });
    expect(londonParts(at('2026-03-29T01:00:00Z'))).toMatchObject({ hour: 2, minute: 0 });
    expect(londonParts(at('2026-03-27T09:15:00Z'))).toMatchObject({ isoWeekday: 5, hour: 9 });
    expect(londonParts(at('2026-03-30T09:15:00Z'))).toMatchObject({ isoWeekday: 1, hour: 10 });
  });

  it('follows the October change (2026-10-25, 02:00 BST becomes 01:00 GMT)', () => {
    expect(londonParts(at('2026-10-25T00:30:00Z'))).toMatchObject({ hour: 1, minute: 30 });
    expect(londonParts(at('2026-10-25T01:30:00Z'))).toMatchObject({ hour: 1, minute: 30 });
    expect(londonParts(at('2026-10-23T09:15:00Z'))).toMatchObject({ isoWeekday: 5, hour: 10 });
    expect(londonParts(at('2026-10-26T09:15:00Z'))).toMatchObject({ isoWeekday: 1, hour: 9 });
  });
});

describe('halfDayCode', () => {
  it('numbers the ten weekday half days from Monday morning', () => {
    // Monday 23 November 2026, GMT, so London time is UTC.
    const codes = [0, 1, 2, 3, 4].flatMap((day) =>
      ['09:00', '13:00'].map((time) => halfDayCode(at(`2026-11-${String(23 + day)}T${time}:00Z`))),
    );
    expect(codes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('starts the afternoon at 12:00 exactly', () => {
    expect(halfDayCode(at('2026-11-23T11:59:59Z'))).toBe(0);
    expect(halfDayCode(at('2026-11-23T12:00:00Z'))).toBe(1);
  });

  it('is undefined at weekends', () => {
    expect(halfDayCode(at('2026-11-21T10:00:00Z'))).toBeUndefined();
    expect(halfDayCode(at('2026-11-22T15:00:00Z'))).toBeUndefined();
  });

  it('uses London hours either side of the March change', () => {
    // Friday 27 March 2026 11:30 GMT is a morning.
    expect(halfDayCode(at('2026-03-27T11:30:00Z'))).toBe(8);
    // Monday 30 March 2026 11:30 UTC is 12:30 BST: an afternoon.
    expect(halfDayCode(at('2026-03-30T11:30:00Z'))).toBe(1);
  });

  it('uses London hours either side of the October change', () => {
    // Friday 23 October 2026 11:30 UTC is 12:30 BST: an afternoon.
    expect(halfDayCode(at('2026-10-23T11:30:00Z'))).toBe(9);
    // Monday 26 October 2026 11:30 UTC is 11:30 GMT: a morning.
    expect(halfDayCode(at('2026-10-26T11:30:00Z'))).toBe(0);
  });

  it('puts a late Sunday evening in UTC on London Monday', () => {
    // Sunday 7 June 2026 23:30 UTC is Monday 00:30 BST.
    expect(halfDayCode(at('2026-06-07T23:30:00Z'))).toBe(0);
  });
});

describe('londonInstant', () => {
  it('is an hour before the wall clock in summer and equal to it in winter', () => {
    expect(londonInstant('2026-07-01', 10, 0).toISOString()).toBe('2026-07-01T09:00:00.000Z');
    expect(londonInstant('2026-12-01', 10, 0).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('keeps seconds and milliseconds', () => {
    expect(londonInstant('2026-07-01', 10, 5, 7, 250).toISOString()).toBe(
      '2026-07-01T09:05:07.250Z',
    );
  });

  it('round-trips with londonParts on both sides of both changes', () => {
    for (const date of ['2026-03-27', '2026-03-30', '2026-10-23', '2026-10-26']) {
      for (const hour of [0, 9, 12, 23]) {
        expect(londonParts(londonInstant(date, hour, 45))).toMatchObject({
          date,
          hour,
          minute: 45,
        });
      }
    }
  });

  it('takes the first of a reading that happens twice in October', () => {
    expect(londonInstant('2026-10-25', 1, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('moves a reading skipped in March an hour on', () => {
    const instant = londonInstant('2026-03-29', 1, 30);
    expect(instant.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(londonParts(instant)).toMatchObject({ hour: 2, minute: 30 });
  });
});

describe('date strings', () => {
  it('gives ISO weekdays', () => {
    expect(isoWeekdayOf('2026-11-23')).toBe(1);
    expect(isoWeekdayOf('2026-11-22')).toBe(7);
  });

  it('adds days across months, years and 29 February', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('rejects malformed and impossible dates', () => {
    expect(parseIsoDate('2026-11-23')).toBe(Date.UTC(2026, 10, 23));
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-5', '23/11/2026', '']) {
      expect(() => parseIsoDate(bad)).toThrow(RangeError);
    }
  });
});

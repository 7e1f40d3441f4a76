import { londonStart, rankingReasons, requestFromForm, schoolSearch } from './school-pages';
import { safeNext } from './start.controller';

describe('school pages', () => {
  it('reads a date and time on London clocks, in summer and in winter', () => {
    expect(londonStart('2027-06-15', '10:00')).toBe('2027-06-15T09:00:00.000Z');
    expect(londonStart('2027-01-12', '9.30')).toBe('2027-01-12T09:30:00.000Z');
    expect(londonStart('2027-01-12', '25:00')).toBeUndefined();
    expect(londonStart('2027-02-30', '10:00')).toBeUndefined();
    expect(londonStart(undefined, '10:00')).toBeUndefined();
  });

  it('turns the request form into the API request, skipping empty time rows', () => {
    const request = requestFromForm({
      activity: 'careers_talk',
      format: 'in_person',
      'slots-0-date': '2027-01-12',
      'slots-0-time': '10:00',
      'slots-0-durationMinutes': '45',
      'slots-1-date': '',
      'slots-1-time': '',
      'slots-2-date': '2027-01-13',
      'slots-2-time': 'noon',
      yearGroups: ['5', '6'],
      pupils: '60',
      volunteersWanted: '1',
      supervisor: '  Mrs Rahman ',
      notes: '',
    });
    expect(request).toEqual({
      activity: 'careers_talk',
      format: 'in_person',
      slots: [
        { startsAt: '2027-01-12T10:00:00.000Z', durationMinutes: 45 },
        { startsAt: 'not a date', durationMinutes: 60 },
      ],
      yearGroups: [5, 6],
      pupils: 60,
      volunteersWanted: 1,
      supervisor: 'Mrs Rahman',
      notes: undefined,
      autoInvite: false,
    });
  });

  it('searches the register by URN, postcode or name from one box', () => {
    expect(schoolSearch('105443')).toEqual({ q: '105443' });
    expect(schoolSearch('m13 0aq')).toEqual({ postcode: 'm13 0aq' });
    expect(schoolSearch('M13')).toEqual({ postcode: 'M13' });
    expect(schoolSearch('Plymouth Grove')).toEqual({ q: 'Plymouth Grove' });
  });

  it('explains a candidate’s rank in words', () => {
    const breakdown = { distance: 0.98, fit: 0.5, reliability: 1, newVolunteer: 1 };
    expect(rankingReasons(breakdown, 0.34, false)).toEqual([
      '0.3 km away (distance 98%, weight 0.4)',
      'Year groups: 50% of yours (weight 0.25)',
      'Reliability: 100% (weight 0.25)',
      'New volunteer, not yet invited anywhere (weight 0.1)',
    ]);
    expect(rankingReasons({ ...breakdown, newVolunteer: 0 }, 120, true)[0]).toBe(
      'Visits by video call from 120 km away',
    );
  });

  it('only returns to paths of this service after signing in', () => {
    expect(safeNext('/school/requests/1')).toBe('/school/requests/1');
    expect(safeNext('//evil.example.org')).toBeUndefined();
    expect(safeNext('/\\evil.example.org')).toBeUndefined();
    expect(safeNext('https://evil.example.org')).toBeUndefined();
    expect(safeNext(undefined)).toBeUndefined();
  });
});

import { isIsoDate } from './iso-date';

describe('isIsoDate', () => {
  it('takes days of the calendar and nothing else', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-4-1')).toBe(false);
    expect(isIsoDate(20260401)).toBe(false);
  });
});

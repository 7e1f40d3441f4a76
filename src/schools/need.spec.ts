import { deprivationOf, needScore, outreachGapOf } from './need';

const weights = { deprivationWeight: 0.6, outreachGapWeight: 0.4 };

describe('need score', () => {
  it('weights deprivation and outreach gap', () => {
    expect(needScore({ deprivation: 0.9, outreachGap: 1 }, weights)).toBeCloseTo(0.94, 10);
    expect(needScore({ deprivation: 0.9, outreachGap: 0 }, weights)).toBeCloseTo(0.54, 10);
  });

  it('stays within [0, 1] at the extremes', () => {
    expect(needScore({ deprivation: 0, outreachGap: 0 }, weights)).toBe(0);
    expect(needScore({ deprivation: 1, outreachGap: 1 }, weights)).toBe(1);
  });

  it('gives a school with no FSM figure the national median', () => {
    expect(deprivationOf(null)).toBe(0.5);
    expect(deprivationOf(0.83)).toBe(0.83);
  });
});

describe('outreach gap', () => {
  const now = new Date('2026-11-21T12:00:00Z');

  it('is full for a school never visited or not visited for over a year', () => {
    expect(outreachGapOf(null, now)).toBe(1);
    expect(outreachGapOf(new Date('2025-11-20T12:00:00Z'), now)).toBe(1);
  });

  it('is closed by a completed visit within the last 365 days', () => {
    expect(outreachGapOf(new Date('2025-11-22T12:00:00Z'), now)).toBe(0);
  });
});

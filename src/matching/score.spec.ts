import { score, SCORE_WEIGHTS } from './score';

describe('candidate score', () => {
  it('has weights that add up to 1, so scores stay within [0, 1]', () => {
    const sum = Object.values(SCORE_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
    expect(score({ distance: 1, fit: 1, reliability: 1, newVolunteer: 1 })).toBe(1);
    expect(score({ distance: 0, fit: 0, reliability: 0, newVolunteer: 0 })).toBe(0);
  });

  it('prefers a nearer volunteer, all else equal, and gives a newcomer a boost', () => {
    const base = { fit: 1, reliability: 1, newVolunteer: 0 };
    expect(score({ ...base, distance: 0.9 })).toBeGreaterThan(score({ ...base, distance: 0.2 }));
    expect(score({ ...base, distance: 0.5, newVolunteer: 1 })).toBeCloseTo(
      score({ ...base, distance: 0.5 }) + SCORE_WEIGHTS.newVolunteer,
      10,
    );
  });
});

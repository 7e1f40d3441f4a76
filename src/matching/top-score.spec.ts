import { topScoreIsExact } from './matching.service';

const row = (chord: number, scanned: number, lastChord: number) => ({
  chord,
  scanned,
  last_chord: lastChord,
});

describe('topScoreIsExact', () => {
  it('needs as many top scorers as asked for', () => {
    expect(topScoreIsExact([row(1, 10, 5)], 2, 400)).toBe(false);
  });

  it('holds when every volunteer was looked at', () => {
    expect(topScoreIsExact([row(1, 10, 5), row(5, 10, 5)], 2, 400)).toBe(true);
  });

  it('holds when the last one found is strictly nearer than the edge of the window', () => {
    expect(topScoreIsExact([row(1, 400, 5), row(4.9, 400, 5)], 2, 400)).toBe(true);
  });

  it('fails when the last one found is at the edge: someone just outside may tie with them', () => {
    expect(topScoreIsExact([row(1, 400, 5), row(5, 400, 5)], 2, 400)).toBe(false);
  });

  it('looks only at the last row asked for', () => {
    expect(topScoreIsExact([row(1, 400, 5), row(2, 400, 5), row(5, 400, 5)], 2, 400)).toBe(true);
  });
});

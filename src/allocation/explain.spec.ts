import { AllocationInstance } from './allocation-model';
import { explainShortfall, noCandidate, shortfallContext } from './explain';

const HOUR = 3_600_000;

/** Two requests at the same time, at schools 0 and 1; request 2 on another day at school 0. */
function instance(
  triples: [request: number, slot: number, volunteer: number][],
  requests = [1, 1, 2].map((wanted) => ({ wanted, sameSlot: false })),
): AllocationInstance {
  return {
    requests,
    slots: [
      { startsAt: 0, endsAt: HOUR, school: 0 },
      { startsAt: 0, endsAt: HOUR, school: 1 },
      { startsAt: 48 * HOUR, endsAt: 49 * HOUR, school: 0 },
      { startsAt: 72 * HOUR, endsAt: 73 * HOUR, school: 0 },
    ],
    termCaps: [1, 1, 1],
    travelBufferMs: 0,
    triples: {
      request: Int32Array.from(triples.map((t) => t[0])),
      slot: Int32Array.from(triples.map((t) => t[1])),
      volunteer: Int32Array.from(triples.map((t) => t[2])),
      termCap: Int32Array.from(triples.map((t) => t[2])),
      weight: new Float64Array(triples.length).fill(0.5),
    },
  };
}

describe('explainShortfall', () => {
  it('says the candidates went to schools of higher need, or where they fit better', () => {
    // Volunteer 0 is at request 0 (same time); volunteer 1 at request 2 (term cap of 1).
    const problem = instance([
      [0, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
      [2, 2, 1],
    ]);
    const need = [0.9, 0.5, 0.3];
    const why = explainShortfall(problem, shortfallContext(problem, [0, 3]), 1, (r) => need[r]);
    expect(why).toEqual({
      code: 'candidates_used_elsewhere',
      message:
        'Of its other 2 candidate(s): 1 proposed for schools with higher need; 1 proposed where need × quality is higher',
    });
  });

  it('says when candidates are free only at a time other than the one its volunteers share', () => {
    const problem = instance(
      [
        [2, 2, 0],
        [2, 3, 1],
      ],
      [
        { wanted: 1, sameSlot: false },
        { wanted: 1, sameSlot: false },
        { wanted: 2, sameSlot: true },
      ],
    );
    expect(explainShortfall(problem, shortfallContext(problem, [0]), 2, () => 0.5).message).toBe(
      'Of its other 1 candidate(s): 1 free only at another of its times, while its volunteers come together',
    );
  });

  it('says when a request wants more volunteers than it has candidates', () => {
    const problem = instance([[2, 2, 0]]);
    expect(explainShortfall(problem, shortfallContext(problem, [0]), 2, () => 0.5).code).toBe(
      'too_few_candidates',
    );
  });
});

describe('noCandidate', () => {
  it('tells nobody in reach from everybody busy', () => {
    expect(noCandidate(0).code).toBe('no_candidate_in_range');
    expect(noCandidate(3)).toEqual({
      code: 'all_busy',
      message:
        '3 volunteer(s) in reach offer this, but none is free at the proposed times, under their term limits and not already asked',
    });
  });
});

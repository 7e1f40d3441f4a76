import { CandidatePart, dealInto, mergeCandidateParts } from './candidate-parts';

const part = (overrides: Partial<CandidatePart>): CandidatePart => ({
  requestIndex: [],
  slotIndex: [],
  volunteer_ids: null,
  rooms: null,
  cap_volunteer_no: null,
  cap_terms: null,
  request_no: null,
  slot_no: null,
  volunteer_no: null,
  cap_no: null,
  distance_km: null,
  quality: null,
  left_out: null,
  ...overrides,
});

describe('mergeCandidateParts', () => {
  it('numbers a volunteer, and a volunteer in a term, once across parts', () => {
    const merged = mergeCandidateParts([
      part({
        requestIndex: [0, 2],
        slotIndex: [0, 3],
        volunteer_ids: ['ann', 'bob'],
        rooms: [1, 2],
        cap_volunteer_no: [0, 1],
        cap_terms: ['autumn', 'autumn'],
        request_no: [0, 1],
        slot_no: [0, 1],
        volunteer_no: [0, 1],
        cap_no: [0, 1],
        distance_km: [1, 2],
        quality: [0.5, 0.6],
        left_out: [{ request: 1, pairs: 4, bestQuality: 0.3 }],
      }),
      part({
        requestIndex: [1],
        slotIndex: [1, 2],
        volunteer_ids: ['bob', 'cat'],
        rooms: [2, 1, 1],
        cap_volunteer_no: [0, 0, 1],
        cap_terms: ['autumn', 'spring', 'autumn'],
        request_no: [0, 0, 0],
        slot_no: [0, 1, 1],
        volunteer_no: [0, 0, 1],
        cap_no: [0, 1, 2],
        distance_km: [3, 3, 4],
        quality: [0.7, 0.7, 0.8],
      }),
      part({ requestIndex: [3] }),
    ]);
    expect(merged.volunteerIds).toEqual(['ann', 'bob', 'cat']);
    expect(merged.rooms).toEqual([1, 2, 1, 1]);
    expect([...merged.request]).toEqual([0, 2, 1, 1, 1]);
    expect([...merged.slot]).toEqual([0, 3, 1, 2, 2]);
    expect([...merged.volunteer]).toEqual([0, 1, 1, 1, 2]);
    expect([...merged.termCap]).toEqual([0, 1, 1, 2, 3]);
    expect([...merged.quality]).toEqual([0.5, 0.6, 0.7, 0.7, 0.8]);
    expect(merged.leftOut).toEqual([{ request: 2, pairs: 4, bestQuality: 0.3 }]);
  });
});

describe('dealInto', () => {
  it('deals in turn, and gives one empty part for nothing', () => {
    expect(dealInto([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 3, 5],
      [2, 4],
    ]);
    expect(dealInto([], 2)).toEqual([[]]);
  });
});

/**
 * The candidate triples of a part of the requests, as the candidate query answers them:
 * requests and slots numbered as the part's own lists, volunteers and (volunteer, term) caps
 * numbered within the part (arrays are null when the part has no candidate).
 */
export interface CandidatePart {
  /** Index in the whole list of each of the part's requests, and of each of its slots. */
  requestIndex: number[];
  slotIndex: number[];
  volunteer_ids: string[] | null;
  rooms: number[] | null;
  cap_volunteer_no: number[] | null;
  cap_terms: string[] | null;
  request_no: number[] | null;
  slot_no: number[] | null;
  volunteer_no: number[] | null;
  cap_no: number[] | null;
  distance_km: number[] | null;
  quality: number[] | null;
  left_out: { request: number; pairs: number; bestQuality: number }[] | null;
}

export interface Candidates {
  request: Int32Array;
  slot: Int32Array;
  volunteer: Int32Array;
  termCap: Int32Array;
  distanceKm: Float64Array;
  quality: Float64Array;
  volunteerIds: string[];
  /** Room of each (volunteer, term). */
  rooms: number[];
  leftOut: { request: number; pairs: number; bestQuality: number }[];
}

/**
 * Joins the parts into one numbering: the same volunteer, or the same volunteer in the same
 * term, found by two parts is one volunteer, and one cap.
 */
export function mergeCandidateParts(parts: CandidatePart[]): Candidates {
  const n = parts.reduce((sum, part) => sum + (part.quality?.length ?? 0), 0);
  const merged: Candidates = {
    request: new Int32Array(n),
    slot: new Int32Array(n),
    volunteer: new Int32Array(n),
    termCap: new Int32Array(n),
    distanceKm: new Float64Array(n),
    quality: new Float64Array(n),
    volunteerIds: [],
    rooms: [],
    leftOut: [],
  };
  const volunteers = new Map<string, number>();
  const caps = new Map<string, number>();
  let at = 0;
  for (const part of parts) {
    const volunteerMap = (part.volunteer_ids ?? []).map((id) => {
      if (!volunteers.has(id)) {
        volunteers.set(id, merged.volunteerIds.length);
        merged.volunteerIds.push(id);
      }
      return volunteers.get(id)!;
    });
    const capMap = (part.rooms ?? []).map((room, c) => {
      const key = `${volunteerMap[part.cap_volunteer_no![c]]}:${part.cap_terms![c]}`;
      if (!caps.has(key)) {
        caps.set(key, merged.rooms.length);
        merged.rooms.push(room);
      }
      return caps.get(key)!;
    });
    const count = part.quality?.length ?? 0;
    for (let j = 0; j < count; j++, at++) {
      merged.request[at] = part.requestIndex[part.request_no![j]];
      merged.slot[at] = part.slotIndex[part.slot_no![j]];
      merged.volunteer[at] = volunteerMap[part.volunteer_no![j]];
      merged.termCap[at] = capMap[part.cap_no![j]];
      merged.distanceKm[at] = part.distance_km![j];
      merged.quality[at] = part.quality![j];
    }
    for (const left of part.left_out ?? []) {
      merged.leftOut.push({ ...left, request: part.requestIndex[left.request] });
    }
  }
  return merged;
}

/** Deals items into `count` parts in turn, so that each part gets a share of every region. */
export function dealInto<T>(items: T[], count: number): T[][] {
  const parts: T[][] = Array.from({ length: Math.min(count, Math.max(items.length, 1)) }, () => []);
  items.forEach((item, i) => parts[i % parts.length].push(item));
  return parts;
}

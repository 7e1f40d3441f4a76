import { AllocationInstance, clash } from './allocation-model';

export type ShortfallCode =
  | 'no_candidate_in_range'
  | 'all_busy'
  | 'candidates_used_elsewhere'
  | 'not_opted_in'
  | 'awaiting_answers'
  | 'too_few_candidates'
  | 'fixed_slot_outside_term';

export interface Shortfall {
  code: ShortfallCode;
  message: string;
}

/** The chosen triples and the triples of each request, gathered once for all explanations. */
export interface ShortfallContext {
  chosenSet: ReadonlySet<number>;
  byRequest: number[][];
  chosenByVolunteer: Map<number, number[]>;
}

export function shortfallContext(
  instance: AllocationInstance,
  chosen: readonly number[],
): ShortfallContext {
  const { triples } = instance;
  const byRequest: number[][] = Array.from({ length: instance.requests.length }, () => []);
  for (let j = 0; j < triples.weight.length; j++) byRequest[triples.request[j]].push(j);
  const chosenByVolunteer = new Map<number, number[]>();
  for (const k of chosen) {
    const v = triples.volunteer[k];
    chosenByVolunteer.set(v, [...(chosenByVolunteer.get(v) ?? []), k]);
  }
  return { chosenSet: new Set(chosen), byRequest, chosenByVolunteer };
}

/**
 * Why a request in the instance got fewer volunteers than it wants, though it had candidates:
 * each candidate it did not get is proposed elsewhere (at a clashing time, or up to their term
 * limit), either for a school of higher need or where need × quality is higher; or, when its
 * volunteers must come together, is free only at a slot other than the one chosen.
 */
export function explainShortfall(
  instance: AllocationInstance,
  context: ShortfallContext,
  request: number,
  needOfRequest: (request: number) => number,
): Shortfall {
  const { triples } = instance;
  const { chosenSet } = context;
  const mine = context.byRequest[request] ?? [];
  const got = new Set(mine.filter((j) => chosenSet.has(j)).map((j) => triples.volunteer[j]));
  const slotChosen = mine.find((j) => chosenSet.has(j));
  const need = needOfRequest(request);
  const counts = { higherNeed: 0, betterFit: 0, otherSlot: 0, left: 0 };
  const byVolunteer = new Map<number, number[]>();
  for (const j of mine) {
    const v = triples.volunteer[j];
    if (!got.has(v)) byVolunteer.set(v, [...(byVolunteer.get(v) ?? []), j]);
  }
  for (const [volunteer, slots] of byVolunteer) {
    const elsewhere = (context.chosenByVolunteer.get(volunteer) ?? []).filter(
      (k) => triples.request[k] !== request && slots.some((j) => blocks(instance, k, j)),
    );
    const blockedEverywhere = slots.every((j) => elsewhere.some((k) => blocks(instance, k, j)));
    if (blockedEverywhere) {
      if (elsewhere.some((k) => needOfRequest(triples.request[k]) > need)) counts.higherNeed += 1;
      else counts.betterFit += 1;
    } else if (
      instance.requests[request].sameSlot &&
      slotChosen !== undefined &&
      slots.every((j) => triples.slot[j] !== triples.slot[slotChosen])
    ) {
      counts.otherSlot += 1;
    } else {
      counts.left += 1;
    }
  }
  const parts = [
    counts.higherNeed && `${counts.higherNeed} proposed for schools with higher need`,
    counts.betterFit && `${counts.betterFit} proposed where need × quality is higher`,
    counts.otherSlot &&
      `${counts.otherSlot} free only at another of its times, while its volunteers come together`,
    counts.left && `${counts.left} left out within the allocation's gap`,
  ].filter(Boolean);
  return parts.length
    ? {
        code: 'candidates_used_elsewhere',
        message: `Of its other ${byVolunteer.size} candidate(s): ${parts.join('; ')}`,
      }
    : {
        code: 'too_few_candidates',
        message:
          'Every one of its candidates is proposed for it; it wants more volunteers than it has candidates',
      };
}

/** Whether chosen triple `k` keeps triple `j` (same volunteer) out. */
function blocks(instance: AllocationInstance, k: number, j: number): boolean {
  return instance.triples.termCap[k] === instance.triples.termCap[j] || clash(instance, k, j);
}

export function noCandidate(inReach: number): Shortfall {
  return inReach === 0
    ? {
        code: 'no_candidate_in_range',
        message: 'No active volunteer who offers this activity in this format is within reach',
      }
    : {
        code: 'all_busy',
        message: `${inReach} volunteer(s) in reach offer this, but none is free at the proposed times, under their term limits and not already asked`,
      };
}

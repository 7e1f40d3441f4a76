import { Activity, VisitFormat } from '../volunteers/volunteer.enums';

const ACTIVITY_ORDER = Object.values(Activity);

/**
 * The bit of an (activity, format) pair in a volunteer's matching profile: the same as the
 * database's `offer_bit()`, so that a query can name the partial index of one offer.
 */
export function offerBit(activity: Activity, format: VisitFormat): number {
  const position = ACTIVITY_ORDER.indexOf(activity) + 1;
  if (position === 0) throw new Error(`Unknown activity ${activity}`);
  return 1 << (position * 2 + (format === VisitFormat.Virtual ? 1 : 0));
}

/** Every activity offered virtually: each has its own location index of active volunteers. */
export const VIRTUAL_OFFERS = ACTIVITY_ORDER.map((activity) => ({
  activity,
  bit: offerBit(activity, VisitFormat.Virtual),
}));

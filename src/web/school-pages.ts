import { londonInstant } from '../calendar/london-time';
import { SCORE_WEIGHTS, type ScoreBreakdown } from '../matching/score';
import { parsePostcode } from '../postcodes/postcode';
import { asList, type FormBody, text, whole } from './forms';

/** How many proposed times the request form offers. */
export const SLOT_ROWS = 3;

export interface SlotRow {
  date?: string;
  time?: string;
  durationMinutes?: string;
}

/** The proposed-time rows of the request form, as posted (empty rows included). */
export function slotRows(body: FormBody): SlotRow[] {
  return Array.from({ length: SLOT_ROWS }, (_, i) => ({
    date: text(body[`slots-${i}-date`]),
    time: text(body[`slots-${i}-time`]),
    durationMinutes: text(body[`slots-${i}-durationMinutes`]),
  }));
}

/**
 * The request the form describes, in the API's terms. Dates and times are read on London clocks;
 * a row left empty is skipped, and a row that cannot be read is passed on as it is, so that the
 * API's validation names it.
 */
export function requestFromForm(body: FormBody): Record<string, unknown> {
  const slots = slotRows(body)
    .filter((row) => row.date || row.time)
    .map((row) => ({
      startsAt: londonStart(row.date, row.time) ?? 'not a date',
      durationMinutes: whole(row.durationMinutes) ?? 60,
    }));
  return {
    activity: text(body.activity),
    format: text(body.format),
    slots,
    yearGroups: asList(body.yearGroups).map((year) => whole(year)),
    pupils: whole(body.pupils),
    volunteersWanted: whole(body.volunteersWanted),
    supervisor: text(body.supervisor),
    notes: text(body.notes),
    autoInvite: body.autoInvite === 'yes',
  };
}

/** `2027-02-03` and `10:30` on London clocks, as an ISO instant; undefined when unreadable. */
export function londonStart(date?: string, time?: string): string | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  const clock = /^(\d{1,2})[:.](\d{2})$/.exec(time ?? '');
  if (!day || !clock) return undefined;
  const [hour, minute] = [Number(clock[1]), Number(clock[2])];
  if (hour > 23 || minute > 59) return undefined;
  try {
    return londonInstant(date!, hour, minute).toISOString();
  } catch {
    return undefined;
  }
}

/** The register search a single box asks for: a URN, a postcode, or part of a name. */
export function schoolSearch(query: string): { q?: string; postcode?: string } {
  const trimmed = query.trim();
  if (!/^\d+$/.test(trimmed) && parsePostcode(trimmed)) return { postcode: trimmed };
  return { q: trimmed };
}

/** Why a candidate ranks where they do, in words a head teacher reads. */
export function rankingReasons(
  breakdown: ScoreBreakdown,
  distanceKm: number,
  virtual: boolean,
): string[] {
  const reasons: string[] = [];
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  reasons.push(
    virtual
      ? `Visits by video call from ${distanceKm.toFixed(0)} km away`
      : `${distanceKm.toFixed(1)} km away (distance ${percent(breakdown.distance)}, weight ${SCORE_WEIGHTS.distance})`,
  );
  reasons.push(`Year groups: ${percent(breakdown.fit)} of yours (weight ${SCORE_WEIGHTS.fit})`);
  reasons.push(
    `Reliability: ${percent(breakdown.reliability)} (weight ${SCORE_WEIGHTS.reliability})`,
  );
  if (breakdown.newVolunteer > 0) {
    reasons.push(`New volunteer, not yet invited anywhere (weight ${SCORE_WEIGHTS.newVolunteer})`);
  }
  return reasons;
}

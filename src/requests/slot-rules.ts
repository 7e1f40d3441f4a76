import { halfDayCode, londonDate, londonParts } from '../calendar/london-time';
import { TermCalendar } from '../calendar/term-calendar';
import { RequestError, RequestErrorCode } from './requests.errors';

/** Visits happen in the school day, London time. */
export const SCHOOL_DAY_STARTS = 8 * 60;
export const SCHOOL_DAY_ENDS = 17 * 60;

export interface ProposedSlot {
  startsAt: Date;
  durationMinutes: number;
}

export interface CheckedSlot {
  startsAt: Date;
  endsAt: Date;
  halfDay: number;
  termId: string;
}

/**
 * A proposed slot must be in the future, on a school day of a term the calendar knows (not a
 * weekend, half-term or bank holiday), and inside the school day.
 */
export function checkSlots(
  slots: ProposedSlot[],
  calendar: TermCalendar,
  now: Date,
): CheckedSlot[] {
  const starts = new Set<number>();
  return slots.map((slot, i) => {
    const field = `slots.${i}.startsAt`;
    const fail = (code: RequestErrorCode, message: string) =>
      new RequestError(code, message, field);
    const startsAt = slot.startsAt;
    const endsAt = new Date(startsAt.getTime() + slot.durationMinutes * 60_000);
    if (startsAt <= now) throw fail(RequestErrorCode.SlotInPast, 'a slot must be in the future');
    if (starts.has(startsAt.getTime()))
      throw fail(RequestErrorCode.SlotRepeated, 'two slots start at the same time');
    starts.add(startsAt.getTime());
    const date = londonDate(startsAt);
    if (!calendar.covers(date)) {
      throw fail(
        RequestErrorCode.SlotOutsideCalendar,
        `the school calendar for ${date} is not known yet`,
      );
    }
    const term = calendar.termOf(date);
    if (!calendar.isSchoolDay(date) || !term) {
      throw fail(
        RequestErrorCode.SlotNotSchoolDay,
        `${date} is not a school day (weekend, holiday or half-term)`,
      );
    }
    const start = londonParts(startsAt);
    const end = londonParts(endsAt);
    const startMinute = start.hour * 60 + start.minute;
    const endMinute = end.hour * 60 + end.minute;
    if (end.date !== date || startMinute < SCHOOL_DAY_STARTS || endMinute > SCHOOL_DAY_ENDS) {
      throw fail(
        RequestErrorCode.SlotOutsideSchoolHours,
        'a visit must fit between 08:00 and 17:00',
      );
    }
    return { startsAt, endsAt, halfDay: halfDayCode(startsAt)!, termId: term.id };
  });
}

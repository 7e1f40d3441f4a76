export const LONDON_TIME_ZONE = 'Europe/London';

export interface LondonParts {
  /** Calendar date in London, `YYYY-MM-DD`. */
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** 0–23. */
  hour: number;
  minute: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

// Building a formatter is slow; one shared instance keeps these helpers cheap in loops.
const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The London calendar date of an instant, `YYYY-MM-DD`. */
export function londonDate(instant: Date): string {
  return londonParts(instant).date;
}

/** The London wall-clock reading of an instant. */
export function londonParts(instant: Date): LondonParts {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid date');
  const part: Record<string, string> = {};
  for (const { type, value } of formatter.formatToParts(instant)) part[type] = value;
  const date = `${part.year}-${part.month}-${part.day}`;
  return {
    date,
    isoWeekday: isoWeekdayOf(date),
    hour: Number(part.hour),
    minute: Number(part.minute),
  };
}

/**
 * The half-day slot of an instant in London: Monday morning 0, Monday afternoon 1, …, Friday
 * afternoon 9; `undefined` at weekends.
 */
export function halfDayCode(instant: Date): number | undefined {
  const { isoWeekday, hour } = londonParts(instant);
  if (isoWeekday > 5) return undefined;
  return (isoWeekday - 1) * 2 + (hour >= 12 ? 1 : 0);
}

/** 1 = Monday … 7 = Sunday for a `YYYY-MM-DD` date. */
export function isoWeekdayOf(date: string): number {
  const day = new Date(parseIsoDate(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The instant at which London clocks read `date` `hour:minute:second.ms`. A reading that
 * happens twice (the October change) gives the earlier instant; one skipped by the March change
 * gives the instant an hour later on the clock.
 */
export function londonInstant(
  date: string,
  hour: number,
  minute: number,
  second = 0,
  millisecond = 0,
): Date {
  const wallClock = parseIsoDate(date) + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  // The offset is 0 or +1 h, so the answer is wallClock or an hour before it; the offset an
  // hour before wallClock picks the right one, and the earlier or later reading at a change.
  return new Date(wallClock - offsetMs(new Date(wallClock - 3_600_000)));
}

/** Milliseconds since the epoch at UTC midnight of a `YYYY-MM-DD` date; throws if not a real date. */
export function parseIsoDate(date: string): number {
  const match = ISO_DATE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    const check = new Date(ms);
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return ms;
  }
  throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
}

/** `date` moved by a whole number of calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(parseIsoDate(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** How far London's clocks are ahead of UTC at an instant. */
function offsetMs(instant: Date): number {
  const { date, hour, minute } = londonParts(instant);
  const wholeMinute = Math.floor(instant.getTime() / 60_000) * 60_000;
  return parseIsoDate(date) + (hour * 60 + minute) * 60_000 - wholeMinute;
}

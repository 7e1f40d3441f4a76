import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../common/paths';
import { addDays, isoWeekdayOf, londonInstant, londonParts, parseIsoDate } from './london-time';

export const TERM_NAMES = ['autumn', 'spring', 'summer'] as const;
export type TermName = (typeof TERM_NAMES)[number];

/** The shape of `data/term-dates.json`; all dates `YYYY-MM-DD`, inclusive. */
export interface TermDatesFile {
  source: string;
  note: string;
  bankHolidays: string[];
  years: SchoolYearDates[];
}

export interface SchoolYearDates {
  /** `2026/27`: the school year from 1 September 2026 to 31 August 2027. */
  year: string;
  note?: string;
  terms: TermDates[];
}

export interface TermDates {
  name: TermName;
  starts: string;
  ends: string;
  halfTerm: { starts: string; ends: string };
}

export interface Term {
  /** `2026/27 autumn` */
  id: string;
  starts: string;
  ends: string;
}

const YEAR_LABEL = /^(\d{4})\/(\d{2})$/;

/**
 * School days in England from one calendar of term dates. A school day is a Monday to Friday
 * inside a term, outside its half term and not a bank holiday. Dates outside the school years
 * the calendar holds are never school days: check `covers` first to tell "not a school day"
 * from "not known".
 */
export class TermCalendar {
  /** First and last date of the school years held (1 September to 31 August). */
  readonly coverage: { readonly from: string; readonly to: string };
  private readonly terms: readonly Term[];
  /** Every school day, ascending. */
  private readonly schoolDays: readonly string[];
  private readonly schoolDaySet: ReadonlySet<string>;

  constructor(data: TermDatesFile) {
    if (!data || !Array.isArray(data.years) || data.years.length === 0) {
      throw new Error('term dates: no school years');
    }
    if (!Array.isArray(data.bankHolidays)) throw new Error('term dates: bankHolidays missing');
    const bankHolidays = new Set<string>();
    for (const day of data.bankHolidays) {
      checkDate(day, 'bank holiday');
      bankHolidays.add(day);
    }

    const years = [...data.years].sort((a, b) => (a.year < b.year ? -1 : 1));
    const startYears = years.map((year) => parseYearLabel(year.year));
    const terms: Term[] = [];
    const schoolDays: string[] = [];
    years.forEach((year, i) => {
      if (i > 0 && startYears[i] !== startYears[i - 1] + 1) {
        throw new Error(`term dates: ${year.year} does not follow the year before it`);
      }
      for (const term of checkTerms(year, startYears[i])) {
        terms.push({ id: `${year.year} ${term.name}`, starts: term.starts, ends: term.ends });
        for (let day = term.starts; day <= term.ends; day = addDays(day, 1)) {
          const inHalfTerm = day >= term.halfTerm.starts && day <= term.halfTerm.ends;
          if (!inHalfTerm && isoWeekdayOf(day) <= 5 && !bankHolidays.has(day)) {
            schoolDays.push(day);
          }
        }
      }
    });

    this.coverage = Object.freeze({
      from: `${startYears[0]}-09-01`,
      to: `${startYears[startYears.length - 1] + 1}-08-31`,
    });
    this.terms = terms.map((term) => Object.freeze(term));
    this.schoolDays = schoolDays;
    this.schoolDaySet = new Set(schoolDays);
  }

  /** Reads a term-dates file; by default the one shipped in `data/`. */
  static load(file = join(DATA_DIR, 'term-dates.json')): TermCalendar {
    return new TermCalendar(JSON.parse(readFileSync(file, 'utf8')) as TermDatesFile);
  }

  /** Whether the calendar holds the school year that `date` falls in. */
  covers(date: string): boolean {
    parseIsoDate(date);
    return date >= this.coverage.from && date <= this.coverage.to;
  }

  isSchoolDay(date: string): boolean {
    parseIsoDate(date);
    return this.schoolDaySet.has(date);
  }

  /** The term `date` falls in, counting its half term; `undefined` in the holidays between terms. */
  termOf(date: string): Term | undefined {
    parseIsoDate(date);
    return this.terms.find((term) => date >= term.starts && date <= term.ends);
  }

  /**
   * The instant `days` school days after `from`, at the same London wall-clock time: Friday
   * 10:00 plus one school day is Monday 10:00 when Monday is a school day. `from` itself need
   * not be a school day. Throws a RangeError when the answer lies beyond the calendar.
   */
  addSchoolDays(from: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) {
      throw new RangeError(`school days must be a whole number, 0 or more, not ${days}`);
    }
    const { date, hour, minute } = londonParts(from);
    if (days === 0) return new Date(from.getTime());
    if (!this.covers(date)) {
      throw new RangeError(`term dates are not known for ${date}`);
    }
    const target = firstAfter(this.schoolDays, date) + days - 1;
    if (target >= this.schoolDays.length) {
      throw new RangeError(
        `term dates are not known far enough past ${date} (they end ${this.coverage.to})`,
      );
    }
    // London's offset is whole minutes, so seconds and milliseconds carry over unchanged.
    return londonInstant(
      this.schoolDays[target],
      hour,
      minute,
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    );
  }
}

/** Index of the first entry of a sorted list later than `date` (the list's length if none). */
function firstAfter(sorted: readonly string[], date: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= date) low = middle + 1;
    else high = middle;
  }
  return low;
}

function parseYearLabel(label: string): number {
  const match = YEAR_LABEL.exec(String(label));
  const start = match ? Number(match[1]) : NaN;
  if (!match || (start + 1) % 100 !== Number(match[2])) {
    throw new Error(`term dates: school year ${JSON.stringify(label)} is not like "2026/27"`);
  }
  return start;
}

function checkDate(date: string, what: string): void {
  try {
    parseIsoDate(date);
  } catch {
    throw new Error(`term dates: ${what} ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
  }
}

/** The year's terms in order, after checking they sit in order inside the school year. */
function checkTerms(year: SchoolYearDates, startYear: number): TermDates[] {
  if (!Array.isArray(year.terms) || year.terms.length === 0) {
    throw new Error(`term dates: ${year.year} has no terms`);
  }
  let earliest = `${startYear}-09-01`;
  const latest = `${startYear + 1}-08-31`;
  for (const term of year.terms) {
    const where = `${year.year} ${term.name}`;
    if (!TERM_NAMES.includes(term.name)) throw new Error(`term dates: unknown term ${where}`);
    checkDate(term.starts, `${where} start`);
    checkDate(term.ends, `${where} end`);
    checkDate(term.halfTerm?.starts, `${where} half-term start`);
    checkDate(term.halfTerm?.ends, `${where} half-term end`);
    if (term.starts < earliest || term.ends > latest || term.starts > term.ends) {
      throw new Error(
        `term dates: ${where} (${term.starts} to ${term.ends}) is out of order or outside the year`,
      );
    }
    const { starts, ends } = term.halfTerm;
    if (starts > ends || starts < term.starts || ends > term.ends) {
      throw new Error(
        `term dates: ${where} half term (${starts} to ${ends}) is not inside the term`,
      );
    }
    earliest = addDays(term.ends, 1);
  }
  return year.terms;
}

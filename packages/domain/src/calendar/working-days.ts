import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * The mainland working-day calendar for legal deadlines (RIG-5: cancellation within 5 working days). Statutory
 * holidays and make-up working days (调休) come from the State Council's yearly notice, packaged by `chinese-days`
 * as data. That package treats a year it has no data for as plain Monday–Friday without saying so; here such a
 * year is "without data", and dates counted through it are provisional. An operator can add a year's notice
 * (YearNotice) without a code change; it takes precedence over the package for that year.
 * Pure: ISO dates (YYYY-MM-DD) in, ISO dates out, UTC arithmetic only (no time zone can shift a day).
 */

export interface YearNotice {
  year: number;
  /** Days off by the notice (weekdays and weekend days alike). */
  holidays: string[];
  /** Make-up working days: Saturdays or Sundays worked instead. */
  workdays: string[];
  source?: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 86_400_000;

function parseDay(date: string): number {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${date}"`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new RangeError(`no such day: "${date}"`);
  return t;
}
const fmt = (t: number) => new Date(t).toISOString().slice(0, 10);
const weekday = (t: number) => new Date(t).getUTCDay();

const PACKAGED = {
  holidays: new Set(Object.keys(data.holidays)),
  workdays: new Set(Object.keys(data.workdays)),
};
/** Years the package really has a notice for: those with at least one holiday listed. */
const PACKAGED_YEARS = new Set([...PACKAGED.holidays].map((d) => Number(d.slice(0, 4))));

/** Sorted years with data: the package's and the operator's. */
export function yearsWithData(notices: readonly YearNotice[] = []): number[] {
  return [...new Set([...PACKAGED_YEARS, ...notices.map((n) => n.year)])].sort((a, b) => a - b);
}

/** true / false for a year with data; 'unknown' for a year without (its notice is not published or not added). */
export function isWorkingDay(date: string, notices: readonly YearNotice[] = []): boolean | 'unknown' {
  const t = parseDay(date);
  const year = Number(date.slice(0, 4));
  const notice = notices.find((n) => n.year === year);
  if (notice) {
    if (notice.holidays.includes(date)) return false;
    if (notice.workdays.includes(date)) return true;
  } else if (PACKAGED_YEARS.has(year)) {
    if (PACKAGED.holidays.has(date)) return false;
    if (PACKAGED.workdays.has(date)) return true;
  } else return 'unknown';
  return weekday(t) !== 0 && weekday(t) !== 6;
}

/**
 * The Nth working day after `requestDate` (that day not counted). Through a year without data every day counts as
 * a possible working day: counting Monday–Friday there would come out LATER than the truth whenever a make-up
 * Saturday or Sunday falls in the window, and a legal deadline must never be later than the real one. Such a
 * result is provisional and names the years that made it so.
 */
export function workingDaysDue(
  requestDate: string,
  n = 5,
  notices: readonly YearNotice[] = [],
): { due: string; provisional: boolean; yearsWithoutData: number[] } {
  if (!Number.isInteger(n) || n < 1 || n > 365) throw new RangeError(`working days must be 1–365, got ${n}`);
  let t = parseDay(requestDate);
  const missing = new Set<number>();
  let counted = 0;
  while (counted < n) {
    t += DAY;
    const verdict = isWorkingDay(fmt(t), notices);
    if (verdict === 'unknown') missing.add(new Date(t).getUTCFullYear());
    if (verdict !== false) counted++;
  }
  return { due: fmt(t), provisional: missing.size > 0, yearsWithoutData: [...missing].sort((a, b) => a - b) };
}

/** `days` calendar days after `requestDate` (the 30-day reply deadline). */
export function calendarDaysDue(requestDate: string, days = 30): string {
  return fmt(parseDay(requestDate) + days * DAY);
}

/** Checks a holiday notice an operator enters: every date valid and in that year, make-up days on weekends. */
export function parseYearNotice(
  input: unknown,
): { ok: true; notice: YearNotice } | { ok: false; code: string; message: string } {
  const fail = (code: string, message: string) => ({ ok: false as const, code, message });
  if (!input || typeof input !== 'object') return fail('NOTICE_NOT_OBJECT', 'the notice must be an object');
  const { year, holidays, workdays, source } = input as Record<string, unknown>;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100)
    return fail('NOTICE_YEAR', 'year must be a whole year between 2000 and 2100');
  if (!Array.isArray(holidays) || !Array.isArray(workdays))
    return fail('NOTICE_LISTS', 'holidays and workdays must be lists of dates');
  if (holidays.length === 0) return fail('NOTICE_EMPTY', `a notice for ${year} lists at least one holiday`);
  const clean = (list: unknown[], what: string) => {
    const out = new Set<string>();
    for (const d of list) {
      if (typeof d !== 'string' || !ISO.test(d)) return `${what}: "${String(d)}" is not a date (YYYY-MM-DD)`;
      try {
        parseDay(d);
      } catch {
        return `${what}: ${d} does not exist`;
      }
      if (!d.startsWith(`${year}-`)) return `${what}: ${d} is not in ${year}`;
      out.add(d);
    }
    return [...out].sort();
  };
  const h = clean(holidays, 'holidays');
  if (typeof h === 'string') return fail('NOTICE_DATE', h);
  const w = clean(workdays, 'workdays');
  if (typeof w === 'string') return fail('NOTICE_DATE', w);
  const both = w.find((d) => h.includes(d));
  if (both) return fail('NOTICE_BOTH', `${both} cannot be both a holiday and a make-up working day`);
  const weekdayWork = w.find((d) => ![0, 6].includes(weekday(parseDay(d))));
  if (weekdayWork)
    return fail('NOTICE_WORKDAY_NOT_WEEKEND', `make-up working day ${weekdayWork} is not a Saturday or Sunday`);
  return {
    ok: true,
    notice: { year, holidays: h, workdays: w, ...(typeof source === 'string' ? { source } : {}) },
  };
}

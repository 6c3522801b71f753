import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * The mainland working-day calendar for legal deadlines (RIG-5: cancellation within 5 working days). Statutory
 * holidays and make-up working days (调休) come from the State Council's yearly notice, packaged by `chinese-days`
 * as data. That package treats a year it has no data for as plain Monday–Friday without saying so; here such a
 * year is "without data", and dates counted through it are provisional. An operator can add a year's notice
 * (YearNotice) without a code change; it takes precedence over the package for that year.
 * Pure: ISO dates (YYYY-MM-DD) in, ISO dates out, UTC arithmetic only (no time zone can shift a day).
 */

/** One year's State Council notice, as an operator enters it (ISO dates YYYY-MM-DD, all inside `year`). */
export type YearNotice = {
  year: number;
  /** Days off by the notice (weekdays and weekend days alike). */
  holidays: string[];
  /** Make-up working days: Saturdays or Sundays worked instead. */
  workdays: string[];
  /** Where the notice comes from, e.g. 国办发明电〔2026〕N号. */
  source?: string;
};

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

/**
 * The package's data, read on first use (not at import) so that a bundle importing other rules from
 * `@anxin/domain` can drop the holiday table. `chinese-days` covers 2004–2026 (version 1.5.7) and answers
 * "Monday–Friday" for any other year without saying so; the guard is that only the years it lists holidays for
 * count as years with data.
 */
let packaged: { holidays: Set<string>; workdays: Set<string>; years: Set<number> } | undefined;
function packagedData() {
  if (!packaged) {
    const holidays = new Set(Object.keys(data.holidays));
    packaged = {
      holidays,
      workdays: new Set(Object.keys(data.workdays)),
      years: new Set([...holidays].map((d) => Number(d.slice(0, 4)))),
    };
  }
  return packaged;
}

/** Sorted years with data: the package's and the operator's. */
export function yearsWithData(notices: readonly YearNotice[] = []): number[] {
  return [...new Set([...packagedData().years, ...notices.map((n) => n.year)])].sort((a, b) => a - b);
}

/**
 * true / false for a year with data; 'unknown' for a year without (its notice is not published or not added).
 * A caller's notice for a year replaces the package's data for that whole year (the first notice given for a year
 * is used). Throws a RangeError for a string that is not a real ISO date.
 */
export function isWorkingDay(date: string, notices: readonly YearNotice[] = []): boolean | 'unknown' {
  const t = parseDay(date);
  const year = Number(date.slice(0, 4));
  const notice = notices.find((n) => n.year === year);
  const pkg = packagedData();
  if (notice) {
    if (notice.holidays.includes(date)) return false;
    if (notice.workdays.includes(date)) return true;
  } else if (pkg.years.has(year)) {
    if (pkg.holidays.has(date)) return false;
    if (pkg.workdays.has(date)) return true;
  } else return 'unknown';
  return weekday(t) !== 0 && weekday(t) !== 6;
}

/**
 * The Nth working day after `requestDate` (that day not counted; N from 1 to 365, default 5).
 *
 * Through a year without data every calendar day counts as a possible working day. Counting Monday–Friday there
 * (what `chinese-days` silently does) would come out LATER than the truth whenever the year's notice, once
 * published, puts a make-up Saturday or Sunday (调休) in the window, as 2026 did on Sun 09-20; a legal deadline must
 * never be later than the real one. Holidays the notice adds can only move the true date later, so counting every
 * day gives the earliest date any notice could produce. Such a result is `provisional`, and `yearsWithoutData`
 * names the years that made it so; adding their notice gives the exact date, never earlier than the provisional.
 * Throws a RangeError for an invalid date or N.
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

/** Why a notice was refused; `message` says which field or date. */
export type YearNoticeErrorCode =
  | 'NOTICE_NOT_OBJECT'
  | 'NOTICE_UNKNOWN_FIELD'
  | 'NOTICE_YEAR'
  | 'NOTICE_LISTS'
  | 'NOTICE_EMPTY'
  | 'NOTICE_DATE'
  | 'NOTICE_DATE_OUTSIDE_YEAR'
  | 'NOTICE_BOTH'
  | 'NOTICE_WORKDAY_NOT_WEEKEND'
  | 'NOTICE_SOURCE';

const NOTICE_FIELDS = new Set(['year', 'holidays', 'workdays', 'source']);

/**
 * Checks a holiday notice an operator enters, strictly: an object with only year, holidays, workdays and an
 * optional source text; year 2000–2100; at least one holiday; every date a real YYYY-MM-DD day inside that year;
 * no day both a holiday and a make-up working day; make-up working days on Saturdays or Sundays. The lists come
 * back de-duplicated and sorted.
 */
export function parseYearNotice(
  input: unknown,
): { ok: true; notice: YearNotice } | { ok: false; code: YearNoticeErrorCode; message: string } {
  const fail = (code: YearNoticeErrorCode, message: string) => ({ ok: false as const, code, message });
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return fail('NOTICE_NOT_OBJECT', 'the notice must be an object { year, holidays, workdays, source? }');
  const unknown = Object.keys(input).find((k) => !NOTICE_FIELDS.has(k));
  if (unknown !== undefined)
    return fail('NOTICE_UNKNOWN_FIELD', `unknown field "${unknown}" (allowed: year, holidays, workdays, source)`);
  const { year, holidays, workdays, source } = input as Record<string, unknown>;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100)
    return fail('NOTICE_YEAR', 'year must be a whole year between 2000 and 2100');
  if (!Array.isArray(holidays) || !Array.isArray(workdays))
    return fail('NOTICE_LISTS', 'holidays and workdays must be lists of dates');
  if (holidays.length === 0) return fail('NOTICE_EMPTY', `a notice for ${year} lists at least one holiday`);
  if (source !== undefined && typeof source !== 'string') return fail('NOTICE_SOURCE', 'source must be a text');
  const clean = (list: unknown[], what: string): string[] | ReturnType<typeof fail> => {
    const out = new Set<string>();
    for (const d of list) {
      if (typeof d !== 'string' || !ISO.test(d))
        return fail('NOTICE_DATE', `${what}: ${JSON.stringify(d) ?? String(d)} is not a date (YYYY-MM-DD)`);
      try {
        parseDay(d);
      } catch {
        return fail('NOTICE_DATE', `${what}: ${d} does not exist`);
      }
      if (!d.startsWith(`${year}-`)) return fail('NOTICE_DATE_OUTSIDE_YEAR', `${what}: ${d} is not in ${year}`);
      out.add(d);
    }
    return [...out].sort();
  };
  const h = clean(holidays, 'holidays');
  if (!Array.isArray(h)) return h;
  const w = clean(workdays, 'workdays');
  if (!Array.isArray(w)) return w;
  const both = w.find((d) => h.includes(d));
  if (both) return fail('NOTICE_BOTH', `${both} cannot be both a holiday and a make-up working day`);
  const weekdayWork = w.find((d) => ![0, 6].includes(weekday(parseDay(d))));
  if (weekdayWork)
    return fail('NOTICE_WORKDAY_NOT_WEEKEND', `make-up working day ${weekdayWork} is not a Saturday or Sunday`);
  return {
    ok: true,
    notice: { year, holidays: h, workdays: w, ...(source !== undefined ? { source } : {}) },
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarDaysDue,
  isWorkingDay,
  parseYearNotice,
  workingDaysDue,
  yearsWithData,
  type YearNotice,
} from './working-days.js';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const next = (d: string) => iso(Date.parse(d) + DAY);

describe('mainland working-day calendar (RIG-5)', () => {
  it('RIG-5: the 2026 State Council notice: holidays off, make-up Saturdays and Sundays worked', () => {
    for (const d of [
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-23',
      '2026-04-06',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-07',
    ])
      expect(isWorkingDay(d), d).toBe(false);
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])
      expect(isWorkingDay(d), d).toBe(true);
    expect(isWorkingDay('2026-03-07')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay('2026-03-09')).toBe(true);
  });

  it('RIG-5: 春节 — a request on Thu 2026-02-12 counts Feb 13, Sat Feb 14 (make-up), then Feb 24, 25, 26: due 2026-02-26', () => {
    expect(workingDaysDue('2026-02-12')).toEqual({ due: '2026-02-26', provisional: false, yearsWithoutData: [] });
  });

  it('RIG-5: 劳动节 — a request on Wed 2026-04-29 counts Apr 30, May 6, 7, 8 and Sat May 9 (make-up): due 2026-05-09', () => {
    expect(workingDaysDue('2026-04-29').due).toBe('2026-05-09');
  });

  it('RIG-5: 国庆 — Fri 2026-09-18 is due Thu 09-24 (Sun 09-20 worked, 中秋 09-25 off); Tue 09-29 is due Tue 10-13 (Sat 10-10 worked)', () => {
    expect(workingDaysDue('2026-09-18').due).toBe('2026-09-24');
    // Sep 30, Oct 8, Oct 9, Sat Oct 10, Oct 12.
    expect(workingDaysDue('2026-09-29').due).toBe('2026-10-12');
  });

  it('RIG-5: the request day never counts, also when made on a holiday or a weekend; N = 1 and N = 10', () => {
    expect(workingDaysDue('2026-03-09', 1).due).toBe('2026-03-10');
    expect(workingDaysDue('2026-10-03', 1).due).toBe('2026-10-08');
    expect(workingDaysDue('2026-03-07', 1).due).toBe('2026-03-09');
    expect(workingDaysDue('2026-03-02', 10).due).toBe('2026-03-16');
  });

  it('RIG-5: a year without data is provisional and counts every day (never later); a notice for it makes it exact', () => {
    expect(yearsWithData()).toContain(2026);
    expect(yearsWithData()).not.toContain(2027);
    expect(isWorkingDay('2027-03-01')).toBe('unknown');
    const provisional = workingDaysDue('2026-12-29');
    // Dec 30, Dec 31, then Jan 1, 2, 3 of 2027 each count as possible working days.
    expect(provisional).toEqual({ due: '2027-01-03', provisional: true, yearsWithoutData: [2027] });
    const notice: YearNotice = { year: 2027, holidays: ['2027-01-01'], workdays: [] };
    expect(workingDaysDue('2026-12-29', 5, [notice])).toEqual({
      due: '2027-01-06',
      provisional: false,
      yearsWithoutData: [],
    });
  });

  it('RIG-7: the reply deadline is 30 calendar days', () => {
    expect(calendarDaysDue('2026-12-15')).toBe('2027-01-14');
    expect(calendarDaysDue('2026-02-01', 30)).toBe('2026-03-03');
  });

  it('RIG-5: bad input is refused with a clear RangeError', () => {
    expect(() => workingDaysDue('2026-02-30')).toThrow(RangeError);
    expect(() => workingDaysDue('18/09/2026')).toThrow(/YYYY-MM-DD/);
    expect(() => workingDaysDue('2026-09-18', 0)).toThrow(RangeError);
  });

  const anyDay2026 = fc.integer({ min: 0, max: 364 }).map((i) => iso(Date.UTC(2026, 0, 1) + i * DAY));
  const days = fc.integer({ min: 1, max: 20 });

  it('RIG-5 (property): due is after the request, is a working day, and exactly N working days lie in (request, due]', () => {
    fc.assert(
      fc.property(anyDay2026, days, (d, n) => {
        const notice: YearNotice = { year: 2027, holidays: ['2027-01-01'], workdays: [] };
        const { due } = workingDaysDue(d, n, [notice]);
        expect(due > d).toBe(true);
        expect(isWorkingDay(due, [notice])).toBe(true);
        let count = 0;
        for (let x = next(d); x <= due; x = next(x)) if (isWorkingDay(x, [notice]) === true) count++;
        expect(count).toBe(n);
      }),
    );
  });

  it('RIG-5 (property): a later request never gets an earlier due date', () => {
    fc.assert(
      fc.property(anyDay2026, anyDay2026, days, (a, b, n) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        expect(workingDaysDue(x, n).due <= workingDaysDue(y, n).due).toBe(true);
      }),
    );
  });

  it('RIG-5 (property): for any notice 2027 turns out to have, the provisional date is never later than the true one', () => {
    const day2027 = fc.integer({ min: 0, max: 364 }).map((i) => iso(Date.UTC(2027, 0, 1) + i * DAY));
    const notice = fc
      .tuple(fc.uniqueArray(day2027, { minLength: 1, maxLength: 40 }), fc.uniqueArray(day2027, { maxLength: 10 }))
      .map(([holidays, work]) => {
        const workdays = work.filter((d) => !holidays.includes(d) && [0, 6].includes(new Date(d).getUTCDay()));
        return { year: 2027, holidays, workdays } satisfies YearNotice;
      });
    // Requests late enough to reach into 2027, early enough not to reach 2028 (no data either).
    const request = fc.oneof(
      anyDay2026.filter((d) => d >= '2026-12-01'),
      day2027.filter((d) => d <= '2027-09-30'),
    );
    fc.assert(
      fc.property(request, days, notice, (d, n, nt) => {
        const provisional = workingDaysDue(d, n);
        const exact = workingDaysDue(d, n, [nt]);
        expect(exact.provisional).toBe(false);
        expect(provisional.due <= exact.due).toBe(true);
      }),
    );
  });

  it('RIG-5: an operator’s year notice is validated strictly', () => {
    expect(parseYearNotice({ year: 2027, holidays: ['2027-01-01', '2027-01-01'], workdays: ['2027-02-06'] })).toEqual({
      ok: true,
      notice: { year: 2027, holidays: ['2027-01-01'], workdays: ['2027-02-06'] },
    });
    const code = (x: unknown) => {
      const r = parseYearNotice(x);
      return r.ok ? 'ok' : r.code;
    };
    expect(code(null)).toBe('NOTICE_NOT_OBJECT');
    expect(code({ year: 1999, holidays: ['1999-01-01'], workdays: [] })).toBe('NOTICE_YEAR');
    expect(code({ year: 2027, holidays: ['2026-12-31'], workdays: [] })).toBe('NOTICE_DATE');
    expect(code({ year: 2027, holidays: ['2027-02-30'], workdays: [] })).toBe('NOTICE_DATE');
    expect(code({ year: 2027, holidays: [], workdays: [] })).toBe('NOTICE_EMPTY');
    expect(code({ year: 2027, holidays: ['2027-02-06'], workdays: ['2027-02-06'] })).toBe('NOTICE_BOTH');
    expect(code({ year: 2027, holidays: ['2027-01-01'], workdays: ['2027-02-08'] })).toBe('NOTICE_WORKDAY_NOT_WEEKEND');
  });
});

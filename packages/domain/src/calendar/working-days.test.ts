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
  /** The State Council's 2026 notice, typed in by hand from the notice itself (not from the package). */
  const NOTICE_2026 = {
    off: [
      ['2026-01-01', '2026-01-03'], // 元旦
      ['2026-02-15', '2026-02-23'], // 春节
      ['2026-04-04', '2026-04-06'], // 清明
      ['2026-05-01', '2026-05-05'], // 劳动节
      ['2026-06-19', '2026-06-21'], // 端午
      ['2026-09-25', '2026-09-27'], // 中秋
      ['2026-10-01', '2026-10-07'], // 国庆
    ],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  };

  it('RIG-5: every day of 2026 follows the State Council 2026 notice: holidays off, make-up Saturdays and Sundays worked, other weekends off', () => {
    const inRange = (d: string) => NOTICE_2026.off.some(([from, to]) => d >= from! && d <= to!);
    let workingDays = 0;
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = next(d)) {
      const dow = new Date(d).getUTCDay();
      const expected = inRange(d) ? false : NOTICE_2026.work.includes(d) ? true : dow !== 0 && dow !== 6;
      expect(isWorkingDay(d), d).toBe(expected);
      if (expected) workingDays++;
    }
    // 261 Monday–Friday days in 2026, 19 of them holidays, plus 6 make-up weekend days.
    expect(workingDays).toBe(248);
    for (const d of NOTICE_2026.work) expect([0, 6], d).toContain(new Date(d).getUTCDay());
  });

  it('RIG-5: the guard: only 2004–2026 have package data; 2027 (which chinese-days would call plain Mon–Fri) is unknown', () => {
    expect(yearsWithData()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(isWorkingDay('2027-01-01')).toBe('unknown'); // a Friday, and surely 元旦
    expect(isWorkingDay('2027-01-02')).toBe('unknown'); // a Saturday, possibly a make-up day
    expect(isWorkingDay('2003-05-01')).toBe('unknown');
    expect(yearsWithData([{ year: 2027, holidays: ['2027-01-01'], workdays: [] }])).toContain(2027);
  });

  it('RIG-5: an operator notice takes precedence over the package data for its year', () => {
    const corrected: YearNotice = { year: 2026, holidays: ['2026-03-09'], workdays: [] };
    expect(isWorkingDay('2026-03-09', [corrected])).toBe(false);
    // The notice replaces the whole year: 2026-01-01 is no longer off, 2026-01-04 (Sun) no longer worked.
    expect(isWorkingDay('2026-01-01', [corrected])).toBe(true);
    expect(isWorkingDay('2026-01-04', [corrected])).toBe(false);
    expect(workingDaysDue('2026-03-06', 1, [corrected]).due).toBe('2026-03-10');
  });

  it('RIG-5: 春节 — a request on Thu 2026-02-12 counts Feb 13, Sat Feb 14 (make-up), then Feb 24, 25, 26: due 2026-02-26', () => {
    expect(workingDaysDue('2026-02-12')).toEqual({ due: '2026-02-26', provisional: false, yearsWithoutData: [] });
    expect(workingDaysDue('2026-02-12', 2).due).toBe('2026-02-14');
    expect(workingDaysDue('2026-02-12', 3).due).toBe('2026-02-24');
    // Made on Sat 02-14, itself a working day, which still does not count: Feb 24 … 27, Sat Feb 28.
    expect(workingDaysDue('2026-02-14').due).toBe('2026-02-28');
  });

  it('RIG-5: 劳动节 — a request on Wed 2026-04-29 counts Apr 30, May 6, 7, 8 and Sat May 9 (make-up): due 2026-05-09', () => {
    expect(workingDaysDue('2026-04-29').due).toBe('2026-05-09');
    // Made on the holiday itself: May 6, 7, 8, Sat May 9, May 11.
    expect(workingDaysDue('2026-05-01').due).toBe('2026-05-11');
  });

  it('RIG-5: 国庆 — Fri 2026-09-18 is due Thu 09-24 (Sun 09-20 worked, 中秋 09-25 off); Tue 09-29 is due Mon 10-12 (Sat 10-10 worked); Wed 09-30 is due Tue 10-13', () => {
    expect(workingDaysDue('2026-09-18').due).toBe('2026-09-24');
    // Sep 30, Oct 8, Oct 9, Sat Oct 10, Oct 12.
    expect(workingDaysDue('2026-09-29').due).toBe('2026-10-12');
    // Oct 8, Oct 9, Sat Oct 10, Oct 12, Oct 13.
    expect(workingDaysDue('2026-09-30').due).toBe('2026-10-13');
    // Without the make-up Sunday it would be 09-25, a holiday: 中秋 moves it to 09-28; the make-up day brings it back.
    expect(workingDaysDue('2026-09-18', 5, [{ year: 2026, holidays: ['2026-09-25'], workdays: [] }]).due).toBe(
      '2026-09-28',
    );
  });

  it('RIG-5: the request day never counts, also when made on a holiday or a weekend; N = 1 and N = 10', () => {
    expect(workingDaysDue('2026-03-09', 1).due).toBe('2026-03-10');
    expect(workingDaysDue('2026-10-03', 1).due).toBe('2026-10-08');
    expect(workingDaysDue('2026-03-07', 1).due).toBe('2026-03-09');
    expect(workingDaysDue('2026-03-02', 10).due).toBe('2026-03-16');
    // Ten working days from before 春节: Feb 13, Sat 14, 24, 25, 26, 27, Sat 28, Mar 2, 3, 4.
    expect(workingDaysDue('2026-02-12', 10).due).toBe('2026-03-04');
    expect(workingDaysDue('2026-03-08').due).toBe('2026-03-13'); // a Sunday request: Mon–Fri after it
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
    expect(calendarDaysDue('2028-02-15')).toBe('2028-03-16'); // leap year
  });

  it('RIG-5: bad input is refused with a clear RangeError', () => {
    expect(() => workingDaysDue('2026-02-30')).toThrow(RangeError);
    expect(() => workingDaysDue('18/09/2026')).toThrow(/YYYY-MM-DD/);
    expect(() => workingDaysDue('2026-09-18', 0)).toThrow(RangeError);
    expect(() => workingDaysDue('2026-09-18', 2.5)).toThrow(RangeError);
    expect(() => workingDaysDue('2026-9-18')).toThrow(/YYYY-MM-DD/);
    expect(() => workingDaysDue('2026-09-18T00:00:00Z')).toThrow(RangeError);
    expect(() => isWorkingDay('2026-13-01')).toThrow(/2026-13-01/);
    expect(() => calendarDaysDue('')).toThrow(RangeError);
  });

  const anyDay2026 = fc.integer({ min: 0, max: 364 }).map((i) => iso(Date.UTC(2026, 0, 1) + i * DAY));
  const day2027 = fc.integer({ min: 0, max: 364 }).map((i) => iso(Date.UTC(2027, 0, 1) + i * DAY));
  const isWeekend = (d: string) => [0, 6].includes(new Date(d).getUTCDay());
  const days = fc.integer({ min: 1, max: 20 });
  /** Whatever 2027's notice turns out to say: random days off (weekdays or weekends) and weekend make-up days. */
  const notice2027 = fc
    .tuple(
      fc.uniqueArray(day2027, { minLength: 1, maxLength: 40 }),
      fc.uniqueArray(
        day2027.filter((d) => isWeekend(d)),
        { maxLength: 12 },
      ),
    )
    .map(([holidays, work]) => {
      const workdays = work.filter((d) => !holidays.includes(d));
      return { year: 2027, holidays, workdays } satisfies YearNotice;
    });
  /** Requests late enough to reach into 2027 and early enough not to reach 2028 (no data either). */
  const aroundNewYear = fc.oneof(
    anyDay2026.filter((d) => d >= '2026-12-01'),
    day2027.filter((d) => d <= '2027-09-30'),
  );
  const request = fc.oneof(anyDay2026, aroundNewYear);

  it('RIG-5 (property): due is strictly after the request, is a working day, and exactly N working days lie in (request, due]', () => {
    fc.assert(
      fc.property(request, days, notice2027, (d, n, nt) => {
        const { due, provisional } = workingDaysDue(d, n, [nt]);
        expect(provisional).toBe(false);
        expect(due > d).toBe(true);
        expect(isWorkingDay(due, [nt])).toBe(true);
        let count = 0;
        for (let x = next(d); x <= due; x = next(x)) if (isWorkingDay(x, [nt]) === true) count++;
        expect(count).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('RIG-5 (property): without a notice, a provisional due date counts every day of 2027 and names 2027 alone', () => {
    fc.assert(
      fc.property(request, days, (d, n) => {
        const r = workingDaysDue(d, n);
        expect(r.due > d).toBe(true);
        expect(isWorkingDay(r.due)).not.toBe(false);
        let count = 0;
        for (let x = next(d); x <= r.due; x = next(x)) if (isWorkingDay(x) !== false) count++;
        expect(count).toBe(n);
        expect(r.provisional).toBe(r.due >= '2027-01-01');
        expect(r.yearsWithoutData).toEqual(r.provisional ? [2027] : []);
      }),
      { numRuns: 300 },
    );
  });

  it('RIG-5 (property): a later request never gets an earlier due date (with or without a 2027 notice)', () => {
    fc.assert(
      fc.property(request, request, days, notice2027, fc.boolean(), (a, b, n, nt, withNotice) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        const notices = withNotice ? [nt] : [];
        expect(workingDaysDue(x, n, notices).due <= workingDaysDue(y, n, notices).due).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('RIG-5 (property): for any notice 2027 turns out to have, the provisional date is never later than the true one', () => {
    fc.assert(
      fc.property(aroundNewYear, days, notice2027, (d, n, nt) => {
        const provisional = workingDaysDue(d, n);
        const exact = workingDaysDue(d, n, [nt]);
        expect(exact.provisional).toBe(false);
        expect(provisional.due <= exact.due).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('RIG-5: counting only Monday–Friday in 2027 (what the package does) can come out later than the truth', () => {
    // Why every day counts: with a make-up Saturday in the window, a Mon–Fri guess would overshoot the real date.
    const monFri: YearNotice = { year: 2027, holidays: ['2027-01-01'], workdays: [] };
    const withMakeUpSaturday: YearNotice = { year: 2027, holidays: ['2027-01-01'], workdays: ['2027-01-02'] };
    expect(workingDaysDue('2026-12-30', 3, [monFri]).due).toBe('2027-01-05');
    expect(workingDaysDue('2026-12-30', 3, [withMakeUpSaturday]).due).toBe('2027-01-04');
    expect(workingDaysDue('2026-12-30', 3).due).toBe('2027-01-02');
  });
});

describe('operator year notices (RIG-5)', () => {
  const code = (x: unknown) => {
    const r = parseYearNotice(x);
    return r.ok ? 'ok' : r.code;
  };

  it('RIG-5: an operator’s year notice is validated strictly', () => {
    expect(
      parseYearNotice({
        year: 2027,
        holidays: ['2027-01-02', '2027-01-01', '2027-01-01'],
        workdays: ['2027-02-06'],
        source: '国办发明电',
      }),
    ).toEqual({
      ok: true,
      notice: { year: 2027, holidays: ['2027-01-01', '2027-01-02'], workdays: ['2027-02-06'], source: '国办发明电' },
    });
    expect(code(null)).toBe('NOTICE_NOT_OBJECT');
    expect(code([2027])).toBe('NOTICE_NOT_OBJECT');
    expect(code('{"year":2027}')).toBe('NOTICE_NOT_OBJECT');
    expect(code({ year: 2027, holidays: ['2027-01-01'], workdays: [], name: 'x' })).toBe('NOTICE_UNKNOWN_FIELD');
    expect(code({ year: 1999, holidays: ['1999-01-01'], workdays: [] })).toBe('NOTICE_YEAR');
    expect(code({ year: 2101, holidays: ['2101-01-01'], workdays: [] })).toBe('NOTICE_YEAR');
    expect(code({ year: 2027.5, holidays: ['2027-01-01'], workdays: [] })).toBe('NOTICE_YEAR');
    expect(code({ year: '2027', holidays: ['2027-01-01'], workdays: [] })).toBe('NOTICE_YEAR');
    expect(code({ year: 2027, holidays: ['2027-01-01'] })).toBe('NOTICE_LISTS');
    expect(code({ year: 2027, holidays: '2027-01-01', workdays: [] })).toBe('NOTICE_LISTS');
    expect(code({ year: 2027, holidays: [], workdays: [] })).toBe('NOTICE_EMPTY');
    expect(code({ year: 2027, holidays: ['2027-01-01'], workdays: [], source: 7 })).toBe('NOTICE_SOURCE');
    expect(code({ year: 2027, holidays: ['2026-12-31'], workdays: [] })).toBe('NOTICE_DATE_OUTSIDE_YEAR');
    expect(code({ year: 2027, holidays: ['2027-01-01'], workdays: ['2028-01-01'] })).toBe('NOTICE_DATE_OUTSIDE_YEAR');
    expect(code({ year: 2027, holidays: ['2027-02-30'], workdays: [] })).toBe('NOTICE_DATE');
    expect(code({ year: 2027, holidays: ['2027-1-1'], workdays: [] })).toBe('NOTICE_DATE');
    expect(code({ year: 2027, holidays: [20270101], workdays: [] })).toBe('NOTICE_DATE');
    expect(code({ year: 2027, holidays: ['2027-02-06'], workdays: ['2027-02-06'] })).toBe('NOTICE_BOTH');
    expect(code({ year: 2027, holidays: ['2027-01-01'], workdays: ['2027-02-08'] })).toBe('NOTICE_WORKDAY_NOT_WEEKEND');
  });

  const day = (year: number) => fc.integer({ min: 0, max: 364 }).map((i) => iso(Date.UTC(year, 0, 1) + i * DAY));
  const validNotice = fc.integer({ min: 2000, max: 2100 }).chain((year) =>
    fc.record({
      year: fc.constant(year),
      holidays: fc.array(day(year), { minLength: 1, maxLength: 30 }),
      workdays: fc.array(
        day(year).filter((d) => [0, 6].includes(new Date(d).getUTCDay())),
        { maxLength: 8 },
      ),
    }),
  );

  it('RIG-5 (property): a valid notice comes back de-duplicated and sorted, and parsing it again changes nothing', () => {
    fc.assert(
      fc.property(validNotice, (raw) => {
        const input = { ...raw, workdays: raw.workdays.filter((d) => !raw.holidays.includes(d)) };
        const r = parseYearNotice(input);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.notice.holidays).toEqual([...new Set(input.holidays)].sort());
        expect(r.notice.workdays).toEqual([...new Set(input.workdays)].sort());
        expect(parseYearNotice(r.notice)).toEqual(r);
      }),
    );
  });

  it('RIG-5 (property): each kind of bad notice is refused with its own code', () => {
    const corrupt = fc.oneof(
      fc.record({ kind: fc.constant('NOTICE_DATE_OUTSIDE_YEAR'), other: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('NOTICE_DATE'), bad: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
      fc.record({ kind: fc.constant('NOTICE_BOTH'), other: fc.constant(0) }),
      fc.record({ kind: fc.constant('NOTICE_WORKDAY_NOT_WEEKEND'), other: fc.constant(0) }),
      fc.record({
        kind: fc.constant('NOTICE_YEAR'),
        other: fc.oneof(fc.integer({ max: 1999 }), fc.integer({ min: 2101 })),
      }),
    );
    fc.assert(
      fc.property(validNotice, corrupt, fc.nat(), (raw, c, pick) => {
        const input: Record<string, unknown> = {
          ...raw,
          workdays: raw.workdays.filter((d) => !raw.holidays.includes(d)),
        };
        const holidays = raw.holidays;
        switch (c.kind) {
          case 'NOTICE_DATE_OUTSIDE_YEAR':
            input.holidays = [...holidays, `${raw.year + ('other' in c ? c.other : 1)}-03-01`];
            break;
          case 'NOTICE_DATE': {
            const bad = 'bad' in c ? c.bad : null;
            fc.pre(!(typeof bad === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(bad)));
            input.holidays = [...holidays, bad];
            break;
          }
          case 'NOTICE_BOTH': {
            const weekend = holidays.find((d) => [0, 6].includes(new Date(d).getUTCDay()));
            fc.pre(weekend !== undefined);
            input.workdays = [weekend];
            break;
          }
          case 'NOTICE_WORKDAY_NOT_WEEKEND': {
            const weekdays = holidays.filter((d) => ![0, 6].includes(new Date(d).getUTCDay()));
            fc.pre(weekdays.length > 0);
            input.holidays = [holidays[0]!];
            const wd = weekdays[pick % weekdays.length]!;
            fc.pre(wd !== holidays[0]);
            input.workdays = [wd];
            break;
          }
          case 'NOTICE_YEAR':
            input.year = 'other' in c ? c.other : 1999;
            break;
        }
        expect(code(input)).toBe(c.kind);
      }),
      { numRuns: 300 },
    );
  });
});

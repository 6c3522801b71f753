import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkQuietHours,
  decidePush,
  DEFAULT_NOTIFY_PREFERENCES,
  inQuietHours,
  inWindow,
  localMinutes,
  parseClockTime,
  pushCategoryOf,
  type NotifyPreferences,
  type QuietHours,
} from './notify-policy.js';

/** 2025-01-15 at hh:mm in Beijing (UTC+8, no daylight saving). */
const beijing = (hh: number, mm = 0) => new Date(Date.UTC(2025, 0, 15, hh - 8, mm));
const quiet = (start: string, end: string, timeZone = 'Asia/Shanghai'): QuietHours => ({
  enabled: true,
  start,
  end,
  timeZone,
});
const prefs = (over: Partial<NotifyPreferences> = {}): NotifyPreferences => ({
  ...DEFAULT_NOTIFY_PREFERENCES,
  ...over,
});

describe('notify policy: categories', () => {
  it('NOT-1: every notice kind the platform creates today has a category; unknown kinds are in-app only', () => {
    expect(pushCategoryOf('consultation.message')).toBe('messages');
    for (const k of ['requested', 'accepted', 'declined', 'ended'])
      expect(pushCategoryOf(`consultation.${k}`)).toBe('consultations');
    expect(pushCategoryOf('consultation.ended_idle')).toBe('consultations');
    for (const k of ['approved', 'changes_requested', 'rejected'])
      expect(pushCategoryOf(`onboarding.${k}`)).toBe('review');
    expect(pushCategoryOf('call.incoming')).toBe('calls');
    expect(pushCategoryOf('call.missed')).toBe('calls');
    expect(pushCategoryOf('crisis.flagged')).toBeNull();
    expect(pushCategoryOf('consultation.')).toBeNull();
    expect(decidePush('something.new', prefs(), beijing(12))).toEqual({ push: false, reason: 'not_pushable' });
  });

  it('NOT-1: a category switched off is not pushed; the others still are', () => {
    const p = prefs({ categories: { messages: false, calls: true, consultations: true, review: true } });
    expect(decidePush('consultation.message', p, beijing(12))).toEqual({ push: false, reason: 'category_off' });
    expect(decidePush('consultation.requested', p, beijing(12))).toEqual({ push: true, category: 'consultations' });
  });
});

describe('notify policy: quiet hours', () => {
  it('NOT-1: local time comes from the time zone, not the server clock', () => {
    expect(localMinutes(beijing(23, 30), 'Asia/Shanghai')).toBe(23 * 60 + 30);
    expect(localMinutes(beijing(0, 5), 'Asia/Shanghai')).toBe(5);
    // 08:00 in Beijing is 00:00 UTC and 09:00 in Tokyo.
    expect(localMinutes(beijing(8), 'UTC')).toBe(0);
    expect(localMinutes(beijing(8), 'Asia/Tokyo')).toBe(9 * 60);
  });

  it.each<[string, string, number, number, boolean]>([
    // window crossing midnight 22:00 → 07:00
    ['22:00', '07:00', 21, 59, false],
    ['22:00', '07:00', 22, 0, true],
    ['22:00', '07:00', 23, 59, true],
    ['22:00', '07:00', 0, 0, true],
    ['22:00', '07:00', 3, 30, true],
    ['22:00', '07:00', 6, 59, true],
    ['22:00', '07:00', 7, 0, false],
    ['22:00', '07:00', 12, 0, false],
    // window within one day 13:00 → 14:30
    ['13:00', '14:30', 12, 59, false],
    ['13:00', '14:30', 13, 0, true],
    ['13:00', '14:30', 14, 29, true],
    ['13:00', '14:30', 14, 30, false],
    // ending exactly at midnight, starting exactly at midnight
    ['23:00', '00:00', 23, 30, true],
    ['23:00', '00:00', 0, 0, false],
    ['00:00', '06:00', 0, 0, true],
    ['00:00', '06:00', 23, 59, false],
  ])('NOT-1: quiet %s–%s at %i:%i Beijing time → %s', (start, end, hh, mm, expected) => {
    expect(inQuietHours(beijing(hh, mm), quiet(start, end))).toBe(expected);
    expect(decidePush('consultation.message', prefs({ quietHours: quiet(start, end) }), beijing(hh, mm)).push).toBe(
      !expected,
    );
  });

  it('NOT-1: quiet hours switched off never suppress', () => {
    const off = { ...quiet('00:00', '23:59'), enabled: false };
    expect(inQuietHours(beijing(3), off)).toBe(false);
  });

  it('NOT-1: a window and its opposite split every minute of the day between them (property)', () => {
    const minute = fc.integer({ min: 0, max: 24 * 60 - 1 });
    fc.assert(
      fc.property(minute, minute, minute, (start, end, m) => {
        fc.pre(start !== end);
        expect(inWindow(m, start, end)).toBe(!inWindow(m, end, start));
        expect(inWindow(start, start, end)).toBe(true);
        expect(inWindow(end, start, end)).toBe(false);
      }),
    );
  });

  it('NOT-1: a window crossing midnight is quiet exactly at or after its start or before its end (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 12 * 60, max: 24 * 60 - 1 }),
        fc.integer({ min: 0, max: 12 * 60 - 1 }),
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }),
        (start, end, at) => {
          const hhmm = (m: number) =>
            `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const local = localMinutes(at, 'Asia/Shanghai');
          expect(inQuietHours(at, quiet(hhmm(start), hhmm(end)))).toBe(local >= start || local < end);
        },
      ),
    );
  });
});

describe('notify policy: input checks', () => {
  it('NOT-1: times must be real 24-hour times, the window non-empty and the zone real', () => {
    expect(parseClockTime('07:05')).toBe(425);
    for (const bad of ['24:00', '7:00', '07:60', '', 'noon']) expect(parseClockTime(bad)).toBeNull();
    expect(checkQuietHours(quiet('22:00', '07:00'))).toEqual({ ok: true });
    expect(checkQuietHours(quiet('22:00', '22:00'))).toMatchObject({ ok: false, code: 'PUSH_QUIET_HOURS_INVALID' });
    expect(checkQuietHours({ ...quiet('22:00', '22:00'), enabled: false })).toEqual({ ok: true });
    expect(checkQuietHours(quiet('25:00', '07:00'))).toMatchObject({ field: 'quietHours.start' });
    expect(checkQuietHours(quiet('22:00', '07:00', 'Mars/Olympus'))).toMatchObject({
      ok: false,
      code: 'PUSH_TIME_ZONE_INVALID',
    });
  });
});

describe('safety notices', () => {
  it('CON-4, NOT-1: a crisis-attention notice is pushed even during quiet hours and with its category off; others are not', () => {
    const prefs = {
      categories: { messages: false, calls: false, consultations: false, review: false },
      quietHours: { enabled: true, start: '00:00', end: '23:59', timeZone: 'Asia/Shanghai' },
    };
    const at = new Date('2026-11-29T04:00:00Z'); // 12:00 in Shanghai, inside the window
    expect(decidePush('consultation.attention', prefs, at)).toEqual({ push: true, category: 'consultations' });
    expect(decidePush('consultation.message', prefs, at)).toEqual({ push: false, reason: 'category_off' });
    const on = { ...prefs, categories: { messages: true, calls: true, consultations: true, review: true } };
    expect(decidePush('consultation.requested', on, at)).toEqual({ push: false, reason: 'quiet_hours' });
  });
});

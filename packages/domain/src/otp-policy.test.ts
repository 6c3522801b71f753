import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideOtpSend, OTP_RULES, type OtpSendHistory } from './otp-policy.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** An arbitrary fixed instant (2025-03-04T05:06:07Z) so the tests never read the clock. */
const NOW = Date.UTC(2025, 2, 4, 5, 6, 7);

const history = (phoneSends: number[], ipSends: number[] = phoneSends): OtpSendHistory => ({ phoneSends, ipSends });
/** `count` sends spread evenly over the `spanMs` before `end` (the last one exactly at `end`). */
const spread = (count: number, end: number, spanMs: number) =>
  Array.from({ length: count }, (_, i) => end - Math.floor(((count - 1 - i) * spanMs) / Math.max(1, count - 1)));

describe('decideOtpSend: the limits', () => {
  it('ACC-1: the published limits are a 60 s resend delay, 5/h and 10/day per phone, 20/h and 60/day per IP', () => {
    expect(OTP_RULES.resendAfterSeconds).toBe(60);
    expect(OTP_RULES.perPhone).toEqual({ hour: 5, day: 10 });
    expect(OTP_RULES.perIp).toEqual({ hour: 20, day: 60 });
  });

  it('ACC-1: a first request is allowed', () => {
    expect(decideOtpSend(history([], []), NOW)).toEqual({ allowed: true });
  });
});

describe('decideOtpSend: resend delay', () => {
  it('ACC-1: a resend within 60 s is refused with the exact whole seconds left', () => {
    const cases: Array<[sentAgoMs: number, secondsLeft: number]> = [
      [0, 60],
      [1, 60],
      [999, 60],
      [1 * S, 59],
      [30.5 * S, 30],
      [59 * S, 1],
      [59_999, 1],
    ];
    for (const [ago, left] of cases) {
      expect(decideOtpSend(history([NOW - ago]), NOW), `sent ${ago} ms ago`).toEqual({
        allowed: false,
        code: 'OTP_RESEND_TOO_SOON',
        retryAfterSeconds: left,
      });
    }
  });

  it('ACC-1: exactly 60 s after the last code a new one may be sent', () => {
    expect(decideOtpSend(history([NOW - 60 * S]), NOW)).toEqual({ allowed: true });
  });

  it('ACC-1: the resend delay counts from the most recent send, whatever the order of the history', () => {
    const verdict = decideOtpSend(history([NOW - 10 * S, NOW - 40 * MIN, NOW - 20 * MIN]), NOW);
    expect(verdict).toEqual({ allowed: false, code: 'OTP_RESEND_TOO_SOON', retryAfterSeconds: 50 });
  });

  it('ACC-1: another phone on the same network sending a second ago does not trigger the resend delay', () => {
    expect(decideOtpSend(history([], [NOW - 1 * S]), NOW)).toEqual({ allowed: true });
  });
});

describe('decideOtpSend: per-phone windows', () => {
  it('ACC-1: the 6th code within an hour is refused until the oldest of the five leaves the hour', () => {
    const sends = [NOW - 50 * MIN, NOW - 40 * MIN, NOW - 30 * MIN, NOW - 20 * MIN, NOW - 10 * MIN];
    expect(decideOtpSend(history(sends), NOW)).toEqual({
      allowed: false,
      code: 'OTP_PHONE_HOURLY_LIMIT',
      retryAfterSeconds: 10 * 60,
    });
    expect(decideOtpSend(history(sends), NOW + 10 * MIN - 1)).toMatchObject({ code: 'OTP_PHONE_HOURLY_LIMIT' });
    expect(decideOtpSend(history(sends), NOW + 10 * MIN)).toEqual({ allowed: true });
  });

  it('ACC-1: four codes in the hour still allow a fifth', () => {
    const sends = [NOW - 50 * MIN, NOW - 40 * MIN, NOW - 30 * MIN, NOW - 20 * MIN];
    expect(decideOtpSend(history(sends), NOW)).toEqual({ allowed: true });
  });

  it('ACC-1: retryAfterSeconds rounds up to whole seconds (oldest leaves in 1.5 s → 2 s) and is never 0', () => {
    const fiveInHour = (oldestAgo: number) => [
      NOW - oldestAgo,
      NOW - 40 * MIN,
      NOW - 30 * MIN,
      NOW - 20 * MIN,
      NOW - 10 * MIN,
    ];
    expect(decideOtpSend(history(fiveInHour(HOUR - 1500)), NOW)).toMatchObject({
      code: 'OTP_PHONE_HOURLY_LIMIT',
      retryAfterSeconds: 2,
    });
    expect(decideOtpSend(history(fiveInHour(HOUR - 1)), NOW)).toMatchObject({
      code: 'OTP_PHONE_HOURLY_LIMIT',
      retryAfterSeconds: 1,
    });
  });

  it('ACC-1: the 11th code in a day is refused until the oldest send of the day is 24 h old', () => {
    // Ten sends over the last 20 hours, never more than 4 in any hour: only the daily limit applies.
    const sends = spread(10, NOW - 2 * HOUR, 18 * HOUR);
    expect(sends[0]).toBe(NOW - 20 * HOUR);
    expect(decideOtpSend(history(sends, []), NOW)).toEqual({
      allowed: false,
      code: 'OTP_PHONE_DAILY_LIMIT',
      retryAfterSeconds: 4 * 3600,
    });
    expect(decideOtpSend(history(sends, []), NOW + 4 * HOUR)).toEqual({ allowed: true });
  });

  it('ACC-1: sends older than a day do not count', () => {
    const old = spread(10, NOW - DAY, 5 * HOUR);
    expect(decideOtpSend(history(old), NOW)).toEqual({ allowed: true });
  });
});

describe('decideOtpSend: per-IP windows', () => {
  it('ACC-1: the 21st code from one network within an hour is refused until its oldest send leaves the hour', () => {
    // 20 sends from this IP (for other phones) between 59 and 2 minutes ago.
    const ip = spread(20, NOW - 2 * MIN, 57 * MIN);
    expect(ip[0]).toBe(NOW - 59 * MIN);
    expect(decideOtpSend(history([], ip), NOW)).toEqual({
      allowed: false,
      code: 'OTP_IP_HOURLY_LIMIT',
      retryAfterSeconds: 60,
    });
    expect(decideOtpSend(history([], ip.slice(1)), NOW)).toEqual({ allowed: true });
  });

  it('ACC-1: with more sends than the limit in the window, the wait lasts until enough have left for one more', () => {
    // 25 sends, one a minute from 55 to 31 minutes ago: 6 must leave, the 6th oldest (50 min ago) leaves in 10 min.
    const ip = Array.from({ length: 25 }, (_, i) => NOW - (55 - i) * MIN);
    expect(decideOtpSend(history([], ip), NOW)).toEqual({
      allowed: false,
      code: 'OTP_IP_HOURLY_LIMIT',
      retryAfterSeconds: 10 * 60,
    });
  });

  it('ACC-1: the 61st code from one network in a day is refused until its oldest send of the day is 24 h old', () => {
    // 60 sends over the 23 hours before NOW - 1 h: at most 3 per rolling hour.
    const ip = spread(60, NOW - HOUR, 23 * HOUR - 10 * MIN);
    expect(ip[0]).toBe(NOW - 24 * HOUR + 10 * MIN);
    expect(decideOtpSend(history([], ip), NOW)).toEqual({
      allowed: false,
      code: 'OTP_IP_DAILY_LIMIT',
      retryAfterSeconds: 10 * 60,
    });
    expect(decideOtpSend(history([], ip), NOW + 10 * MIN)).toEqual({ allowed: true });
  });
});

/**
 * How long ago each earlier send happened (every send at or before `now`, as the service only passes past sends),
 * biased towards the last minutes and hours so that every rule is regularly hit.
 */
const ago = fc.oneof(
  fc.integer({ min: 0, max: 2 * MIN }),
  fc.integer({ min: 0, max: 2 * HOUR }),
  fc.integer({ min: 0, max: DAY + HOUR }),
);
const pastHistory = fc.record({
  phoneSends: fc.array(ago, { maxLength: 14 }),
  ipSends: fc.array(ago, { maxLength: 70 }),
});

describe('decideOtpSend: properties', () => {
  it('ACC-1: whenever a send is allowed, recording it and asking again at the same instant is refused for at least 60 s', () => {
    fc.assert(
      fc.property(pastHistory, (rel) => {
        const h = history(
          rel.phoneSends.map((a) => NOW - a),
          rel.ipSends.map((a) => NOW - a),
        );
        fc.pre(decideOtpSend(h, NOW).allowed);
        const after = { phoneSends: [...h.phoneSends, NOW], ipSends: [...h.ipSends, NOW] };
        const verdict = decideOtpSend(after, NOW);
        expect(verdict.allowed).toBe(false);
        // The resend rule always applies; a longer limit may be reported instead, never a shorter wait.
        if (!verdict.allowed) expect(verdict.retryAfterSeconds).toBeGreaterThanOrEqual(60);
      }),
      { numRuns: 300 },
    );
  });

  it('ACC-1: a refusal lasts exactly retryAfterSeconds: one second earlier the same rule still refuses, then it no longer does', () => {
    fc.assert(
      fc.property(pastHistory, (rel) => {
        const h = history(
          rel.phoneSends.map((a) => NOW - a),
          rel.ipSends.map((a) => NOW - a),
        );
        const verdict = decideOtpSend(h, NOW);
        fc.pre(!verdict.allowed);
        if (verdict.allowed) return;
        expect(verdict.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(verdict.retryAfterSeconds)).toBe(true);
        const later = decideOtpSend(h, NOW + verdict.retryAfterSeconds * S);
        expect(later.allowed ? null : later.code).not.toBe(verdict.code);
        if (verdict.retryAfterSeconds > 1) {
          expect(decideOtpSend(h, NOW + (verdict.retryAfterSeconds - 1) * S)).toMatchObject({ code: verdict.code });
        }
      }),
      { numRuns: 500 },
    );
  });

  /** The largest number of times in any half-open window [t, t + windowMs). */
  function maxInAnyWindow(times: number[], windowMs: number): number {
    let max = 0;
    for (const start of times) max = Math.max(max, times.filter((t) => t >= start && t < start + windowMs).length);
    return max;
  }

  it('ACC-1: applying the verdict to a random sequence of requests never lets more than the limits through in any rolling hour or day', () => {
    const requests = fc.array(
      fc.record({
        gapMs: fc.oneof(fc.integer({ min: 0, max: 2 * MIN }), fc.integer({ min: 0, max: 3 * HOUR })),
        phone: fc.integer({ min: 0, max: 3 }),
      }),
      { minLength: 1, maxLength: 200 },
    );
    fc.assert(
      fc.property(requests, (reqs) => {
        const sentByPhone = new Map<number, number[]>();
        const sentFromIp: number[] = [];
        let t = NOW;
        for (const { gapMs, phone } of reqs) {
          t += gapMs;
          const mine = sentByPhone.get(phone) ?? [];
          // Like the service: only the last day of history is passed in.
          const verdict = decideOtpSend(
            { phoneSends: mine.filter((s) => t - s < DAY), ipSends: sentFromIp.filter((s) => t - s < DAY) },
            t,
          );
          if (verdict.allowed) {
            sentByPhone.set(phone, [...mine, t]);
            sentFromIp.push(t);
          }
        }
        for (const sends of sentByPhone.values()) {
          expect(maxInAnyWindow(sends, HOUR)).toBeLessThanOrEqual(5);
          expect(maxInAnyWindow(sends, DAY)).toBeLessThanOrEqual(10);
          for (let i = 1; i < sends.length; i++) expect(sends[i]! - sends[i - 1]!).toBeGreaterThanOrEqual(60 * S);
        }
        expect(maxInAnyWindow(sentFromIp, HOUR)).toBeLessThanOrEqual(20);
        expect(maxInAnyWindow(sentFromIp, DAY)).toBeLessThanOrEqual(60);
      }),
      { numRuns: 300 },
    );
  });

  it('ACC-1: a single phone requesting as fast as it is allowed gets exactly 5 codes in its first hour', () => {
    // Not vacuous: requesting every second for an hour, the limiter must allow 5 (at 0, 1, 2, 3, 4 minutes).
    const sent: number[] = [];
    for (let t = NOW; t < NOW + HOUR; t += S) {
      if (decideOtpSend({ phoneSends: sent, ipSends: sent }, t).allowed) sent.push(t);
    }
    expect(sent.map((t) => (t - NOW) / MIN)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('the wait reported is when a send really works again', () => {
  it('ACC-1: when several limits apply, the longest wait is reported, and retrying then succeeds', () => {
    fc.assert(
      fc.property(pastHistory, (rel) => {
        const h = history(
          rel.phoneSends.map((a) => NOW - a),
          rel.ipSends.map((a) => NOW - a),
        );
        const verdict = decideOtpSend(h, NOW);
        fc.pre(!verdict.allowed);
        if (verdict.allowed) return;
        expect(decideOtpSend(h, NOW + verdict.retryAfterSeconds * 1000).allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

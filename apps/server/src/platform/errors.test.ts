import { describe, expect, it } from 'vitest';
import { AppError, describeError, ERRORS, pickLocale, type ErrorCode } from './errors.js';

const codes = Object.keys(ERRORS) as ErrorCode[];
/** Han ideographs, as any real Chinese sentence contains. */
const CJK = /\p{Script=Han}/u;
/** Parameters some messages interpolate; every message must also cope with none. */
const sampleParams = { seconds: 125, field: 'phone', detail: 'too long', attemptsLeft: 3 };

describe('error table', () => {
  it('SEC-1: the table is not empty and holds the codes the domain rules return', () => {
    for (const code of [
      'PHONE_REQUIRED',
      'PHONE_NOT_MAINLAND_MOBILE',
      'OTP_RESEND_TOO_SOON',
      'OTP_PHONE_HOURLY_LIMIT',
      'OTP_PHONE_DAILY_LIMIT',
      'OTP_IP_HOURLY_LIMIT',
      'OTP_IP_DAILY_LIMIT',
      'INTERNAL',
    ]) {
      expect(codes).toContain(code);
    }
  });

  it.each(codes)('SEC-1: %s has a 4xx/5xx status and non-empty, different zh and en messages', (code) => {
    const spec = ERRORS[code];
    expect(Number.isInteger(spec.status)).toBe(true);
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThan(600);
    expect(new AppError(code).status).toBe(spec.status);
    for (const params of [{}, sampleParams]) {
      const zh = describeError(code, 'zh-CN', params);
      const en = describeError(code, 'en', params);
      expect(zh.trim()).not.toBe('');
      expect(en.trim()).not.toBe('');
      expect(zh).not.toBe(en);
      expect(zh).toMatch(CJK);
      expect(en).not.toMatch(CJK);
    }
    // With the parameters the services pass, nothing is left unfilled.
    const filled = `${describeError(code, 'zh-CN', sampleParams)} ${describeError(code, 'en', sampleParams)}`;
    expect(filled).not.toMatch(/undefined|NaN|\[object Object\]/);
  });

  it('SEC-1: the internal error is a 500 and says nothing technical', () => {
    expect(ERRORS.INTERNAL.status).toBe(500);
    expect(describeError('INTERNAL', 'en')).not.toMatch(/stack|exception|sql|error:/i);
  });

  it('SEC-1: AppError carries its code and parameters', () => {
    const e = new AppError('OTP_RESEND_TOO_SOON', { seconds: 42 });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('OTP_RESEND_TOO_SOON');
    expect(e.params).toEqual({ seconds: 42 });
    expect(e.status).toBe(429);
  });

  it('SEC-1: OTP_RESEND_TOO_SOON tells the user the number of seconds passed in, in both languages', () => {
    for (const seconds of [1, 37, 60]) {
      expect(describeError('OTP_RESEND_TOO_SOON', 'zh-CN', { seconds })).toContain(` ${seconds} 秒`);
      expect(describeError('OTP_RESEND_TOO_SOON', 'en', { seconds })).toContain(`${seconds} s`);
    }
    expect(describeError('OTP_RESEND_TOO_SOON', 'zh-CN', { seconds: 37 })).not.toContain('60');
  });

  it('SEC-1: hourly limits are told in whole minutes rounded up, daily ones in whole hours rounded up', () => {
    expect(describeError('OTP_PHONE_HOURLY_LIMIT', 'zh-CN', { seconds: 61 })).toContain('2 分钟');
    expect(describeError('OTP_IP_HOURLY_LIMIT', 'en', { seconds: 600 })).toContain('10 min');
    expect(describeError('OTP_PHONE_DAILY_LIMIT', 'en', { seconds: 3601 })).toContain('2 h');
    expect(describeError('OTP_IP_DAILY_LIMIT', 'zh-CN', { seconds: 4 * 3600 })).toContain('4 小时');
  });
});

describe('pickLocale', () => {
  it("SEC-1: 'en-US,en;q=0.9' picks English", () => {
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('en')).toBe('en');
    expect(pickLocale(' EN-GB , zh;q=0.5')).toBe('en');
  });

  it("SEC-1: missing, Chinese or any other language falls back to 'zh-CN'", () => {
    expect(pickLocale(undefined)).toBe('zh-CN');
    expect(pickLocale('')).toBe('zh-CN');
    expect(pickLocale('zh-CN')).toBe('zh-CN');
    expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale('fr')).toBe('zh-CN');
    expect(pickLocale('fr-FR,en;q=0.5')).toBe('zh-CN');
  });
});

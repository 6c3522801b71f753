import { describe, expect, it } from 'vitest';
import { CONTACT_MESSAGES, checkEmail, checkMobileForForm } from './contact.js';

describe('checkEmail', () => {
  it('ONB-1: ordinary addresses pass; surrounding spaces are trimmed and the domain lowercased', () => {
    for (const email of [
      'doctor@example.com',
      '12345678@qq.com',
      'zhang.san@hospital.org.cn',
      'li_si+anxin@mail.pku.edu.cn',
      'wang-wu@163.com',
      "o'brien@example.co.uk",
      'a@b.cn',
    ]) {
      expect(checkEmail(email)).toEqual({ ok: true, value: email });
    }
    expect(checkEmail('  Zhang.San@Hospital.ORG.CN  ')).toEqual({ ok: true, value: 'Zhang.San@hospital.org.cn' });
  });

  it('ONB-1: full-width characters typed with a Chinese IME are folded to ASCII', () => {
    expect(checkEmail('ｄｏｃｔｏｒ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toEqual({ ok: true, value: 'doctor@example.com' });
  });

  it('ONB-1: empty input is EMAIL_REQUIRED', () => {
    expect(checkEmail('')).toMatchObject({ ok: false, error: { code: 'EMAIL_REQUIRED' } });
    expect(checkEmail(' \u3000 ')).toMatchObject({ ok: false, error: { code: 'EMAIL_REQUIRED' } });
  });

  it('ONB-1: malformed addresses are EMAIL_FORMAT', () => {
    for (const email of [
      'doctor', // no @
      'doctor@', // no domain
      '@example.com', // no local part
      'doc@tor@example.com', // two @
      'doctor@example', // no dot in the domain
      'doctor@example.c', // TLD of one letter
      'doctor@example.123', // numeric TLD
      'doctor@-example.com', // label starting with a hyphen
      'doctor@example-.com',
      'doctor@exa_mple.com', // underscore in the domain
      'doctor@example..com', // empty label
      'doctor@.example.com',
      'doctor@example.com.', // trailing dot
      '.doctor@example.com', // local part starting with a dot
      'doc..tor@example.com',
      'doc tor@example.com', // space inside
      '张医生@example.com', // non-ASCII local part
      'doctor@例子.中国', // internationalised domain in Unicode form
      'doctor@example。com', // ideographic full stop
      `${'a'.repeat(65)}@example.com`, // local part over 64
      `doctor@${'a'.repeat(64)}.com`, // label over 63
      `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`, // 255 characters in all
    ]) {
      expect(checkEmail(email), email).toMatchObject({ ok: false, error: { code: 'EMAIL_FORMAT' } });
    }
  });

  it('ONB-1: lengths at the limits pass (64-character local part, 254 characters in all)', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(email).toHaveLength(254);
    expect(checkEmail(email)).toEqual({ ok: true, value: email });
  });
});

describe('checkMobileForForm', () => {
  it('ONB-1: mainland mobile numbers in the usual typed shapes pass as 11 digits', () => {
    for (const typed of ['13800138000', '+86 138 0013 8000', '86-13800138000', '0086 138-0013-8000']) {
      expect(checkMobileForForm(typed)).toEqual({ ok: true, value: '13800138000' });
    }
  });

  it('ONB-1: empty input is PHONE_REQUIRED; other numbers are PHONE_NOT_MAINLAND_MOBILE', () => {
    expect(checkMobileForForm('  ')).toMatchObject({ ok: false, error: { code: 'PHONE_REQUIRED' } });
    for (const typed of ['12800138000', '1380013800', '+852 9123 4567', '010-12345678', 'abc']) {
      expect(checkMobileForForm(typed)).toMatchObject({ ok: false, error: { code: 'PHONE_NOT_MAINLAND_MOBILE' } });
    }
  });
});

describe('contact messages', () => {
  it('ONB-1: every code returned has zh and en copy that says what to do', () => {
    const results = [checkEmail(''), checkEmail('doctor@example'), checkMobileForForm(''), checkMobileForForm('12345')];
    const codes = new Set<string>();
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      codes.add(result.error.code);
      expect(result.error).toEqual(CONTACT_MESSAGES[result.error.code as keyof typeof CONTACT_MESSAGES]);
      expect(result.error.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(result.error.zh).toMatch(/请/);
      expect(result.error.en).toMatch(/Please/);
    }
    expect([...codes].sort()).toEqual(Object.keys(CONTACT_MESSAGES).sort());
  });
});

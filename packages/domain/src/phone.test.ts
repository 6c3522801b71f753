import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, normalizeMainlandMobile } from './phone.js';

/**
 * Generators written from the rule in docs/requirements.md (ACC-1) and the PHONE_NOT_MAINLAND_MOBILE message:
 * a mainland mobile number is 11 digits, the first two being 13–19.
 */
const digit = fc.constantFrom(...'0123456789'.split(''));
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const mainlandMobile = fc
  .tuple(fc.constantFrom('3', '4', '5', '6', '7', '8', '9'), digits(9))
  .map(([second, rest]) => `1${second}${rest}`);
const countryPrefix = fc.constantFrom('', '+86', '86', '0086');
/** What people type between digits: spaces (incl. the full-width one of Chinese IMEs), tabs and dashes. */
const separators = fc.array(fc.array(fc.constantFrom(' ', '-', '\t', '\u3000'), { maxLength: 2 }), {
  minLength: 20,
  maxLength: 20,
});

/** Interleave separators between every character of `text` (and before/after it). */
function sprinkle(text: string, seps: string[][]): string {
  const chars = text.split('');
  let out = seps[0]!.join('');
  chars.forEach((c, i) => {
    out += c + (seps[(i + 1) % seps.length] ?? []).join('');
  });
  return out;
}

describe('normalizeMainlandMobile', () => {
  it('ACC-1: +86 and spaces are normalised away in the common shapes people type', () => {
    expect(normalizeMainlandMobile('+86 138 0013 8000')).toEqual({ ok: true, phone: '13800138000' });
    expect(normalizeMainlandMobile('86-138-0013-8000')).toEqual({ ok: true, phone: '13800138000' });
    expect(normalizeMainlandMobile('0086 13800138000')).toEqual({ ok: true, phone: '13800138000' });
    expect(normalizeMainlandMobile('(+86) 199 9999 0000')).toEqual({ ok: true, phone: '19999990000' });
    expect(normalizeMainlandMobile(' 13800138000 ')).toEqual({ ok: true, phone: '13800138000' });
  });

  it('ACC-1: every 1[3-9]+9-digit number, with any +86/86/0086 prefix and spaces/dashes, normalises to its 11 digits', () => {
    fc.assert(
      fc.property(mainlandMobile, countryPrefix, separators, (phone, prefix, seps) => {
        const typed = sprinkle(prefix + phone, seps);
        expect(normalizeMainlandMobile(typed)).toEqual({ ok: true, phone });
      }),
      { numRuns: 500 },
    );
  });

  it('ACC-1: numbers whose first two digits are 10, 11 or 12 are rejected, with or without a prefix', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('10', '11', '12'),
        digits(9),
        countryPrefix,
        separators,
        (start, rest, prefix, seps) => {
          expect(normalizeMainlandMobile(sprinkle(prefix + start + rest, seps))).toEqual({
            ok: false,
            code: 'PHONE_NOT_MAINLAND_MOBILE',
          });
        },
      ),
    );
  });

  it('ACC-1: a valid-looking start with any length other than 11 digits is rejected (e.g. 10 or 12 digits)', () => {
    const length = fc.integer({ min: 1, max: 20 }).filter((n) => n !== 11);
    fc.assert(
      fc.property(
        length.chain((n) => (n < 2 ? digits(0) : digits(n - 2)).map((rest) => ({ n, rest }))),
        fc.constantFrom('3', '4', '5', '6', '7', '8', '9'),
        countryPrefix,
        separators,
        ({ n, rest }, second, prefix, seps) => {
          const body = n === 1 ? '1' : `1${second}${rest}`;
          expect(body).toHaveLength(n);
          expect(normalizeMainlandMobile(sprinkle(prefix + body, seps))).toEqual({
            ok: false,
            code: 'PHONE_NOT_MAINLAND_MOBILE',
          });
        },
      ),
      { numRuns: 500 },
    );
    expect(normalizeMainlandMobile('1380013800')).toEqual({ ok: false, code: 'PHONE_NOT_MAINLAND_MOBILE' });
    expect(normalizeMainlandMobile('138001380001')).toEqual({ ok: false, code: 'PHONE_NOT_MAINLAND_MOBILE' });
  });

  it('ACC-1: other country codes and unknown prefixes are rejected', () => {
    for (const typed of ['+1 13800138000', '+852 13800138000', '08613800138000', '+0086 13800138000', '8613800138']) {
      expect(normalizeMainlandMobile(typed)).toEqual({ ok: false, code: 'PHONE_NOT_MAINLAND_MOBILE' });
    }
  });

  it('ACC-1: a letter or any other non-digit anywhere in the number makes it invalid', () => {
    fc.assert(
      fc.property(
        mainlandMobile,
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom('a', 'O', 'l', 'x', '.', '/', '#', '１', '*'),
        (phone, at, intruder) => {
          const typed = phone.slice(0, at) + intruder + phone.slice(at);
          expect(normalizeMainlandMobile(typed)).toEqual({ ok: false, code: 'PHONE_NOT_MAINLAND_MOBILE' });
        },
      ),
    );
  });

  it('ACC-1: an empty field (or one holding only spaces and dashes) is PHONE_REQUIRED, not a format error', () => {
    expect(normalizeMainlandMobile('')).toEqual({ ok: false, code: 'PHONE_REQUIRED' });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '-', '\t', '\u3000'), { maxLength: 10 }), (chars) => {
        expect(normalizeMainlandMobile(chars.join(''))).toEqual({ ok: false, code: 'PHONE_REQUIRED' });
      }),
    );
  });
});

describe('maskPhone', () => {
  it('ACC-1: 13800138000 is shown as 138****8000', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
  });

  it('ACC-1: a masked number keeps only the first 3 and last 4 digits, the middle 4 never appear', () => {
    fc.assert(
      fc.property(mainlandMobile, (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toHaveLength(11);
        expect(masked.slice(0, 3)).toBe(phone.slice(0, 3));
        expect(masked.slice(3, 7)).toBe('****');
        expect(masked.slice(7)).toBe(phone.slice(7));
        // Exactly 7 digits survive: nothing from positions 3–6 leaks.
        expect(masked.replace(/\D/g, '')).toBe(phone.slice(0, 3) + phone.slice(7));
      }),
    );
  });

  it('ACC-1: values too short to mask meaningfully are hidden completely', () => {
    expect(maskPhone('')).toBe('');
    expect(maskPhone('123456')).toBe('******');
  });
});

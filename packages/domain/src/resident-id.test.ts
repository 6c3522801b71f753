import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RESIDENT_ID_MESSAGES,
  checkDerivedFields,
  checkResidentId,
  computeResidentIdCheckChar,
  maskResidentId,
} from './resident-id.js';

/** A fixed "today" so the tests do not depend on the day they run. */
const TODAY = new Date(Date.UTC(2025, 5, 15)); // 2025-06-15

/** 17 digits + their computed check character. */
const withCheck = (first17: string) => first17 + computeResidentIdCheckChar(first17);

const PROVINCES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44',
  '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]; // prettier-ignore

const digit = fc.constantFrom(...'0123456789'.split(''));
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ymd = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
/** Any calendar day (at UTC midnight) between 1900-01-01 and TODAY inclusive. */
const birthDate = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: TODAY.getTime() / 86_400_000 })
  .map((day) => new Date(day * 86_400_000));
/** A valid ID together with the facts it was built from. */
const validId = fc
  .tuple(fc.constantFrom(...PROVINCES), digits(4), birthDate, digits(3))
  .map(([province, county, birth, sequence]) => {
    const birthday = ymd(birth);
    const first17 = `${province}${county}${birthday.replaceAll('-', '')}${sequence}`;
    return { id: withCheck(first17), birthday, gender: Number(sequence[2]) % 2 === 1 ? 'male' : 'female' };
  });

function expectError(input: string, code: string, today = TODAY) {
  const result = checkResidentId(input, today);
  expect(result).toMatchObject({ ok: false, error: { code } });
}

describe('checkResidentId — published examples', () => {
  it('ONB-3: the GB 11643-1999 example 11010519491231002X passes: female, born 1949-12-31, Beijing Chaoyang', () => {
    // Independently published in the standard; the check character X is not produced by our code here.
    expect(checkResidentId('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { id: '11010519491231002X', birthday: '1949-12-31', gender: 'female', age: 75, regionCode: '110105' },
    });
    expect(computeResidentIdCheckChar('11010519491231002')).toBe('X');
  });

  it('ONB-3: the published example 440524188001010014 has a correct checksum but fails ID_BIRTHDATE_TOO_OLD (1880)', () => {
    expect(computeResidentIdCheckChar('44052418800101001')).toBe('4');
    expectError('440524188001010014', 'ID_BIRTHDATE_TOO_OLD');
  });
});

describe('checkResidentId — valid numbers', () => {
  it('ONB-3: a valid ID ending in X passes and derives birthday, gender and age', () => {
    const id = withCheck('51010419900307119');
    expect(id).toBe('51010419900307119X');
    expect(checkResidentId(id, TODAY)).toEqual({
      ok: true,
      value: { id, birthday: '1990-03-07', gender: 'male', age: 35, regionCode: '510104' },
    });
  });

  it('ONB-1: spaces (incl. the full-width IME space) are removed and a trailing lowercase x is uppercased', () => {
    const result = checkResidentId(' 110105 1949\u30001231 002x ', TODAY);
    expect(result).toMatchObject({ ok: true, value: { id: '11010519491231002X' } });
  });

  it('ONB-3: an even 17th digit is female, an odd one male', () => {
    expect(checkResidentId(withCheck('31010120000101002'), TODAY)).toMatchObject({ value: { gender: 'female' } });
    expect(checkResidentId(withCheck('31010120000101003'), TODAY)).toMatchObject({ value: { gender: 'male' } });
  });

  it('ONB-3: age goes up on the birthday itself, not the day before (dates read in UTC)', () => {
    const id = withCheck('33010619900615001'); // born 1990-06-15
    expect(checkResidentId(id, new Date(Date.UTC(2025, 5, 15)))).toMatchObject({ value: { age: 35 } });
    expect(checkResidentId(id, new Date('2025-06-14T23:59:59Z'))).toMatchObject({ value: { age: 34 } });
    // 07:30 in Beijing on 15 June is still 14 June in UTC: the rule reads the UTC date.
    expect(checkResidentId(id, new Date('2025-06-15T07:30:00+08:00'))).toMatchObject({ value: { age: 34 } });
  });

  it('ONB-3: someone born on 29 February turns a year older on 1 March in common years', () => {
    const id = withCheck('44030420000229003');
    expect(checkResidentId(id, new Date(Date.UTC(2023, 1, 28)))).toMatchObject({ value: { age: 22 } });
    expect(checkResidentId(id, new Date(Date.UTC(2023, 2, 1)))).toMatchObject({ value: { age: 23 } });
    expect(checkResidentId(id, new Date(Date.UTC(2024, 1, 29)))).toMatchObject({ value: { age: 24 } });
  });

  it('ONB-3: born today is age 0; born 1900-01-01 is the earliest accepted date', () => {
    expect(checkResidentId(withCheck('11010120250615001'), TODAY)).toMatchObject({ value: { age: 0 } });
    expect(checkResidentId(withCheck('11010119000101001'), TODAY)).toMatchObject({
      value: { birthday: '1900-01-01', age: 125 },
    });
  });

  it('ONB-1: residence permits for Hong Kong (81), Macao (82) and Taiwan (83) residents pass', () => {
    for (const prefix of ['810000', '820000', '830000']) {
      expect(checkResidentId(withCheck(`${prefix}19850101001`), TODAY).ok).toBe(true);
    }
  });
});

describe('checkResidentId — invalid numbers', () => {
  it('ONB-1: empty or blank input is ID_REQUIRED', () => {
    expectError('', 'ID_REQUIRED');
    expectError('  \u3000 ', 'ID_REQUIRED');
  });

  it('ONB-3: a wrong check character is ID_CHECKSUM', () => {
    expectError('110105194912310021', 'ID_CHECKSUM');
    expectError('510104199003071190', 'ID_CHECKSUM'); // should end in X
    expectError('510104199003071199', 'ID_CHECKSUM');
  });

  it('ONB-3: 19900230 is not a real date: ID_BIRTHDATE_INVALID', () => {
    expectError(withCheck('51010419900230123'), 'ID_BIRTHDATE_INVALID');
    expectError(withCheck('51010419901301123'), 'ID_BIRTHDATE_INVALID'); // month 13
    expectError(withCheck('51010419900100123'), 'ID_BIRTHDATE_INVALID'); // day 0
    expectError(withCheck('51010419000229123'), 'ID_BIRTHDATE_INVALID'); // 1900 was not a leap year
  });

  it('ONB-3: a birth date after today is ID_BIRTHDATE_FUTURE', () => {
    expectError(withCheck('51010420250616123'), 'ID_BIRTHDATE_FUTURE');
    expectError(withCheck('51010420300101123'), 'ID_BIRTHDATE_FUTURE');
  });

  it('ONB-1: an old 15-digit number is ID_LEGACY_15_DIGITS', () => {
    expectError('110105491231002', 'ID_LEGACY_15_DIGITS');
    expectError('110105 491231 002', 'ID_LEGACY_15_DIGITS');
  });

  it('ONB-1: letters in the middle, X anywhere but last, or the wrong length are ID_FORMAT', () => {
    expectError('1101051949A231002X', 'ID_FORMAT');
    expectError('X10105194912310021', 'ID_FORMAT');
    expectError('11010519491231002', 'ID_FORMAT'); // 17
    expectError('11010519491231002X1', 'ID_FORMAT'); // 19
    expectError('1101051949123100', 'ID_FORMAT'); // 16
    expectError('110105-19491231-002X', 'ID_FORMAT');
  });

  it('ONB-1: region 99 (and other unused first two digits) is ID_REGION', () => {
    expectError(withCheck('99010519491231002'), 'ID_REGION');
    expectError(withCheck('00010519491231002'), 'ID_REGION');
    expectError(withCheck('16010519491231002'), 'ID_REGION');
    expectError(withCheck('84010519491231002'), 'ID_REGION');
  });

  it('ONB-3: every error has zh and en copy, and no message repeats the number', () => {
    const samples = [
      '',
      '110105491231002',
      '1101051949A231002X',
      withCheck('99010519491231002'),
      withCheck('51010419900230123'),
      withCheck('51010420300101123'),
      '440524188001010014',
      '110105194912310021',
    ];
    const seen = new Set<string>();
    for (const sample of samples) {
      const result = checkResidentId(sample, TODAY);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      seen.add(result.error.code);
      expect(result.error.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(result.error.zh).toMatch(/请/); // says what to do
      expect(result.error.en).toMatch(/^[A-Z][^\u4e00-\u9fff]+\.$/);
      expect(result.error).toEqual(RESIDENT_ID_MESSAGES[result.error.code as keyof typeof RESIDENT_ID_MESSAGES]);
      if (sample.length > 0) {
        expect(result.error.zh).not.toContain(sample.slice(0, 6));
        expect(result.error.en).not.toContain(sample.slice(0, 6));
      }
    }
    expect(seen.size).toBe(samples.length);
  });
});

describe('checkResidentId — properties', () => {
  it('ONB-3: (a) any valid region, real date 1900-01-01..today and sequence, with the computed check char, passes and derives that birthday and gender', () => {
    fc.assert(
      fc.property(validId, ({ id, birthday, gender }) => {
        const result = checkResidentId(id, TODAY);
        expect(result).toEqual({
          ok: true,
          value: { id, birthday, gender, age: expect.any(Number), regionCode: id.slice(0, 6) },
        });
      }),
      { numRuns: 500 },
    );
  });

  it('ONB-3: (b) changing any single digit in positions 0–16 of a valid ID makes it fail', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), ({ id }, pos, shift) => {
        const changed = String((Number(id[pos]) + shift) % 10);
        const typo = id.slice(0, pos) + changed + id.slice(pos + 1);
        const result = checkResidentId(typo, TODAY);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect([
            'ID_CHECKSUM',
            'ID_REGION',
            'ID_BIRTHDATE_INVALID',
            'ID_BIRTHDATE_FUTURE',
            'ID_BIRTHDATE_TOO_OLD',
          ]).toContain(result.error.code);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('ONB-3: (c) age is never negative and birthday + age years ≤ today < birthday + (age + 1) years', () => {
    const addYears = (birthday: string, years: number) => {
      const [y, m, d] = birthday.split('-').map(Number) as [number, number, number];
      const date = new Date(0);
      date.setUTCFullYear(y + years, m - 1, d); // 29 Feb in a common year rolls over to 1 Mar
      return date.getTime();
    };
    fc.assert(
      fc.property(
        validId,
        fc.integer({ min: 0, max: 120 * 366 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        ({ id, birthday }, daysLater, msIntoDay) => {
          const birthMidnight = Date.parse(`${birthday}T00:00:00Z`);
          const today = new Date(birthMidnight + daysLater * 86_400_000 + msIntoDay);
          const todayMidnight = Date.parse(`${ymd(today)}T00:00:00Z`);
          const result = checkResidentId(id, today);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const { age } = result.value;
          expect(age).toBeGreaterThanOrEqual(0);
          expect(addYears(birthday, age)).toBeLessThanOrEqual(todayMidnight);
          expect(todayMidnight).toBeLessThan(addYears(birthday, age + 1));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('computeResidentIdCheckChar', () => {
  it('ONB-3: computes ISO 7064 MOD 11-2 and refuses anything but 17 digits', () => {
    expect(computeResidentIdCheckChar('11010519491231002')).toBe('X');
    expect(computeResidentIdCheckChar('44052418800101001')).toBe('4');
    expect(() => computeResidentIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => computeResidentIdCheckChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe('maskResidentId', () => {
  it('ONB-4: keeps the first 4 and last 4 characters and stars the 10 in between', () => {
    expect(maskResidentId('510104199003071234')).toBe('5101**********1234');
    expect(maskResidentId('11010519491231002x')).toBe('1101**********002X');
  });

  it('ONB-4: a short input is starred completely; an 18-character mask never shows the birth date', () => {
    expect(maskResidentId('12345678')).toBe('********');
    expect(maskResidentId('')).toBe('');
    fc.assert(
      fc.property(validId, ({ id }) => {
        const masked = maskResidentId(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(4, 14)).toBe('*'.repeat(10));
        expect(masked).not.toContain(id.slice(6, 14));
      }),
    );
  });
});

describe('checkDerivedFields', () => {
  const derived = { birthday: '1990-03-07', gender: 'male' as const, age: 35 };

  it('ONB-3: claims that agree with the ID pass; undefined claims are not checked', () => {
    expect(checkDerivedFields(derived, { birthday: '1990-03-07', gender: 'male', age: 35 })).toEqual({
      ok: true,
      value: true,
    });
    expect(checkDerivedFields(derived, {})).toEqual({ ok: true, value: true });
    expect(checkDerivedFields(derived, { birthday: '1990/3/7' }).ok).toBe(true);
    expect(checkDerivedFields(derived, { birthday: '19900307' }).ok).toBe(true);
  });

  it('ONB-3: a different birthday, gender or age is reported with its own code', () => {
    expect(checkDerivedFields(derived, { birthday: '1990-03-08' })).toMatchObject({
      ok: false,
      error: { code: 'ID_BIRTHDAY_MISMATCH' },
    });
    expect(checkDerivedFields(derived, { gender: 'female' })).toMatchObject({
      ok: false,
      error: { code: 'ID_GENDER_MISMATCH' },
    });
    expect(checkDerivedFields(derived, { age: 34 })).toMatchObject({ ok: false, error: { code: 'ID_AGE_MISMATCH' } });
    expect(checkDerivedFields(derived, { birthday: 'not a date' })).toMatchObject({
      error: { code: 'ID_BIRTHDAY_MISMATCH' },
    });
  });

  it('ONB-3: works on the fields derived by checkResidentId', () => {
    const result = checkResidentId('11010519491231002X', TODAY);
    if (!result.ok) throw new Error('expected a valid ID');
    expect(checkDerivedFields(result.value, { birthday: '1949-12-31', gender: 'female', age: 75 }).ok).toBe(true);
    expect(checkDerivedFields(result.value, { gender: 'male' })).toMatchObject({
      error: { code: 'ID_GENDER_MISMATCH', zh: expect.stringMatching(/请/), en: expect.any(String) },
    });
  });

  it('ONB-3: every mismatch message has zh and en copy', () => {
    for (const claim of [{ birthday: '2000-01-01' }, { gender: 'female' as const }, { age: 1 }]) {
      const result = checkDerivedFields(derived, claim);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.zh).toMatch(/[\u4e00-\u9fff].*请/);
        expect(result.error.en.length).toBeGreaterThan(20);
      }
    }
  });
});

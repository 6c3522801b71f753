import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_MESSAGES,
  checkPracticeCertificate,
  checkQualificationCertificate,
  embeddedResidentId,
  maskCertificate,
} from './certificates.js';
import { computeResidentIdCheckChar } from './resident-id.js';

const withCheck = (first17: string) => first17 + computeResidentIdCheckChar(first17);
/** The GB 11643-1999 example, and a second valid ID for a different (male) applicant. */
const APPLICANT_ID = '11010519491231002X';
const OTHER_ID = withCheck('51010419900307119'); // 51010419900307119X
/** A 27-character qualification number in the assumed layout: year + 5 digits + the holder's resident ID. */
const qualificationFor = (residentId: string) => `2009${'11044'}${residentId}`;

const digit = fc.constantFrom(...'0123456789'.split(''));
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));

describe('checkPracticeCertificate', () => {
  it('ONB-1: 15 digits pass, with spaces removed', () => {
    expect(checkPracticeCertificate('110440106001234')).toEqual({ ok: true, value: '110440106001234' });
    expect(checkPracticeCertificate(' 11044 01060 01234 ')).toEqual({ ok: true, value: '110440106001234' });
    fc.assert(
      fc.property(digits(15), (n) => {
        expect(checkPracticeCertificate(n)).toEqual({ ok: true, value: n });
      }),
    );
  });

  it('ONB-1: empty input is PRACTICE_CERT_REQUIRED', () => {
    expect(checkPracticeCertificate('')).toMatchObject({ ok: false, error: { code: 'PRACTICE_CERT_REQUIRED' } });
    expect(checkPracticeCertificate('   ')).toMatchObject({ ok: false, error: { code: 'PRACTICE_CERT_REQUIRED' } });
  });

  it('ONB-1: 14 or 16 digits, or letters, are PRACTICE_CERT_FORMAT', () => {
    for (const bad of [
      '11044010600123',
      '1104401060012345',
      '11044010600123A',
      'A10440106001234',
      '110-440106001234',
    ]) {
      expect(checkPracticeCertificate(bad)).toMatchObject({ ok: false, error: { code: 'PRACTICE_CERT_FORMAT' } });
    }
  });

  it('ONB-1: any length other than 15 digits fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).filter((n) => n !== 15),
        fc.infiniteStream(digit),
        (length, stream) => {
          const n = [...stream.take(length)].join('');
          expect(checkPracticeCertificate(n)).toMatchObject({ ok: false, error: { code: 'PRACTICE_CERT_FORMAT' } });
        },
      ),
    );
  });
});

describe('checkQualificationCertificate', () => {
  it('ONB-1: 24 and 27 characters (digits and capital letters) pass; lowercase is uppercased', () => {
    expect(checkQualificationCertificate('200811110440106199001234')).toEqual({
      ok: true,
      value: '200811110440106199001234',
    });
    expect(checkQualificationCertificate(qualificationFor(APPLICANT_ID))).toEqual({
      ok: true,
      value: qualificationFor(APPLICANT_ID),
    });
    expect(checkQualificationCertificate(' 2008 1111 0440 1061 9900 123a ')).toEqual({
      ok: true,
      value: '20081111044010619900123A',
    });
  });

  it('ONB-1: 25 characters, other lengths and symbols are QUALIFICATION_CERT_FORMAT', () => {
    for (const bad of [
      '2008111104401061990012345', // 25
      '20081111044010619900123', // 23
      '2008111104401061990012345678', // 28
      '20081111044010619900123-',
      '2008111104401061990012３4'.normalize('NFC'), // a full-width digit is not accepted silently
    ]) {
      expect(checkQualificationCertificate(bad)).toMatchObject({
        ok: false,
        error: { code: 'QUALIFICATION_CERT_FORMAT' },
      });
    }
  });

  it('ONB-1: empty input is QUALIFICATION_CERT_REQUIRED', () => {
    expect(checkQualificationCertificate(' ')).toMatchObject({
      ok: false,
      error: { code: 'QUALIFICATION_CERT_REQUIRED' },
    });
  });

  it('ONB-3: an embedded resident ID that differs from the applicant\u2019s is QUALIFICATION_CERT_ID_MISMATCH', () => {
    expect(checkQualificationCertificate(qualificationFor(OTHER_ID), APPLICANT_ID)).toMatchObject({
      ok: false,
      error: { code: 'QUALIFICATION_CERT_ID_MISMATCH' },
    });
  });

  it('ONB-3: an embedded resident ID equal to the applicant\u2019s passes (ID typed with a lowercase x and spaces)', () => {
    expect(checkQualificationCertificate(qualificationFor(APPLICANT_ID), ' 110105 19491231 002x')).toEqual({
      ok: true,
      value: qualificationFor(APPLICANT_ID),
    });
    expect(checkQualificationCertificate(qualificationFor(APPLICANT_ID).toLowerCase(), APPLICANT_ID).ok).toBe(true);
  });

  it('ONB-3: without an applicant ID, or when no valid ID is embedded, there is nothing to compare', () => {
    expect(checkQualificationCertificate(qualificationFor(OTHER_ID)).ok).toBe(true);
    expect(checkQualificationCertificate(qualificationFor(OTHER_ID), '').ok).toBe(true);
    // Same layout but the 18 characters at index 9 fail the checksum: not treated as an embedded ID.
    const notAnId = qualificationFor('110105194912310021');
    expect(embeddedResidentId(notAnId)).toBeUndefined();
    expect(checkQualificationCertificate(notAnId, OTHER_ID).ok).toBe(true);
    // 24-character numbers are not assumed to embed an ID.
    expect(embeddedResidentId('200811110440106199001234')).toBeUndefined();
  });

  it('ONB-3: embeddedResidentId reads the 18 characters from index 9 of a 27-character number', () => {
    expect(embeddedResidentId(qualificationFor(APPLICANT_ID))).toBe(APPLICANT_ID);
    expect(embeddedResidentId(qualificationFor(OTHER_ID))).toBe(OTHER_ID);
  });
});

describe('certificate messages', () => {
  it('ONB-1: every code returned has zh and en copy that says what to do, without the number itself', () => {
    const results = [
      checkPracticeCertificate(''),
      checkPracticeCertificate('1234'),
      checkQualificationCertificate(''),
      checkQualificationCertificate('1234'),
      checkQualificationCertificate(qualificationFor(OTHER_ID), APPLICANT_ID),
    ];
    const codes = new Set<string>();
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      codes.add(result.error.code);
      expect(result.error).toEqual(CERTIFICATE_MESSAGES[result.error.code as keyof typeof CERTIFICATE_MESSAGES]);
      expect(result.error.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(result.error.zh).toMatch(/请/);
      expect(result.error.en).toMatch(/Please/);
      expect(result.error.zh + result.error.en).not.toContain(OTHER_ID.slice(0, 6));
    }
    expect([...codes].sort()).toEqual(Object.keys(CERTIFICATE_MESSAGES).sort());
  });
});

describe('maskCertificate', () => {
  it.each([
    ['AB1234567', 'AB*****67'],
    ['XL-2019-0042', 'XL-******042'],
    ['110440106001234', '110*********234'],
  ])('ONB-4: %s is masked as %s: never more than half of the characters shown', (n, expected) => {
    const masked = maskCertificate(n);
    expect(masked).toBe(expected);
    expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(Math.floor(masked.length / 2));
  });

  it('ONB-4: long numbers keep the first 4 and last 4 characters and star everything between', () => {
    expect(maskCertificate('200811110440106199001234')).toBe(`2008${'*'.repeat(16)}1234`);
    expect(maskCertificate(qualificationFor(APPLICANT_ID))).toBe(`2009${'*'.repeat(19)}002X`);
  });

  it('ONB-4: a masked 27-character number never shows the embedded ID\u2019s birth date; short input is all stars', () => {
    expect(maskCertificate(qualificationFor(APPLICANT_ID))).not.toContain('19491231');
    expect(maskCertificate('12345678')).toBe('********');
    expect(maskCertificate('')).toBe('');
  });
});

import { REQUIRED_ITEMS } from '@anxin/domain';
import { describe, expect, it } from 'vitest';
import { isYearMonth, REVIEW_STEP, sameIdNumber, stepOfField, STEP_PHOTOS, toRequestBody } from './model';

describe('onboarding form model', () => {
  it('sends blanks as "not given": empty strings, lists and sections are dropped, text is trimmed', () => {
    expect(
      toRequestBody({
        basic: { name: '  李安心 ', email: '', idNumber: '   ' },
        credentials: { practiceCertNo: '' },
        professional: { expertise: [], biography: { education: '', cases: '案例' }, isExpert: false },
      }),
    ).toEqual({ basic: { name: '李安心' }, professional: { biography: { cases: '案例' }, isExpert: false } });
    expect(toRequestBody({})).toEqual({});
  });

  it('never sends a half-typed year-month (the schema pattern would refuse the whole draft)', () => {
    expect(toRequestBody({ professional: { workStartDate: '2012-9', hospital: 'A' } })).toEqual({
      professional: { hospital: 'A' },
    });
    expect(toRequestBody({ professional: { workStartDate: '2012-09' } })).toEqual({
      professional: { workStartDate: '2012-09' },
    });
    expect(isYearMonth('2012-13')).toBe(false);
    expect(isYearMonth('2012-00')).toBe(false);
  });

  it('puts every required item of the server on a step that shows it', () => {
    for (const item of REQUIRED_ITEMS) expect(stepOfField(item.field), item.field).toBeLessThan(REVIEW_STEP);
    expect(stepOfField('basic.idNumber')).toBe(0);
    expect(stepOfField('photo:avatar')).toBe(0);
    expect(stepOfField('photo:id_back')).toBe(1);
    expect(stepOfField('professional.practitionerType')).toBe(2);
    expect(stepOfField('credentials.qualificationCertNo')).toBe(2);
    expect(stepOfField('photo:practice_cert_cover')).toBe(2);
    expect(stepOfField('professional.biography.education')).toBe(3);
    expect(stepOfField(undefined)).toBe(REVIEW_STEP);
    expect(stepOfField('something.else')).toBe(REVIEW_STEP);
  });

  it('asks for every photo slot on exactly the step that errors about it jump to', () => {
    const all = Object.values(STEP_PHOTOS).flat();
    expect(new Set(all).size).toBe(7);
    Object.values(STEP_PHOTOS).forEach((slots, step) => {
      for (const slot of slots) expect(stepOfField(`photo:${slot}`), slot).toBe(step);
    });
  });

  it('compares ID numbers the way the server stores them', () => {
    expect(sameIdNumber('11010519880307002x', '11010519880307002X')).toBe(true);
    expect(sameIdNumber(' 110105 19880307002X', '11010519880307002X')).toBe(true);
    expect(sameIdNumber(undefined, '')).toBe(true);
    expect(sameIdNumber('1', '2')).toBe(false);
  });
});

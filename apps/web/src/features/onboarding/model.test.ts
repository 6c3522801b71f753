import { REQUIRED_ITEMS } from '@anxin/domain';
import { describe, expect, it } from 'vitest';
import {
  isYearMonth,
  precheckItems,
  REVIEW_STEP,
  sameIdNumber,
  stepOfField,
  STEP_PHOTOS,
  toRequestBody,
} from './model';

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

describe('pre-check as the doctor sees it', () => {
  const rule = (name: string, outcome: 'pass' | 'flag') => ({
    rule: name,
    outcome,
    code: `${name}.${outcome}`,
    explanation: { zh: `${name} 说明`, en: `${name} explained` },
  });
  const precheck = {
    id: 'p1',
    ruleSetVersion: 'onboarding-precheck@3',
    inputsSha256: 'a'.repeat(64),
    outcome: 'flags' as const,
    decidedAt: '2026-12-02T08:00:00.000Z',
    humanReviewRequired: true,
    rules: [
      rule('id_number', 'pass'),
      rule('photo_readability', 'flag'),
      rule('operator_custom_check', 'flag'),
      rule('work_start', 'pass'),
    ],
  };

  it('offers "为什么？" (an explanation) only on flagged items, flagged first', () => {
    const items = precheckItems(precheck);
    expect(items.map((i) => [i.rule, i.flagged, i.explanation !== null])).toEqual([
      ['photo_readability', true, true],
      ['operator_custom_check', true, true],
      ['id_number', false, false],
      ['work_start', false, false],
    ]);
    expect(items[0]!.explanation).toEqual({ zh: 'photo_readability 说明', en: 'photo_readability explained' });
  });

  it('names only the checks the app knows; an unknown rule id is never turned into a label', () => {
    const items = precheckItems(precheck);
    expect(items.find((i) => i.rule === 'operator_custom_check')!.known).toBeNull();
    expect(items.find((i) => i.rule === 'photo_readability')!.known).toBe('photo_readability');
  });
});

import type { ReviewDetail } from '@anxin/contracts';
import { describe, expect, it } from 'vitest';
import { canReview, revealableFields, submissionCount, waitingText } from './model';

const detail = (over: Partial<ReviewDetail> = {}): ReviewDetail => ({
  id: 'a',
  status: 'submitted',
  form: {},
  masked: { idNumber: '1101**********1234', practiceCertNo: null, qualificationCertNo: '2004****5566' },
  derived: null,
  photoSlots: ['avatar', 'id_front', 'practice_cert_personal'],
  precheck: null,
  timeline: [],
  submittedAt: null,
  ...over,
});

describe('admin review model', () => {
  it('lets only reviewers and admins review', () => {
    expect(canReview(['reviewer'])).toBe(true);
    expect(canReview(['support', 'admin'])).toBe(true);
    expect(canReview(['support', 'privacy_officer', 'security_officer'])).toBe(false);
    expect(canReview([])).toBe(false);
  });

  it('words waiting time in hours, then days past 48 hours', () => {
    expect(waitingText(0.4)).toEqual({ key: 'queue.waitingLessThanHour' });
    expect(waitingText(26.4)).toEqual({ key: 'queue.waitingHours', vars: { hours: 26 } });
    expect(waitingText(47.9)).toEqual({ key: 'queue.waitingHours', vars: { hours: 47 } });
    expect(waitingText(73.2)).toEqual({ key: 'queue.waitingDays', vars: { days: 3, hours: 1 } });
  });

  it('offers only fields the application has, never the avatar', () => {
    expect(revealableFields(detail())).toEqual([
      'id_number',
      'qualification_cert_no',
      'photo:id_front',
      'photo:practice_cert_personal',
    ]);
  });

  it('counts submissions from the timeline', () => {
    const at = '2025-01-01T00:00:00Z';
    const ev = (kind: ReviewDetail['timeline'][number]['kind']) => ({
      at,
      kind,
      reasonCode: null,
      reasonText: null,
      reasonLabel: null,
    });
    expect(submissionCount(detail({ timeline: [ev('submitted'), ev('changes_requested'), ev('submitted')] }))).toBe(2);
  });
});

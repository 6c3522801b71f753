import type { PhotoSlot, ReviewDetail, RevealField, StaffRole } from '@anxin/contracts';
import type { ReviewKey } from './text';

/** Who may use the review screens (the server checks the same roles on every call). */
export const REVIEW_ROLES: readonly StaffRole[] = ['reviewer', 'admin'];

export function canReview(roles: readonly StaffRole[]): boolean {
  return roles.some((role) => REVIEW_ROLES.includes(role));
}

/** Waiting longer than this is highlighted in the queue. */
export const OVERDUE_HOURS = 48;

/** A reveal is granted for 10 minutes (server side); used when the client clock disagrees with the server's. */
export const REVEAL_TTL_MS = 10 * 60 * 1000;

/** "等待 26 小时" / "等待 3 天 2 小时" as a key and its values. */
export function waitingText(hours: number): { key: ReviewKey; vars?: Record<string, number> } {
  const whole = Math.max(0, Math.floor(hours));
  if (whole < 1) return { key: 'queue.waitingLessThanHour' };
  if (whole < OVERDUE_HOURS) return { key: 'queue.waitingHours', vars: { hours: whole } };
  return { key: 'queue.waitingDays', vars: { days: Math.floor(whole / 24), hours: whole % 24 } };
}

/** Number fields that can be revealed, with where their masked value is. */
export const NUMBER_FIELDS = [
  { field: 'id_number', masked: 'idNumber' },
  { field: 'practice_cert_no', masked: 'practiceCertNo' },
  { field: 'qualification_cert_no', masked: 'qualificationCertNo' },
] as const satisfies readonly { field: RevealField; masked: keyof ReviewDetail['masked'] }[];

export type NumberField = (typeof NUMBER_FIELDS)[number]['field'];

/** The avatar becomes public on approval, so it is never a reveal field. */
export function isRevealableSlot(slot: PhotoSlot): boolean {
  return slot !== 'avatar';
}

export function photoField(slot: PhotoSlot): RevealField {
  return `photo:${slot}` as RevealField;
}

/** Everything this application has that a reveal could show, in display order. */
export function revealableFields(detail: ReviewDetail): RevealField[] {
  const numbers = NUMBER_FIELDS.filter((n) => detail.masked[n.masked] !== null).map((n) => n.field);
  const photos = detail.photoSlots.filter(isRevealableSlot).map(photoField);
  return [...numbers, ...photos];
}

/** How many times the doctor has submitted (more than one = a resubmission). */
export function submissionCount(detail: ReviewDetail): number {
  return detail.timeline.filter((e) => e.kind === 'submitted').length;
}

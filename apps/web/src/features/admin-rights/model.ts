import type { StaffRightsRequest, StaffRole } from '@anxin/contracts';

const RIGHTS_ROLES: readonly StaffRole[] = ['privacy_officer', 'support', 'admin'];

/** Who sees the queue and may enter a request on someone's behalf. */
export function canSeeRights(roles: readonly StaffRole[]): boolean {
  return roles.some((role) => RIGHTS_ROLES.includes(role));
}

/** Holiday calendar and legal holds: the privacy officer only. */
export function isPrivacyOfficer(roles: readonly StaffRole[]): boolean {
  return roles.includes('privacy_officer');
}

export function isActionable(r: Pick<StaffRightsRequest, 'status'>): boolean {
  return r.status === 'received' || r.status === 'in_progress';
}

/** Completed by the officer's written answer (and a correction), rather than by a job. */
export function completesByHand(r: Pick<StaffRightsRequest, 'kind' | 'erasureScope'>): boolean {
  return r.kind === 'correction' || r.kind === 'explanation' || (r.kind === 'erasure' && r.erasureScope === 'other');
}

/** Runs as a job that the officer may start now. */
export function processable(r: Pick<StaffRightsRequest, 'kind' | 'erasureScope'>): boolean {
  return r.kind === 'cancellation' || r.kind === 'export' || (r.kind === 'erasure' && r.erasureScope !== 'other');
}

export function dueColor(daysLeft: number): string | undefined {
  if (daysLeft <= 1) return 'red';
  if (daysLeft <= 3) return 'orange';
  return undefined;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** One ISO date per line; returns the dates or the first bad line (1-based). */
export function parseDateLines(text: string | undefined): { dates: string[] } | { line: number; value: string } {
  const dates: string[] = [];
  const lines = (text ?? '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const value = (lines[i] ?? '').trim();
    if (!value) continue;
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
    if (!ok) return { line: i + 1, value };
    dates.push(value);
  }
  return { dates };
}

/**
 * Whether an in-app notice may also be pushed to a person's devices (NOT-1): per-category switches and quiet
 * hours. Pure: the caller passes the instant; local time comes from the IANA time zone through Intl.
 *
 * During quiet hours a push is dropped, not deferred: the in-app notice stays, and a pile of stale
 * notifications at the end of the night would tell the person nothing the bell does not already show.
 */

/** What a person can switch on or off. Kinds with no category are never pushed (fail closed). */
export const PUSH_CATEGORIES = ['messages', 'calls', 'consultations', 'review'] as const;
export type PushCategory = (typeof PUSH_CATEGORIES)[number];

/**
 * Which switch governs a notice kind, by family: `consultation.message` → messages, `call.*` → calls, any other
 * `consultation.*` → consultations (requests and status), `onboarding.*` → review decisions. Anything else is
 * `null`: in-app only until someone maps it here.
 */
export function pushCategoryOf(kind: string): PushCategory | null {
  if (kind === 'consultation.message') return 'messages';
  if (/^call\.[a-z_]+$/.test(kind)) return 'calls';
  if (/^consultation\.[a-z_]+$/.test(kind)) return 'consultations';
  if (/^onboarding\.[a-z_]+$/.test(kind)) return 'review';
  return null;
}

export interface QuietHours {
  enabled: boolean;
  /** Local wall-clock time "HH:MM" (24 h) when quiet starts, inclusive. */
  start: string;
  /** Local wall-clock time "HH:MM" when quiet ends, exclusive. Earlier than `start` means it crosses midnight. */
  end: string;
  /** IANA time zone the times are in. */
  timeZone: string;
}

export interface NotifyPreferences {
  categories: Record<PushCategory, boolean>;
  quietHours: QuietHours;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export const DEFAULT_NOTIFY_PREFERENCES: NotifyPreferences = {
  categories: { messages: true, calls: true, consultations: true, review: true },
  quietHours: { enabled: false, start: '22:00', end: '07:00', timeZone: DEFAULT_TIME_ZONE },
};

/** "HH:MM" → minutes after midnight, or null when not a valid 24-hour time. */
export function parseClockTime(value: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes after local midnight of `at` in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** Whether a local minute of the day falls in [start, end), the window wrapping past midnight when end < start. */
export function inWindow(minute: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

export function inQuietHours(at: Date, quiet: QuietHours): boolean {
  if (!quiet.enabled) return false;
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  if (start === null || end === null || !isValidTimeZone(quiet.timeZone)) return false;
  return inWindow(localMinutes(at, quiet.timeZone), start, end);
}

export type QuietHoursCheck =
  { ok: true } | { ok: false; code: 'PUSH_QUIET_HOURS_INVALID' | 'PUSH_TIME_ZONE_INVALID'; field: string };

/** Input check for saved preferences: real times, a real zone, and a window that is not empty. */
export function checkQuietHours(quiet: QuietHours): QuietHoursCheck {
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  if (start === null) return { ok: false, code: 'PUSH_QUIET_HOURS_INVALID', field: 'quietHours.start' };
  if (end === null) return { ok: false, code: 'PUSH_QUIET_HOURS_INVALID', field: 'quietHours.end' };
  if (quiet.enabled && start === end) return { ok: false, code: 'PUSH_QUIET_HOURS_INVALID', field: 'quietHours.end' };
  if (!isValidTimeZone(quiet.timeZone))
    return { ok: false, code: 'PUSH_TIME_ZONE_INVALID', field: 'quietHours.timeZone' };
  return { ok: true };
}

export type PushDecision =
  { push: true; category: PushCategory } | { push: false; reason: 'not_pushable' | 'category_off' | 'quiet_hours' };

/**
 * Safety notices (CON-4): a patient's messages showed signs of acute risk. They are pushed whatever the category
 * switches and quiet hours say; only the browser permission itself (or signing out) stops them. Their words name
 * no one and say nothing of the content.
 */
export const SAFETY_NOTICE_KINDS: readonly string[] = ['consultation.attention'];

/**
 * The one rule: a notice is pushed when its kind has a category, that category is on, and it is not quiet time;
 * safety notices always are.
 */
export function decidePush(kind: string, prefs: NotifyPreferences, at: Date): PushDecision {
  const category = pushCategoryOf(kind);
  if (!category) return { push: false, reason: 'not_pushable' };
  if (SAFETY_NOTICE_KINDS.includes(kind)) return { push: true, category };
  if (!prefs.categories[category]) return { push: false, reason: 'category_off' };
  if (inQuietHours(at, prefs.quietHours)) return { push: false, reason: 'quiet_hours' };
  return { push: true, category };
}

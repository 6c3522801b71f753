/**
 * One-time-code rules (ACC-1). Pure: the service feeds counts and timestamps in, gets a verdict out,
 * so every limit can be tested without a clock or a database.
 */
export const OTP_RULES = {
  codeLength: 6,
  ttlSeconds: 5 * 60,
  maxWrongAttempts: 5,
  resendAfterSeconds: 60,
  perPhone: { hour: 5, day: 10 },
  perIp: { hour: 20, day: 60 },
} as const;

export type OtpSendVerdict =
  | { allowed: true }
  | {
      allowed: false;
      code:
        | 'OTP_RESEND_TOO_SOON'
        | 'OTP_PHONE_HOURLY_LIMIT'
        | 'OTP_PHONE_DAILY_LIMIT'
        | 'OTP_IP_HOURLY_LIMIT'
        | 'OTP_IP_DAILY_LIMIT';
      retryAfterSeconds: number;
    };

/** Send times are epoch milliseconds of earlier codes sent to the same phone / from the same IP within the last day. */
export interface OtpSendHistory {
  phoneSends: number[];
  ipSends: number[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Seconds until the oldest send in the window leaves it, which is when one more send fits again. */
function waitForWindow(sends: number[], now: number, windowMs: number, limit: number): number | null {
  const inWindow = sends.filter((t) => now - t < windowMs).sort((a, b) => a - b);
  if (inWindow.length < limit) return null;
  const oldestThatMustExpire = inWindow[inWindow.length - limit]!;
  return Math.max(1, Math.ceil((oldestThatMustExpire + windowMs - now) / 1000));
}

export function decideOtpSend(history: OtpSendHistory, now: number): OtpSendVerdict {
  const last = Math.max(-Infinity, ...history.phoneSends);
  const sinceLast = now - last;
  const failures: Array<{ code: Exclude<OtpSendVerdict, { allowed: true }>['code']; retryAfterSeconds: number }> = [];
  if (sinceLast < OTP_RULES.resendAfterSeconds * 1000) {
    failures.push({
      code: 'OTP_RESEND_TOO_SOON',
      retryAfterSeconds: Math.ceil((OTP_RULES.resendAfterSeconds * 1000 - sinceLast) / 1000),
    });
  }
  const checks = [
    ['OTP_PHONE_HOURLY_LIMIT', history.phoneSends, HOUR, OTP_RULES.perPhone.hour],
    ['OTP_PHONE_DAILY_LIMIT', history.phoneSends, DAY, OTP_RULES.perPhone.day],
    ['OTP_IP_HOURLY_LIMIT', history.ipSends, HOUR, OTP_RULES.perIp.hour],
    ['OTP_IP_DAILY_LIMIT', history.ipSends, DAY, OTP_RULES.perIp.day],
  ] as const;
  for (const [code, sends, windowMs, limit] of checks) {
    const wait = waitForWindow(sends, now, windowMs, limit);
    if (wait !== null) failures.push({ code, retryAfterSeconds: wait });
  }
  if (failures.length === 0) return { allowed: true };
  // Report the rule that keeps the door shut longest, so "retry after N s" is when a send really works again.
  const longest = failures.reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a));
  return { allowed: false, ...longest };
}

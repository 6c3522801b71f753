/** Pure rules of the notification settings screen (no browser APIs here, so they are unit-tested). */

export type PushSupport = 'supported' | 'needs_home_screen' | 'unsupported';

export interface PushEnvironment {
  hasServiceWorker: boolean;
  hasPushManager: boolean;
  hasNotification: boolean;
  /** iPhone or iPad: Web Push works only for a web app added to the home screen (iOS 16.4+). */
  isIos: boolean;
  isStandalone: boolean;
}

export function detectSupport(env: PushEnvironment): PushSupport {
  if (env.hasServiceWorker && env.hasPushManager && env.hasNotification) return 'supported';
  if (env.isIos && !env.isStandalone) return 'needs_home_screen';
  return 'unsupported';
}

export type Permission = 'default' | 'granted' | 'denied';

/** What the "this device" card shows. */
export type DeviceState = 'unsupported' | 'needs_home_screen' | 'blocked' | 'on' | 'off';

export function deviceState(input: {
  support: PushSupport;
  permission: Permission;
  browserSubscribed: boolean;
  serverSubscribed: boolean;
}): DeviceState {
  if (input.support !== 'supported') return input.support;
  if (input.permission === 'denied') return 'blocked';
  if (input.permission === 'granted' && input.browserSubscribed && input.serverSubscribed) return 'on';
  return 'off';
}

/**
 * PER-1: when the permission was revoked in the browser (or the browser dropped its subscription), the server's
 * record of this device is removed at once, so collection ends from that moment.
 */
export function needsServerCleanup(input: {
  support: PushSupport;
  permission: Permission;
  browserSubscribed: boolean;
  serverSubscribed: boolean;
}): boolean {
  if (!input.serverSubscribed || input.support !== 'supported') return false;
  return input.permission !== 'granted' || !input.browserSubscribed;
}

/** base64url (the VAPID public key) → bytes for `applicationServerKey`. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const b64 = value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const raw = atob(padded);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Whether an existing subscription was made with this server key (a new key needs a new subscription). */
export function sameKey(existing: ArrayBuffer | null | undefined, publicKey: string): boolean {
  if (!existing) return false;
  const a = new Uint8Array(existing);
  const b = base64UrlToBytes(publicKey);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export type Category = 'messages' | 'calls' | 'consultations' | 'review';

/** Which switches each app shows: review decisions concern doctors only. */
export function categoriesFor(app: 'doctor' | 'patient'): Category[] {
  return app === 'doctor' ? ['messages', 'calls', 'consultations', 'review'] : ['messages', 'calls', 'consultations'];
}

/** "HH:MM" → minutes, null when not a 24-hour time. */
export function minutesOf(value: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Whether quiet hours end on the next day (the window crosses midnight). */
export function crossesMidnight(start: string, end: string): boolean {
  const s = minutesOf(start);
  const e = minutesOf(end);
  return s !== null && e !== null && e < s;
}

/** The device's IANA time zone, or null when the browser does not say. */
export function deviceTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

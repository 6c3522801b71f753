import { describe, expect, it } from 'vitest';
import {
  base64UrlToBytes,
  categoriesFor,
  crossesMidnight,
  detectSupport,
  deviceState,
  needsServerCleanup,
  sameKey,
  type PushEnvironment,
} from './model';

const env = (over: Partial<PushEnvironment> = {}): PushEnvironment => ({
  hasServiceWorker: true,
  hasPushManager: true,
  hasNotification: true,
  isIos: false,
  isStandalone: false,
  ...over,
});

describe('notification settings model', () => {
  it('PER-1: iPhone Safari outside the home screen is told to add the app first; other gaps are "unsupported"', () => {
    expect(detectSupport(env())).toBe('supported');
    expect(detectSupport(env({ hasPushManager: false, isIos: true }))).toBe('needs_home_screen');
    expect(detectSupport(env({ hasPushManager: false, isIos: true, isStandalone: true }))).toBe('unsupported');
    expect(detectSupport(env({ hasServiceWorker: false }))).toBe('unsupported');
  });

  it.each([
    ['granted', true, true, 'on'],
    ['granted', true, false, 'off'],
    ['granted', false, true, 'off'],
    ['default', false, false, 'off'],
    ['denied', false, false, 'blocked'],
    ['denied', true, true, 'blocked'],
  ] as const)(
    'PER-1: permission %s, browser %s, server %s → %s',
    (permission, browserSubscribed, serverSubscribed, state) => {
      expect(deviceState({ support: 'supported', permission, browserSubscribed, serverSubscribed })).toBe(state);
    },
  );

  it('PER-1: revoking the permission in the browser removes this device on the server', () => {
    const base = { support: 'supported' as const, browserSubscribed: true, serverSubscribed: true };
    expect(needsServerCleanup({ ...base, permission: 'granted' })).toBe(false);
    expect(needsServerCleanup({ ...base, permission: 'denied' })).toBe(true);
    expect(needsServerCleanup({ ...base, permission: 'default' })).toBe(true);
    expect(needsServerCleanup({ ...base, permission: 'granted', browserSubscribed: false })).toBe(true);
    expect(needsServerCleanup({ ...base, permission: 'denied', serverSubscribed: false })).toBe(false);
  });

  it('NOT-1: the VAPID key decodes from base64url and is compared byte for byte', () => {
    const bytes = new Uint8Array([4, 255, 250, 0, 62, 63]);
    const b64url = Buffer.from(bytes).toString('base64url');
    expect([...base64UrlToBytes(b64url)]).toEqual([...bytes]);
    expect(sameKey(bytes.buffer, b64url)).toBe(true);
    expect(sameKey(new Uint8Array([4, 255, 250, 0, 62, 64]).buffer, b64url)).toBe(false);
    expect(sameKey(null, b64url)).toBe(false);
  });

  it('NOT-1: review decisions are a doctor-only switch; quiet hours ending earlier than they start end next day', () => {
    expect(categoriesFor('doctor')).toContain('review');
    expect(categoriesFor('patient')).not.toContain('review');
    expect(crossesMidnight('22:00', '07:00')).toBe(true);
    expect(crossesMidnight('13:00', '14:00')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { iceConfigFor, turnCredential } from './turn.js';

describe('TURN REST credentials', () => {
  it('SEC-1: the password is base64 HMAC-SHA1 of "expiry:callId" under the coturn secret (vector from openssl)', () => {
    // printf '%s' '1780000000:3f8c9d2e-1b4a-4c7e-9f00-123456789abc' \
    //   | openssl dgst -sha1 -hmac 'north-wind-static-secret-2026' -binary | base64
    expect(turnCredential('north-wind-static-secret-2026', '3f8c9d2e-1b4a-4c7e-9f00-123456789abc', 1780000000)).toEqual(
      {
        username: '1780000000:3f8c9d2e-1b4a-4c7e-9f00-123456789abc',
        credential: 'hID8rZtwA07s0tovtpN0Gsya6kE=',
      },
    );
  });

  it('SEC-1: each call gets its own credential that expires after the configured time; the secret is never in it', () => {
    const config = loadConfig({
      ANXIN_STUN_URLS: 'stun:turn.example.cn:3478',
      ANXIN_TURN_URLS: 'turn:turn.example.cn:3478?transport=udp,turns:turn.example.cn:5349?transport=tcp',
      ANXIN_TURN_SECRET: 'north-wind-static-secret-2026',
      ANXIN_TURN_TTL_SECONDS: '3600',
    }).calls;
    const now = new Date('2026-06-01T02:00:00Z');
    const a = iceConfigFor(config, '3f8c9d2e-1b4a-4c7e-9f00-123456789abc', now);
    const b = iceConfigFor(config, '11111111-1b4a-4c7e-9f00-123456789abc', now);
    expect(a.iceServers[0]).toEqual({ urls: ['stun:turn.example.cn:3478'] });
    const turn = a.iceServers[1]!;
    expect(turn.urls).toHaveLength(2);
    expect(turn.username).toBe(`${now.getTime() / 1000 + 3600}:3f8c9d2e-1b4a-4c7e-9f00-123456789abc`);
    expect(a.expiresAt).toBe('2026-06-01T03:00:00.000Z');
    expect(b.iceServers[1]!.credential).not.toBe(turn.credential);
    expect(JSON.stringify(a)).not.toContain('north-wind');
    expect(a.iceTransportPolicy).toBe('all');
  });

  it('SEC-1: TURN needs a long secret; relay-only needs TURN; without configuration there are no ICE servers', () => {
    expect(() => loadConfig({ ANXIN_TURN_URLS: 'turn:x:3478' })).toThrow(/ANXIN_TURN_SECRET/);
    expect(() => loadConfig({ ANXIN_TURN_URLS: 'turn:x:3478', ANXIN_TURN_SECRET: 'short' })).toThrow(/16/);
    expect(() => loadConfig({ ANXIN_ICE_TRANSPORT_POLICY: 'relay' })).toThrow(/TURN/);
    expect(() => loadConfig({ ANXIN_STUN_URLS: 'http://x' })).toThrow(/stun/);
    const none = iceConfigFor(loadConfig({}).calls, 'x', new Date());
    expect(none).toEqual({ iceServers: [], iceTransportPolicy: 'all', expiresAt: null });
  });
});

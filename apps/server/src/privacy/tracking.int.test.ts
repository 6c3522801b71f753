import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, post, policyProof, testPhone, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('no tracking', () => {
  it('LOG-4: with or without Do Not Track / Global Privacy Control, no cookie is set before sign-in and every response says "not tracking"', async () => {
    const variants: Record<string, string>[] = [{}, { dnt: '1' }, { 'sec-gpc': '1' }];
    for (const headers of variants) {
      for (const url of ['/api/policy/current', '/healthz', '/api/me', '/docs/json']) {
        const res = await get(t, url, undefined, headers);
        expect(res.headers['set-cookie'], url).toBeUndefined();
        expect(res.headers.tk, url).toBe('N');
      }
    }
    const gpc = await get(t, '/.well-known/gpc.json');
    expect(gpc.json()).toMatchObject({ gpc: true });
  });

  it('LOG-4: the only cookie the platform ever sets is the HttpOnly session cookie', async () => {
    const phone = testPhone();
    const proof = await policyProof(t);
    const sent = await post(t, '/api/auth/code', { phone, app: 'doctor', policyConsent: proof }, undefined, {
      dnt: '1',
    });
    expect(sent.headers['set-cookie']).toBeUndefined();
    const res = await post(
      t,
      '/api/auth/verify',
      { phone, app: 'doctor', code: t.sms.latestCodeFor(phone), policyConsent: proof },
      undefined,
      { dnt: '1' },
    );
    expect(res.cookies.map((c) => c.name)).toEqual(['anxin_session']);
    expect(res.cookies[0]!.httpOnly).toBe(true);
  });
});

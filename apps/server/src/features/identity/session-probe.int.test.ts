import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, signIn, type TestApp } from '../../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('GET /api/session: the apps’ start-up look-up', () => {
  it('a visitor without a session gets 200 and no account (no failed request on first load); /api/me still answers 401', async () => {
    const res = await get(t, '/api/session');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ me: null, ended: false });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await get(t, '/api/me')).statusCode).toBe(401);
  });

  it('a signed-in browser gets its account, the same as GET /api/me', async () => {
    const { cookie } = await signIn(t, 'patient');
    const res = await get(t, '/api/session', cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ me: (await get(t, '/api/me', cookie)).json(), ended: false });
  });

  it('ACC-4: a session signed out from another device reads as ended, and its cookie is cleared', async () => {
    const phone = '13900001234';
    const a = await signIn(t, 'doctor', phone);
    t.clock.advance(61_000); // past the code-resend wait
    const b = await signIn(t, 'doctor', phone);
    const other = (await get(t, '/api/me/sessions', b.cookie))
      .json()
      .sessions.find((s: { current: boolean }) => !s.current);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/sessions/${other.id}`,
      headers: { cookie: b.cookie, origin: ORIGIN },
    });
    expect(del.statusCode).toBe(200);
    const res = await get(t, '/api/session', a.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ me: null, ended: true });
    expect(String(res.headers['set-cookie'])).toMatch(/anxin_session=;/);
    expect((await get(t, '/api/session', b.cookie)).json().me.id).toBe(b.me.id);
  });
});

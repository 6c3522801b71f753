import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  get,
  ORIGIN,
  policyProof,
  post,
  sessionCookie,
  signIn,
  testPhone,
  type TestApp,
} from '../../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function requestCode(phone: string, headers: Record<string, string> = {}, app = 'doctor') {
  return post(t, '/api/auth/code', { phone, app, policyConsent: await policyProof(t) }, undefined, headers);
}
async function verify(phone: string, code: string, extra: Record<string, unknown> = {}) {
  return post(t, '/api/auth/verify', { phone, code, app: 'doctor', policyConsent: await policyProof(t), ...extra });
}

describe('phone sign-in', () => {
  it('ACC-1: a code is sent to a normalised mainland number and signs the doctor in', async () => {
    const phone = testPhone();
    const res = await requestCode(`+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ resendAfterSeconds: 60, expiresInSeconds: 300, devOutbox: true });
    const code = t.sms.latestCodeFor(phone);
    expect(code).toMatch(/^\d{6}$/);
    const ok = await verify(phone, code!);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      app: 'doctor',
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      stage: 'active',
    });
    const cookie = ok.cookies.find((c) => c.name === 'anxin_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  });

  it.each([['12345'], ['1234567890a'], ['12800138000'], ['+1 415 555 0100'], ['']])(
    'ACC-1: a bad number (%s) gets a clear error and no code',
    async (bad) => {
      const res = await post(
        t,
        '/api/auth/code',
        { phone: bad, app: 'doctor', policyConsent: await policyProof(t) },
        undefined,
        { 'accept-language': 'en' },
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toMatch(/^PHONE_(NOT_MAINLAND_MOBILE|REQUIRED)$/);
      expect(res.json().error.message).toMatch(/mobile number/);
    },
  );

  it('ACC-1: codes expire after 5 minutes', async () => {
    const phone = testPhone();
    await requestCode(phone);
    const code = t.sms.latestCodeFor(phone)!;
    t.clock.advance(5 * 60_000 + 1000);
    const res = await verify(phone, code);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('OTP_EXPIRED');
  });

  it('ACC-1: a code works once', async () => {
    const phone = testPhone();
    await requestCode(phone);
    const code = t.sms.latestCodeFor(phone)!;
    expect((await verify(phone, code)).statusCode).toBe(200);
    const again = await verify(phone, code);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('OTP_EXPIRED');
  });

  it('ACC-1: five wrong tries kill the code, even the right one after that', async () => {
    const phone = testPhone();
    await requestCode(phone);
    const code = t.sms.latestCodeFor(phone)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const res = await verify(phone, wrong);
      expect(res.json().error).toMatchObject({ code: 'OTP_INVALID' });
      expect(res.json().error.message).toContain(String(5 - i));
    }
    expect((await verify(phone, wrong)).json().error.code).toBe('OTP_LOCKED');
    expect((await verify(phone, code)).json().error.code).toBe('OTP_LOCKED');
  });

  it('ACC-1: a new code cannot be sent within 60 s, and the error says how long to wait', async () => {
    const phone = testPhone();
    expect((await requestCode(phone)).statusCode).toBe(200);
    t.clock.advance(20_000);
    const res = await requestCode(phone);
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toMatchObject({ code: 'OTP_RESEND_TOO_SOON', retryAfterSeconds: 40 });
    expect(res.headers['retry-after']).toBe('40');
    t.clock.advance(40_000);
    expect((await requestCode(phone)).statusCode).toBe(200);
  });

  it('ACC-1: per-number hourly limit (5) holds', async () => {
    const phone = testPhone();
    for (let i = 0; i < 5; i++) {
      expect((await requestCode(phone)).statusCode).toBe(200);
      t.clock.advance(61_000);
    }
    const res = await requestCode(phone);
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('OTP_PHONE_HOURLY_LIMIT');
    expect(res.json().error.retryAfterSeconds).toBeGreaterThan(0);
    t.clock.advance(3600_000);
  });

  it('ACC-1: per-IP hourly limit (20) holds across different numbers', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 20; i++) {
      const res = await post(
        t,
        '/api/auth/code',
        { phone: testPhone(), app: 'doctor', policyConsent: await policyProof(t) },
        undefined,
        {},
        ip,
      );
      expect(res.statusCode).toBe(200);
    }
    const res = await post(
      t,
      '/api/auth/code',
      { phone: testPhone(), app: 'doctor', policyConsent: await policyProof(t) },
      undefined,
      {},
      ip,
    );
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('OTP_IP_HOURLY_LIMIT');
    // Another network is not affected.
    expect((await requestCode(testPhone())).statusCode).toBe(200);
  });

  it('ACC-3 / POL-1: no code is sent until the policy box is ticked', async () => {
    const res = await post(t, '/api/auth/code', { phone: testPhone(), app: 'doctor' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('POLICY_CONSENT_REQUIRED');
  });

  it('POL-1: agreeing to a text other than the one in effect is refused', async () => {
    const proof = await policyProof(t);
    const res = await post(t, '/api/auth/code', {
      phone: testPhone(),
      app: 'doctor',
      policyConsent: { ...proof, textSha256: 'a'.repeat(64) },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONSENT_TEXT_MISMATCH');
  });

  it('ACC-3: the account exists after the first verified sign-in, with only the phone, and records the policy consent', async () => {
    const before = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const { me } = await signIn(t);
    const after = await t.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n + 1);
    const user = await t.db.selectFrom('users').selectAll().where('id', '=', me.id).executeTakeFirstOrThrow();
    expect(user.display_name_enc).toBeNull();
    const consent = await t.db
      .selectFrom('consents')
      .selectAll()
      .where('user_id', '=', me.id)
      .executeTakeFirstOrThrow();
    const proof = await policyProof(t);
    expect(consent).toMatchObject({ kind: 'policy', version: proof.version, text_sha256: proof.textSha256 });
    expect(consent.ip_enc).not.toBeNull();
    expect(consent.user_agent_enc).not.toBeNull();
    expect(me.policy).toMatchObject({ acceptedVersion: proof.version, needsAcceptance: false });
  });

  it('ACC-1: doctor and patient accounts for one number are separate', async () => {
    const phone = testPhone();
    const doctor = await signIn(t, 'doctor', phone);
    t.clock.advance(61_000);
    const patient = await signIn(t, 'patient', phone);
    expect(doctor.me.id).not.toBe(patient.me.id);
    expect(patient.me.app).toBe('patient');
  });

  it('SEC-1: the phone number is stored only encrypted and as a blind index', async () => {
    const { me, phone } = await signIn(t);
    const user = await t.db.selectFrom('users').selectAll().where('id', '=', me.id).executeTakeFirstOrThrow();
    expect(user.phone_enc.includes(Buffer.from(phone))).toBe(false);
    expect(user.phone_bidx.toString('hex')).not.toContain(Buffer.from(phone).toString('hex'));
    expect(user.phone_enc.readUInt8(0)).toBe(1);
  });

  it('SEC-1: logs never contain the phone number (canary), even at trace level', async () => {
    const canary = '13912345678';
    t.logs.length = 0;
    await signIn(t, 'doctor', canary);
    await post(t, '/api/auth/code', { phone: canary, app: 'doctor' });
    const all = t.logs.join('\n');
    expect(all.length).toBeGreaterThan(100);
    expect(all).not.toContain(canary);
    expect(all).toContain('139****5678');
  });
});

describe('sessions', () => {
  it('ACC-4: the devices list shows this browser, and signing out one device ends only that session', async () => {
    const phone = testPhone();
    const a = await signIn(t, 'doctor', phone, {});
    t.clock.advance(61_000);
    const proof = await policyProof(t);
    await post(t, '/api/auth/code', { phone, app: 'doctor', policyConsent: proof });
    const resB = await post(
      t,
      '/api/auth/verify',
      { phone, app: 'doctor', code: t.sms.latestCodeFor(phone), policyConsent: proof },
      undefined,
      {
        'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/156.0 Mobile Safari/537.36',
      },
    );
    const b = sessionCookie(resB);
    const list = (await get(t, '/api/me/sessions', b)).json().sessions;
    expect(list).toHaveLength(2);
    const current = list.find((s: { current: boolean }) => s.current);
    expect(current.device).toBe('Chrome 156 · Android');
    expect(current.ipMasked).toMatch(/\*/);
    const other = list.find((s: { current: boolean }) => !s.current);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/sessions/${other.id}`,
      headers: { cookie: b, origin: ORIGIN },
    });
    expect(del.statusCode).toBe(200);
    expect((await get(t, '/api/me', a.cookie)).json().error.code).toBe('SESSION_EXPIRED');
    expect((await get(t, '/api/me', b)).statusCode).toBe(200);
  });

  it('ACC-4: a user cannot sign out somebody else’s session', async () => {
    const a = await signIn(t);
    const b = await signIn(t);
    const bSession = (await get(t, '/api/me/sessions', b.cookie)).json().sessions[0].id;
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/sessions/${bSession}`,
      headers: { cookie: a.cookie, origin: ORIGIN },
    });
    expect(res.statusCode).toBe(404);
    expect((await get(t, '/api/me', b.cookie)).statusCode).toBe(200);
  });

  it('ACC-4: sign out all ends every session, including this one when asked', async () => {
    const phone = testPhone();
    const a = await signIn(t, 'doctor', phone);
    t.clock.advance(61_000);
    const b = await signIn(t, 'doctor', phone);
    const res = await post(t, '/api/me/sessions/sign-out-all', { includeCurrent: false }, b.cookie);
    expect(res.statusCode).toBe(200);
    expect((await get(t, '/api/me', a.cookie)).statusCode).toBe(401);
    expect((await get(t, '/api/me', b.cookie)).statusCode).toBe(200);
    await post(t, '/api/me/sessions/sign-out-all', { includeCurrent: true }, b.cookie);
    expect((await get(t, '/api/me', b.cookie)).statusCode).toBe(401);
  });

  it('ACC-4: a session ends after 30 idle minutes', async () => {
    const { cookie } = await signIn(t);
    t.clock.advance(29 * 60_000);
    expect((await get(t, '/api/me', cookie)).statusCode).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await get(t, '/api/me', cookie)).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const res = await get(t, '/api/me', cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('ACC-4: a session ends after 12 hours even when active', async () => {
    const { cookie } = await signIn(t);
    let elapsed = 0;
    while (elapsed + 29 * 60_000 < 12 * 3600_000) {
      t.clock.advance(29 * 60_000);
      elapsed += 29 * 60_000;
      expect((await get(t, '/api/me', cookie)).statusCode).toBe(200);
    }
    t.clock.advance(12 * 3600_000 - elapsed);
    expect((await get(t, '/api/me', cookie)).statusCode).toBe(401);
  });

  it('ACC-4: "keep me signed in" lasts up to 30 days with a persistent cookie', async () => {
    const phone = testPhone();
    const proof = await policyProof(t);
    await post(t, '/api/auth/code', { phone, app: 'doctor', policyConsent: proof });
    const res = await post(t, '/api/auth/verify', {
      phone,
      app: 'doctor',
      code: t.sms.latestCodeFor(phone),
      policyConsent: proof,
      keepSignedIn: true,
    });
    const cookie = res.cookies.find((c) => c.name === 'anxin_session')!;
    expect(cookie.maxAge).toBe(30 * 86_400);
    const header = sessionCookie(res);
    t.clock.advance(10 * 86_400_000);
    expect((await get(t, '/api/me', header)).statusCode).toBe(200);
    t.clock.advance(21 * 86_400_000);
    expect((await get(t, '/api/me', header)).statusCode).toBe(401);
  });

  it('ACC-4: signing out ends the session server-side', async () => {
    const { cookie } = await signIn(t);
    expect((await post(t, '/api/auth/sign-out', {}, cookie)).statusCode).toBe(200);
    expect((await get(t, '/api/me', cookie)).statusCode).toBe(401);
  });

  it('ACC-4: state-changing requests from another origin are refused (CSRF)', async () => {
    const { cookie } = await signIn(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie, origin: 'https://evil.example' },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_ORIGIN_MISMATCH');
    expect((await get(t, '/api/me', cookie)).statusCode).toBe(200);
  });
});

describe('the guard cannot be side-stepped', () => {
  it.each([['/%61pi/admin/dev-outbox'], ['/ap%69/admin/audit'], ['/%61%70%69/me'], ['/api/%6De/sessions']])(
    'SEC-1: %s (percent-encoded) meets the same access guard as the plain path',
    async (url) => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('AUTH_REQUIRED');
    },
  );

  it('SEC-1: a percent-encoded path to a staff route is refused to a doctor too, and CSRF still applies', async () => {
    const { cookie } = await signIn(t);
    expect(
      (await t.app.inject({ method: 'GET', url: '/%61pi/admin/dev-outbox', headers: { cookie } })).statusCode,
    ).toBe(403);
    const csrf = await t.app.inject({
      method: 'POST',
      url: '/%61pi/auth/sign-out',
      headers: { cookie, origin: 'https://evil.example' },
      payload: {},
    });
    expect(csrf.json().error.code).toBe('CSRF_ORIGIN_MISMATCH');
  });
});

describe('errors', () => {
  it('ACC-1: errors come in the caller’s language', async () => {
    const zh = await post(t, '/api/auth/code', { phone: '1', app: 'doctor', policyConsent: await policyProof(t) });
    const en = await post(
      t,
      '/api/auth/code',
      { phone: '1', app: 'doctor', policyConsent: await policyProof(t) },
      undefined,
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(zh.json().error.message).toMatch(/手机号/);
    expect(en.json().error.message).toMatch(/mobile number/);
  });

  it.each([
    ['not json', 'application/json', '{"phone":'],
    ['wrong type', 'application/json', '{"phone":123,"app":"doctor"}'],
    ['unknown app', 'application/json', '{"phone":"13800138000","app":"hacker"}'],
    ['form body', 'text/plain', 'phone=1'],
  ])('SEC-1: bad input (%s) gets a 4xx with a code, never a 500', async (_name, type, body) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/code',
      headers: { origin: ORIGIN, 'content-type': type },
      payload: body,
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
  });
});

import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '@anxin/contracts';
import { createTestApp, get, post, sessionCookie, signIn, testPhone, type TestApp } from '../../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

function totpNow(secret: string, stepsAhead = 0) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });
}

/** admin:create → enrolment link → authenticator bound → phone code → TOTP: returns a full staff cookie. */
async function staffMember(roles: StaffRole[], verifyExtra: Record<string, unknown> = {}) {
  const phone = testPhone();
  const { enrolmentLink } = await t.app.services.staff.createStaff({ phone, roles, grantedBy: null });
  const token = new URL(enrolmentLink).hash.replace('#token=', '');
  const start = await post(t, '/api/auth/enrolment/start', { token });
  expect(start.statusCode).toBe(200);
  const { secretBase32, otpauthUri } = start.json();
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  expect(otpauthUri).not.toContain(phone);
  expect((await post(t, '/api/auth/enrolment/finish', { token, code: totpNow(secretBase32) })).statusCode).toBe(200);
  expect((await post(t, '/api/auth/code', { phone, app: 'staff' })).statusCode).toBe(200);
  const verified = await post(t, '/api/auth/verify', {
    phone,
    app: 'staff',
    code: t.sms.latestCodeFor(phone),
    ...verifyExtra,
  });
  expect(verified.json().stage).toBe('totp_required');
  const pending = sessionCookie(verified);
  const pendingCookie = verified.cookies.find((c) => c.name === 'anxin_session')!;
  // Enrolment used this step's code, which now works no more; the next step's code is accepted (clock drift window).
  const full = await post(t, '/api/auth/totp', { code: totpNow(secretBase32, 1) }, pending);
  expect(full.statusCode).toBe(200);
  const fullCookie = full.cookies.find((c) => c.name === 'anxin_session')!;
  return {
    phone,
    secretBase32,
    token,
    pending,
    pendingCookie,
    fullCookie,
    cookie: sessionCookie(full),
    me: full.json(),
  };
}

describe('staff sign-in and roles', () => {
  it('ACC-4: staff sign in with phone code plus authenticator code; the half-signed-in cookie is replaced', async () => {
    const s = await staffMember(['admin']);
    expect(s.me).toMatchObject({ app: 'staff', stage: 'active', roles: ['admin'] });
    expect(s.cookie).not.toBe(s.pending);
    expect((await get(t, '/api/me', s.pending)).statusCode).toBe(401);
    expect((await get(t, '/api/admin/dev-outbox', s.cookie)).statusCode).toBe(200);
  });

  it('ACC-4: staff never stay signed in: keepSignedIn in the request is ignored at both steps and the audit says so', async () => {
    const s = await staffMember(['support'], { keepSignedIn: true });
    // Browser-session cookies only (no Max-Age), at the SMS step and after the authenticator.
    expect(s.pendingCookie.maxAge).toBeUndefined();
    expect(s.fullCookie.maxAge).toBeUndefined();
    const sessions = await t.db
      .selectFrom('sessions')
      .select(['keep_signed_in', 'stage', 'created_at', 'absolute_expires_at', 'idle_timeout_seconds'])
      .where('user_id', '=', s.me.id)
      .execute();
    expect(sessions).toHaveLength(2);
    for (const row of sessions) expect(row.keep_signed_in).toBe(false);
    const active = sessions.find((r) => r.stage === 'active')!;
    const lifetime = new Date(active.absolute_expires_at).getTime() - new Date(active.created_at).getTime();
    expect(lifetime).toBe(t.config.session.staffAbsoluteHours * 3600_000);
    expect(active.idle_timeout_seconds).toBe(t.config.session.staffIdleMinutes * 60);
    const signIn = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'auth.sign_in')
      .where('subject_id', '=', s.me.id)
      .executeTakeFirstOrThrow();
    expect(signIn.details).toMatchObject({ app: 'staff', keepSignedIn: false });
  });

  it('SEC-1: before the second factor, staff routes are closed', async () => {
    const s = await staffMember(['admin']);
    t.clock.advance(61_000);
    await post(t, '/api/auth/code', { phone: s.phone, app: 'staff' });
    const verified = await post(t, '/api/auth/verify', {
      phone: s.phone,
      app: 'staff',
      code: t.sms.latestCodeFor(s.phone),
    });
    const pending = sessionCookie(verified);
    expect((await get(t, '/api/admin/dev-outbox', pending)).statusCode).toBe(403);
    expect((await post(t, '/api/admin/audit/verify', {}, pending)).statusCode).toBe(403);
  });

  it('SEC-1: five wrong authenticator codes end the half-signed-in session, and each miss is audited', async () => {
    const s = await staffMember(['support']);
    t.clock.advance(61_000);
    await post(t, '/api/auth/code', { phone: s.phone, app: 'staff' });
    const pending = sessionCookie(
      await post(t, '/api/auth/verify', { phone: s.phone, app: 'staff', code: t.sms.latestCodeFor(s.phone) }),
    );
    const wrong = totpNow(s.secretBase32) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++)
      expect((await post(t, '/api/auth/totp', { code: wrong }, pending)).json().error.code).toBe('TOTP_INVALID');
    expect((await post(t, '/api/auth/totp', { code: wrong }, pending)).json().error.code).toBe('SESSION_EXPIRED');
    expect((await post(t, '/api/auth/totp', { code: totpNow(s.secretBase32, -1) }, pending)).statusCode).toBe(401);
    const misses = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'auth.totp_failed')
      .where('subject_id', '=', s.me.id)
      .execute();
    expect(misses).toHaveLength(5);
    // The lock-out counts on the session's own counter, not on the audit log.
    const counter = await t.db
      .selectFrom('staff_totp_failures')
      .innerJoin('sessions', 'sessions.id', 'staff_totp_failures.session_id')
      .select(['staff_totp_failures.failures', 'sessions.revoke_reason'])
      .where('sessions.user_id', '=', s.me.id)
      .execute();
    expect(counter).toEqual([{ failures: 5, revoke_reason: 'totp_failures' }]);
  });

  it('SEC-1: an authenticator code works once (no replay of the code used at enrolment or sign-in)', async () => {
    const s = await staffMember(['support']);
    t.clock.advance(61_000);
    await post(t, '/api/auth/code', { phone: s.phone, app: 'staff' });
    const pending = sessionCookie(
      await post(t, '/api/auth/verify', { phone: s.phone, app: 'staff', code: t.sms.latestCodeFor(s.phone) }),
    );
    // The code that just signed this person in is refused the second time, and so is an older one.
    const replay = await post(t, '/api/auth/totp', { code: totpNow(s.secretBase32, 1) }, pending);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('TOTP_INVALID');
    const older = await post(t, '/api/auth/totp', { code: totpNow(s.secretBase32) }, pending);
    expect(older.json().error.code).toBe('TOTP_INVALID');
  });

  it('SEC-1: an enrolment link works once', async () => {
    const s = await staffMember(['reviewer']);
    const again = await post(t, '/api/auth/enrolment/start', { token: s.token });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('ENROLMENT_INVALID');
  });

  it('SEC-1: a number without a staff account gets no code for the staff console', async () => {
    const res = await post(t, '/api/auth/code', { phone: testPhone(), app: 'staff' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('STAFF_NOT_FOUND');
  });

  it('SEC-1: roles are enforced before handlers: doctors and reviewers cannot read or verify the audit log', async () => {
    const doctor = await signIn(t);
    const reviewer = await staffMember(['reviewer']);
    const officer = await staffMember(['security_officer']);
    expect((await get(t, '/api/admin/audit', doctor.cookie)).statusCode).toBe(403);
    expect((await get(t, '/api/admin/dev-outbox', doctor.cookie)).statusCode).toBe(403);
    expect((await get(t, '/api/admin/audit', reviewer.cookie)).statusCode).toBe(403);
    expect((await get(t, '/api/admin/audit', officer.cookie)).statusCode).toBe(200);
    const verified = await post(t, '/api/admin/audit/verify', {}, officer.cookie);
    expect(verified.json()).toMatchObject({ ok: true, firstBroken: null });
    // Staff accounts cannot use the doctor/patient consent routes either.
    expect((await get(t, '/api/consents/sensitive/onboarding', officer.cookie)).json().error.code).toBe('WRONG_APP');
  });

  it('SEC-1: the staff verification of the audit chain is itself audited', async () => {
    const officer = await staffMember(['privacy_officer']);
    await post(t, '/api/admin/audit/verify', {}, officer.cookie);
    const entry = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'audit.verified')
      .where('actor_id', '=', officer.me.id)
      .executeTakeFirst();
    expect(entry).toBeDefined();
  });

  it('ACC-1: the dev outbox shows codes only to staff, and says no SMS was sent', async () => {
    const s = await staffMember(['support']);
    const res = await get(t, '/api/admin/dev-outbox', s.cookie);
    expect(res.json().enabled).toBe(true);
    expect(res.json().messages[0].text).toMatch(/验证码/);
    expect((await get(t, '/api/admin/dev-outbox')).statusCode).toBe(401);
  });
});

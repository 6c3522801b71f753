import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  ORIGIN,
  policyProof,
  post,
  sessionCookie,
  testPhone,
  type TestApp,
} from '../../../test/harness.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import { TABLE_OWNERS } from '../../privacy/inventory/owners.js';
import type { PersonalDataPort } from '../../privacy/subject-data/ports.js';
import { createIdentityPort } from './identity.port.js';

let t: TestApp;
let port: PersonalDataPort;
beforeAll(async () => {
  t = await createTestApp();
  port = createIdentityPort({ keys: t.app.services.keys });
});
afterAll(async () => t.close());

function patch(url: string, payload: object, cookie: string) {
  return t.app.inject({ method: 'PATCH', url, payload, headers: { origin: ORIGIN, cookie } });
}

/** Phone sign-in through the API from a given browser and address (the canaries of sessions and consents). */
async function signInFrom(app: 'patient' | 'staff', phone: string, userAgent: string, ip: string) {
  const proof = app === 'staff' ? {} : { policyConsent: await policyProof(t) };
  const headers = { 'user-agent': userAgent };
  const sent = await post(t, '/api/auth/code', { phone, app, ...proof }, undefined, headers, ip);
  expect(sent.statusCode).toBe(200);
  const code = t.sms.latestCodeFor(phone);
  const res = await post(t, '/api/auth/verify', { phone, code, app, ...proof }, undefined, headers, ip);
  expect(res.statusCode).toBe(200);
  return { cookie: sessionCookie(res), userId: res.json().id as string };
}

async function patient(c: { ua: string; ip: string; name: string; ageBand: string; sex: string; locale: string }) {
  const phone = testPhone();
  const s = await signInFrom('patient', phone, c.ua, c.ip);
  const res = await patch(
    '/api/me',
    { displayName: c.name, ageBand: c.ageBand, sex: c.sex, locale: c.locale },
    s.cookie,
  );
  expect(res.statusCode).toBe(200);
  // One more code asked for (after the resend wait) and never used: a second challenge row for this phone.
  t.clock.advance(61_000);
  expect(
    (
      await post(
        t,
        '/api/auth/code',
        { phone, app: 'patient', policyConsent: await policyProof(t) },
        undefined,
        {},
        c.ip,
      )
    ).statusCode,
  ).toBe(200);
  return { ...s, phone };
}

function totpNow(secret: string, stepsAhead = 0) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });
}

const tokenOf = (link: string) => new URL(link).hash.replace('#token=', '');

const rawUser = (id: string) => t.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const sessionsOf = (id: string) => t.db.selectFrom('sessions').selectAll().where('user_id', '=', id).execute();
const challengesOf = (bidx: Buffer) =>
  t.db.selectFrom('otp_challenges').selectAll().where('phone_bidx', '=', bidx).execute();
const eraseInTransaction = (userId: string) =>
  t.db.transaction().execute((trx) => port.erase(trx, { userId }, 'delete'));

/** Decrypting one of the person's ciphertexts after erasure: must fail, the key is gone. */
async function expectUnreadable(userId: string, table: string, column: string, rowId: string, blob: Buffer) {
  await expect(t.app.services.keys.decryptText(t.db, userId, { table, column, rowId }, blob)).rejects.toMatchObject({
    code: 'DATA_ERASED',
  });
}

describe('identity personal-data port', () => {
  it('SEC-2: describe() claims exactly the personal columns of the identity tables', () => {
    const owner = 'features/identity/identity.repo.ts';
    const expected = personalColumns()
      .filter((c) => TABLE_OWNERS[c.table as keyof typeof TABLE_OWNERS] === owner)
      .map((c) => `${c.table}.${c.column}`)
      .sort();
    const { owner: claimed, columns } = port.describe();
    expect(claimed).toBe(owner);
    const listed = Object.entries(columns).flatMap(([table, cols]) => cols!.map((c) => `${table}.${c}`));
    expect(listed.sort()).toEqual(expected);
  });

  it("SEC-2: a patient's account, sessions and sign-in codes are exported decrypted, then erased; another patient's stay", async () => {
    const a = await patient({
      ua: 'CanaryAgentA7Q3/1.0 (Linux; Android 14)',
      ip: '198.51.100.73',
      name: 'Canary-Name-A7Q3',
      ageBand: '30-39',
      sex: 'female',
      locale: 'en',
    });
    const b = await patient({
      ua: 'CanaryAgentB9K2/1.0 (iPhone)',
      ip: '198.51.100.92',
      name: 'Canary-Name-B9K2',
      ageBand: '60-69',
      sex: 'male',
      locale: 'zh-CN',
    });

    const exported = await port.export(t.db, { userId: a.userId });
    const text = JSON.stringify(exported.data);
    for (const canary of [a.phone, 'Canary-Name-A7Q3', 'CanaryAgentA7Q3/1.0 (Linux; Android 14)', '198.51.100.73'])
      expect(text).toContain(canary);
    const account = exported.data.account as Record<string, unknown>;
    expect(account).toMatchObject({ id: a.userId, ageBand: '30-39', sex: 'female', locale: 'en', phone: a.phone });
    expect((exported.data.sessions as unknown[]).length).toBe(1);
    expect((exported.data.signInCodes as unknown[]).length).toBe(2);
    for (const canary of [b.phone, b.userId, 'Canary-Name-B9K2', 'CanaryAgentB9K2', '198.51.100.92', '60-69', '"male"'])
      expect(text).not.toContain(canary);
    expect(exported.files).toEqual([]);

    const before = await rawUser(a.userId);
    const sessionsBefore = await sessionsOf(a.userId);
    expect(sessionsBefore).toHaveLength(1);
    expect(await challengesOf(before.phone_bidx)).toHaveLength(2);

    const steps = await eraseInTransaction(a.userId);
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'users', action: 'anonymised', rows: 1 }),
        { table: 'sessions', action: 'deleted', rows: 1 },
        { table: 'otp_challenges', action: 'deleted', rows: 2 },
      ]),
    );

    // The tombstone row: optional columns gone, the phone's blind index replaced, its ciphertext unreadable.
    const after = await rawUser(a.userId);
    expect(after).toMatchObject({
      display_name_enc: null,
      age_band_enc: null,
      sex_enc: null,
      totp_secret_enc: null,
      locale: 'zh-CN',
      status: 'cancelled',
    });
    expect(after.phone_bidx.equals(before.phone_bidx)).toBe(false);
    await expectUnreadable(a.userId, 'users', 'phone_enc', a.userId, after.phone_enc);
    await expectUnreadable(a.userId, 'users', 'display_name_enc', a.userId, before.display_name_enc!);
    await expectUnreadable(a.userId, 'sessions', 'ip_enc', sessionsBefore[0]!.id, sessionsBefore[0]!.ip_enc!);
    expect(await sessionsOf(a.userId)).toHaveLength(0);
    expect(await challengesOf(before.phone_bidx)).toHaveLength(0);
    expect(JSON.stringify(await port.export(t.db, { userId: a.userId }))).not.toContain('Canary-Name-A7Q3');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: a.cookie } })).statusCode).toBe(401);

    // The other patient is untouched.
    const other = await port.export(t.db, { userId: b.userId });
    expect(other.data.account).toMatchObject({ phone: b.phone, displayName: 'Canary-Name-B9K2', sex: 'male' });
    expect(await sessionsOf(b.userId)).toHaveLength(1);
    expect(await challengesOf((await rawUser(b.userId)).phone_bidx)).toHaveLength(2);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: b.cookie } })).statusCode).toBe(200);

    // The number is free again: signing in with it makes a new account.
    const again = await signInFrom('patient', a.phone, 'x', '198.51.100.74');
    expect(again.userId).not.toBe(a.userId);
  });

  it("SEC-2: a staff member's authenticator secrets are never exported; roles, enrolments and grants are erased", async () => {
    const phone = testPhone();
    const staff = t.app.services.staff;
    const first = await staff.createStaff({ phone, roles: ['admin', 'support'], grantedBy: null });
    const { secretBase32 } = await staff.startEnrolment(tokenOf(first.enrolmentLink));
    const finished = await post(t, '/api/auth/enrolment/finish', {
      token: tokenOf(first.enrolmentLink),
      code: totpNow(secretBase32),
    });
    expect(finished.statusCode).toBe(200);
    // A second link, opened but not finished: its pending secret is stored.
    const second = await staff.createStaff({ phone, roles: [], grantedBy: null });
    const pending = await staff.startEnrolment(tokenOf(second.enrolmentLink));
    const s = await signInFrom('staff', phone, 'CanaryStaffAgent-S5/2.0', '198.51.100.55');
    const full = await post(t, '/api/auth/totp', { code: totpNow(secretBase32, 1) }, s.cookie);
    expect(full.statusCode).toBe(200);
    expect(
      (await patch('/api/me', { displayName: 'Canary-Staff-S5', locale: 'en' }, sessionCookie(full))).statusCode,
    ).toBe(200);
    // Another staff member, given a role by the first.
    const otherPhone = testPhone();
    const other = await staff.createStaff({ phone: otherPhone, roles: ['reviewer'], grantedBy: first.userId });

    const exported = await port.export(t.db, { userId: first.userId });
    const text = JSON.stringify(exported.data);
    for (const canary of [phone, 'Canary-Staff-S5', 'CanaryStaffAgent-S5/2.0', '198.51.100.55'])
      expect(text).toContain(canary);
    expect(exported.data.account).toMatchObject({ locale: 'en', authenticator: { enrolled: true } });
    expect(exported.data.staffRoles).toEqual([
      expect.objectContaining({ role: 'admin', grantedBy: 'system' }),
      expect.objectContaining({ role: 'support', grantedBy: 'system' }),
    ]);
    expect(exported.data.rolesYouGranted).toEqual([expect.objectContaining({ role: 'reviewer' })]);
    expect(exported.data.staffEnrolments).toEqual([
      expect.objectContaining({ pendingAuthenticatorSecret: false }),
      expect.objectContaining({ pendingAuthenticatorSecret: true }),
    ]);
    for (const secret of [secretBase32, pending.secretBase32, otherPhone, other.userId])
      expect(text).not.toContain(secret);

    const enrolmentsBefore = await t.db
      .selectFrom('staff_enrolments')
      .selectAll()
      .where('user_id', '=', first.userId)
      .execute();
    const withPending = enrolmentsBefore.find((e) => e.pending_secret_enc !== null)!;
    const steps = await eraseInTransaction(first.userId);
    expect(steps).toEqual(
      expect.arrayContaining([
        { table: 'staff_enrolments', action: 'deleted', rows: 2 },
        { table: 'staff_roles', action: 'deleted', rows: 2 },
        { table: 'staff_roles', action: 'anonymised', rows: 1 },
        { table: 'sessions', action: 'deleted', rows: 2 },
      ]),
    );

    expect(await rawUser(first.userId)).toMatchObject({
      totp_secret_enc: null,
      totp_enrolled_at: null,
      display_name_enc: null,
      status: 'cancelled',
    });
    await expectUnreadable(
      first.userId,
      'staff_enrolments',
      'pending_secret_enc',
      withPending.id,
      withPending.pending_secret_enc!,
    );
    expect(
      await t.db.selectFrom('staff_enrolments').select('id').where('user_id', '=', first.userId).execute(),
    ).toEqual([]);
    expect(await t.db.selectFrom('staff_roles').select('role').where('user_id', '=', first.userId).execute()).toEqual(
      [],
    );
    expect(await sessionsOf(first.userId)).toHaveLength(0);
    // The other staff member keeps their role; only the link to who granted it is gone.
    expect(await t.db.selectFrom('staff_roles').selectAll().where('user_id', '=', other.userId).execute()).toEqual([
      expect.objectContaining({ role: 'reviewer', granted_by: null }),
    ]);
    expect((await port.export(t.db, { userId: other.userId })).data.account).toMatchObject({ phone: otherPhone });
  });

  it('SEC-2: corrections are validated and stored encrypted, as in 我的/Me', async () => {
    const c = await patient({
      ua: 'u',
      ip: '198.51.100.31',
      name: 'Old name',
      ageBand: '20-29',
      sex: 'male',
      locale: 'zh-CN',
    });
    const subject = { userId: c.userId };
    expect(port.correctable).toEqual(['displayName', 'locale', 'ageBand', 'sex']);
    await port.correct!(t.db, subject, 'displayName', '  New name  ');
    await port.correct!(t.db, subject, 'locale', 'en');
    await port.correct!(t.db, subject, 'ageBand', '40-49');
    await port.correct!(t.db, subject, 'sex', '');
    const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: c.cookie } })).json();
    expect(me).toMatchObject({ displayName: 'New name', locale: 'en', ageBand: '40-49', sex: null });
    expect((await rawUser(c.userId)).display_name_enc!.toString('utf8')).not.toContain('New name');
    for (const [field, value] of [
      ['displayName', '   '],
      ['displayName', 'x'.repeat(41)],
      ['locale', 'fr'],
      ['ageBand', '31'],
      ['sex', 'other'],
      ['phone', '13900000000'],
    ] as const)
      await expect(port.correct!(t.db, subject, field, value)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const s = await t.app.services.staff.createStaff({ phone: testPhone(), roles: ['support'], grantedBy: null });
    await expect(port.correct!(t.db, { userId: s.userId }, 'sex', 'female')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

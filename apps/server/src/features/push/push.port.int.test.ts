import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushPreferencesBody } from '@anxin/contracts';
import { createTestApp, ORIGIN, post, signIn, testPhone, type TestApp } from '../../../test/harness.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import { TABLE_OWNERS } from '../../privacy/inventory/owners.js';
import { createPushPort } from './push.port.js';

let t: TestApp;
let port: ReturnType<typeof createPushPort>;
beforeAll(async () => {
  t = await createTestApp();
  port = createPushPort({ keys: t.app.services.keys });
});
afterAll(async () => t.close());

/** A browser subscription with a real P-256 key and auth secret; the token is a canary nobody else has. */
function browser(endpointBase: string, label: string) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const token = `CANARY-${label}-${crypto.randomBytes(8).toString('hex')}`;
  return {
    token,
    host: new URL(endpointBase).host,
    body: {
      endpoint: `${endpointBase}/${token}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: crypto.randomBytes(16).toString('base64url') },
    },
  };
}

/** Signs in (a new session each time) and subscribes that session's browser through the API. */
async function subscribedSession(phone: string, endpointBase: string, label: string) {
  const user = await signIn(t, 'patient', phone, { keepSignedIn: true });
  const b = browser(endpointBase, label);
  const res = await post(t, '/api/push/subscriptions', b.body, user.cookie);
  expect(res.statusCode, res.body).toBe(200);
  return { ...user, id: user.me.id as string, browser: b };
}

async function setPreferences(cookie: string, body: PushPreferencesBody) {
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/push/preferences',
    payload: body,
    headers: { cookie, origin: ORIGIN },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const subscriptionsOf = (userId: string) =>
  t.db.selectFrom('push_subscriptions').selectAll().where('user_id', '=', userId).execute();
const preferencesOf = (userId: string) =>
  t.db.selectFrom('push_preferences').selectAll().where('user_id', '=', userId).execute();

describe('push personal-data port', () => {
  it('SEC-2: the push port answers for exactly the personal columns of push_subscriptions and push_preferences', () => {
    const { owner, columns } = port.describe();
    const personal = (table: string) =>
      personalColumns()
        .filter((c) => c.table === table)
        .map((c) => c.column)
        .sort();
    expect(owner).toBe(TABLE_OWNERS.push_subscriptions);
    expect(owner).toBe(TABLE_OWNERS.push_preferences);
    expect(Object.keys(columns).sort()).toEqual(['push_preferences', 'push_subscriptions']);
    expect([...columns.push_subscriptions!].sort()).toEqual(personal('push_subscriptions'));
    expect([...columns.push_preferences!].sort()).toEqual(personal('push_preferences'));
    expect(port.correct).toBeUndefined();
  });

  it("SEC-2: export shows the person's devices and settings but not their push secrets; erase leaves nothing of them", async () => {
    const phoneA = testPhone();
    // The first person: two devices (Firefox and Safari) and quiet hours with canary values in every setting.
    const a1 = await subscribedSession(phoneA, 'https://updates.push.services.mozilla.com/wpush/v2', 'A1');
    t.clock.advance(61_000); // the sign-in code resend delay, before the second device signs in
    const a2 = await subscribedSession(phoneA, 'https://web.push.apple.com', 'A2');
    expect(a2.id).toBe(a1.id);
    await setPreferences(a1.cookie, {
      categories: { messages: false, calls: true, consultations: false, review: true },
      quietHours: { enabled: true, start: '03:17', end: '04:41', timeZone: 'Pacific/Chatham' },
    });
    // The second person: Chrome, other settings.
    const b = await subscribedSession(testPhone(), 'https://fcm.googleapis.com/fcm/send', 'B');
    await setPreferences(b.cookie, {
      categories: { messages: true, calls: false, consultations: true, review: false },
      quietHours: { enabled: true, start: '21:13', end: '06:29', timeZone: 'America/Havana' },
    });
    const aRows = await subscriptionsOf(a1.id);
    expect(aRows).toHaveLength(2);

    const exported = await port.export(t.db, { userId: a1.id });
    expect(exported.files).toEqual([]);
    const text = JSON.stringify(exported.data);
    // service (clear) and the host of the endpoint, decrypted from subscription_enc.
    for (const needle of ['webpush_mozilla', 'webpush_apple', a1.browser.host, a2.browser.host])
      expect(text).toContain(needle);
    const subs = exported.data.pushSubscriptions as Array<Record<string, unknown>>;
    expect(subs.map((s) => s.id).sort()).toEqual(aRows.map((r) => r.id).sort());
    expect(subs.map((s) => s.pushServiceHost).sort()).toEqual([a2.browser.host, a1.browser.host].sort());
    expect(subs.every((s) => typeof s.subscribedAt === 'string')).toBe(true);
    expect(exported.data.notificationSettings).toMatchObject({
      categories: { messages: false, calls: true, consultations: false, review: true },
      quietHours: { enabled: true, start: '03:17', end: '04:41', timeZone: 'Pacific/Chatham' },
    });
    // Withheld on purpose (see push.port.ts): the push token, the browser's keys and the blind index.
    for (const s of [a1, a2]) {
      for (const secret of [s.browser.token, s.browser.body.keys.p256dh, s.browser.body.keys.auth])
        expect(text).not.toContain(secret);
    }
    for (const r of aRows) {
      expect(text).not.toContain(r.endpoint_bidx.toString('hex'));
      expect(text).not.toContain(r.endpoint_bidx.toString('base64'));
    }
    // Nothing of the second person.
    for (const needle of [b.browser.token, b.browser.host, 'webpush_google', '21:13', '06:29', 'America/Havana'])
      expect(text).not.toContain(needle);

    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a1.id }, 'delete'));
    expect(steps).toEqual([
      { table: 'push_subscriptions', action: 'deleted', rows: 2 },
      { table: 'push_preferences', action: 'deleted', rows: 1 },
    ]);

    // Raw rows: no subscription (so no service, blind index or sealed endpoint) and no settings of the first person.
    expect(await subscriptionsOf(a1.id)).toEqual([]);
    expect(await preferencesOf(a1.id)).toEqual([]);
    const everyBidx = (await t.db.selectFrom('push_subscriptions').select('endpoint_bidx').execute()).map((r) =>
      r.endpoint_bidx.toString('hex'),
    );
    for (const r of aRows) expect(everyBidx).not.toContain(r.endpoint_bidx.toString('hex'));
    const everyPreference = JSON.stringify(await t.db.selectFrom('push_preferences').selectAll().execute());
    for (const needle of ['03:17', '04:41', 'Pacific/Chatham']) expect(everyPreference).not.toContain(needle);
    expect(await port.export(t.db, { userId: a1.id })).toEqual({
      data: { pushSubscriptions: [], notificationSettings: null },
      files: [],
    });

    // The second person's subscription still decrypts to their browser, and their settings are intact.
    const [bRow] = await subscriptionsOf(b.id);
    const stored = JSON.parse(
      await t.app.services.keys.decryptText(
        t.db,
        b.id,
        { table: 'push_subscriptions', column: 'subscription_enc', rowId: bRow!.id },
        bRow!.subscription_enc,
      ),
    ) as { endpoint: string; keys: { auth: string } };
    expect(stored.endpoint).toBe(b.browser.body.endpoint);
    expect(stored.keys.auth).toBe(b.browser.body.keys.auth);
    expect(await preferencesOf(b.id)).toMatchObject([
      { quiet_start: '21:13', quiet_end: '06:29', time_zone: 'America/Havana', calls: false, review: false },
    ]);
  });

  it('SEC-2: anonymising deletes the subscriptions too; settings never changed count as 0 rows', async () => {
    const a = await subscribedSession(testPhone(), 'https://fcm.googleapis.com/fcm/send', 'C');
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.id }, 'anonymise'));
    expect(steps).toEqual([
      { table: 'push_subscriptions', action: 'deleted', rows: 1 },
      { table: 'push_preferences', action: 'deleted', rows: 0 },
    ]);
    expect(await subscriptionsOf(a.id)).toEqual([]);
  });
});

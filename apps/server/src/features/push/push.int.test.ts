import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pino from 'pino';
import webpush from 'web-push';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PushPayload } from '@anxin/contracts';
import { localMinutes } from '@anxin/domain';
import { createTestApp, get, ORIGIN, post, signIn, type TestApp } from '../../../test/harness.js';
import { staffCookie } from '../../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../../../test/consultation-fixtures.js';
import { startJobs, type JobRunner } from '../../jobs/jobs.js';
import {
  ChannelRegistry,
  fetchTransport,
  VENDOR_CHANNELS,
  WebPushChannel,
  type PushChannel,
  type PushHttpRequest,
} from './channels.js';
import { buildPushPayload } from './push-payload.js';
import { pushJobs, startPushDispatcher, type PushDispatcher } from './push.jobs.js';
import { PushService } from './push.service.js';
import { deriveKeys } from '../../crypto/master-key.js';
import { KeyStore } from '../../crypto/key-store.js';

const log = pino({ level: 'silent' });
const PUSH_HOST = 'https://fcm.googleapis.com';

// ---- a fake browser: a real P-256 key pair and auth secret, and RFC 8291 decryption -------------------------

interface FakeBrowser {
  ecdh: crypto.ECDH;
  auth: Buffer;
  token: string;
  body: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

function fakeBrowser(host = PUSH_HOST): FakeBrowser {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  const token = crypto.randomBytes(16).toString('hex');
  return {
    ecdh,
    auth,
    token,
    body: {
      endpoint: `${host}/fcm/send/${token}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    },
  };
}

const hmac = (key: Buffer, data: Buffer) => crypto.createHmac('sha256', key).update(data).digest();

/** RFC 8291 (aes128gcm, RFC 8188 framing), written from the RFC with node:crypto only. */
function decryptAes128gcm(body: Buffer, browser: FakeBrowser): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLen = body.readUInt8(20);
  const serverPublic = body.subarray(21, 21 + idLen);
  const records = body.subarray(21 + idLen);
  expect(records.length).toBeLessThanOrEqual(recordSize);
  const ecdhSecret = browser.ecdh.computeSecret(serverPublic);
  const prkKey = hmac(browser.auth, ecdhSecret);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0', 'utf8'),
    browser.ecdh.getPublicKey(),
    serverPublic,
    Buffer.from([1]),
  ]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12);
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // Last record: content, then the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  expect(padded[end]).toBe(2);
  return padded.subarray(0, end).toString('utf8');
}

// ---- a local HTTP server acting as the push service --------------------------------------------------------

interface Received {
  token: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
const received: Received[] = [];
/** Statuses to answer per token, in order; 201 when none is queued. */
const answers = new Map<string, number[]>();
let pushServer: http.Server;
let pushServerUrl: string;

const to = (token: string) => received.filter((r) => r.token === token);

let t: TestApp;
let push: PushService;
let jobs: JobRunner;
let dispatcher: PushDispatcher;
let channels: ChannelRegistry;
let reviewer: { cookie: string };

/** Sends the real HTTP request, only to the local server instead of the vendor's host. */
const localTransport = (req: PushHttpRequest) =>
  fetchTransport({ ...req, url: req.url.replace(PUSH_HOST, pushServerUrl) });

async function startWorkers() {
  jobs = await startJobs({
    connectionString: t.dbUrl,
    definitions: pushJobs(push, channels),
    db: t.db,
    clock: t.clock,
    log,
    pollingIntervalSeconds: 0.5,
  });
  dispatcher = startPushDispatcher({
    push,
    jobs,
    log,
    poll: false,
    retry: { retryLimit: 3, retryDelay: 1, retryBackoff: false },
  });
}
async function stopWorkers() {
  await dispatcher.stop();
  await jobs.stop();
}

async function waitFor(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Delivery jobs still queued or running (created, retry, active). */
async function pendingJobs(): Promise<number> {
  const res = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job
    where name = 'push.deliver' and state in ('created', 'retry', 'active')`.execute(t.db);
  return res.rows[0]!.n;
}

/** Drains the outbox and waits until every delivery job has settled. */
async function settle() {
  await dispatcher.drainNow();
  await waitFor(async () => (await pendingJobs()) === 0);
}

const del = (url: string, cookie: string) =>
  t.app.inject({ method: 'DELETE', url, headers: { cookie, origin: ORIGIN } });
const putJson = (url: string, payload: unknown, cookie: string) =>
  t.app.inject({ method: 'PUT', url, payload: payload as object, headers: { cookie, origin: ORIGIN } });

async function subscribed(app: 'doctor' | 'patient' = 'doctor', extra: Record<string, unknown> = {}) {
  const user = await signIn(t, app, undefined, { keepSignedIn: true, ...extra });
  const browser = fakeBrowser();
  const res = await post(t, '/api/push/subscriptions', browser.body, user.cookie);
  expect(res.statusCode, res.body).toBe(200);
  return { ...user, id: user.me.id as string, browser };
}

async function notify(userId: string, kind: string, data: Record<string, string> = {}) {
  await t.db.transaction().execute((trx) => t.app.services.notices.create(trx, userId, kind, data));
}

function payloadsFor(browser: FakeBrowser): PushPayload[] {
  return to(browser.token).map((r) => JSON.parse(decryptAes128gcm(r.body, browser)) as PushPayload);
}

const subscriptionsOf = (userId: string) =>
  t.db.selectFrom('push_subscriptions').selectAll().where('user_id', '=', userId).execute();

beforeAll(async () => {
  pushServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = (req.url ?? '').split('/').pop() ?? '';
      received.push({ token, headers: req.headers, body: Buffer.concat(chunks) });
      const status = answers.get(token)?.shift() ?? 201;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => pushServer.listen(0, '127.0.0.1', resolve));
  pushServerUrl = `http://127.0.0.1:${(pushServer.address() as AddressInfo).port}`;
  t = await createTestApp();
  push = t.app.services.push;
  channels = new ChannelRegistry([
    new WebPushChannel({ vapid: () => push.vapidDetails(), transport: localTransport }) as PushChannel,
  ]);
  await startWorkers();
  reviewer = await staffCookie(t, ['reviewer']);
}, 60_000);

afterAll(async () => {
  await stopWorkers();
  await t.close();
  await new Promise<void>((resolve) => pushServer.close(() => resolve()));
});

beforeEach(async () => {
  // Leftovers of earlier tests (e.g. review notices) never leak into the next test's assertions.
  await settle();
});

describe('VAPID keys and payload encryption', () => {
  it("NOT-2: a payload built by generateRequestDetails decrypts with the subscription's private key", async () => {
    const browser = fakeBrowser();
    const vapid = await push.vapidDetails();
    const consultationId = crypto.randomUUID();
    // The notice data carries a would-be leak next to the id: only the id may reach the payload.
    const payload = buildPushPayload({
      id: crypto.randomUUID(),
      kind: 'consultation.message',
      data: { consultationId, doctorName: '林安心', text: '我最近睡不着' },
      locale: 'zh-CN',
      app: 'patient',
    });
    const details = webpush.generateRequestDetails(browser.body, JSON.stringify(payload), {
      vapidDetails: vapid,
      contentEncoding: 'aes128gcm',
    });
    expect(details.headers['Content-Encoding']).toBe('aes128gcm');
    const body = Buffer.from(details.body as Buffer);
    expect(body.toString('latin1')).not.toContain('您有');
    const decrypted = JSON.parse(decryptAes128gcm(body, browser));
    expect(decrypted).toEqual({
      v: 1,
      title: '安心',
      body: '您有一条新消息',
      url: `/patient/consultations/${consultationId}`,
      tag: `consultation:${consultationId}`,
    });
    expect(JSON.stringify(decrypted)).not.toMatch(/林安心|睡不着|doctorName|text/);

    // The VAPID JWT is signed by the server's key (ES256) for the push service's origin.
    const auth = String(details.headers.Authorization);
    const m = /^vapid t=([^,]+), k=(.+)$/.exec(auth);
    expect(m).not.toBeNull();
    const [h, p, s] = m![1]!.split('.');
    expect(m![2]).toBe(vapid.publicKey);
    const raw = Buffer.from(vapid.publicKey, 'base64url');
    const key = crypto.createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const ok = crypto.verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s!, 'base64url'),
    );
    expect(ok).toBe(true);
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString()).aud).toBe(PUSH_HOST);
  });

  it('NOT-2: the VAPID key pair is made once, stored sealed, served publicly, and only the master key opens it', async () => {
    const user = await signIn(t, 'doctor');
    const res = await get(t, '/api/push/vapid-public-key', user.cookie);
    expect(res.statusCode).toBe(200);
    const vapid = await push.vapidDetails();
    expect(res.json()).toEqual({ publicKey: vapid.publicKey });
    const rows = await t.db.selectFrom('push_vapid_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    const privateRaw = Buffer.from(vapid.privateKey, 'base64url');
    expect(rows[0]!.private_key_enc.includes(Buffer.from(vapid.privateKey))).toBe(false);
    expect(rows[0]!.private_key_enc.includes(privateRaw)).toBe(false);
    // A second process (same master key) loads the same pair instead of making a new one.
    const derived = deriveKeys(t.masterKey);
    const again = new PushService({
      db: t.db,
      keys: new KeyStore(derived.kek),
      derived,
      clock: t.clock,
      vapidSubject: 'mailto:x@example.com',
    });
    expect((await again.vapidDetails()).privateKey).toBe(vapid.privateKey);
    const wrongDerived = deriveKeys(crypto.randomBytes(32));
    const wrong = new PushService({
      db: t.db,
      keys: new KeyStore(wrongDerived.kek),
      derived: wrongDerived,
      clock: t.clock,
      vapidSubject: 'mailto:x@example.com',
    });
    await expect(wrong.vapidDetails()).rejects.toThrow();
    expect(await t.db.selectFrom('push_vapid_keys').select('id').execute()).toHaveLength(1);
  });
});

describe('subscriptions', () => {
  it('NOT-2: only an https endpoint of a declared push service with well-formed keys is accepted, and it is stored encrypted once', async () => {
    const user = await signIn(t, 'doctor', undefined, { keepSignedIn: true });
    const b = fakeBrowser();
    const tryWith = (body: unknown) => post(t, '/api/push/subscriptions', body, user.cookie);

    const http1 = await tryWith({ ...b.body, endpoint: b.body.endpoint.replace('https:', 'http:') });
    expect(http1.statusCode).toBe(400);
    expect(http1.json().error).toMatchObject({ code: 'PUSH_ENDPOINT_INVALID', field: 'endpoint' });
    const port = await tryWith({ ...b.body, endpoint: `${PUSH_HOST}:8443/fcm/send/${b.token}` });
    expect(port.json().error.code).toBe('PUSH_ENDPOINT_INVALID');
    const undeclared = await tryWith({ ...b.body, endpoint: `https://push.evil.example/${b.token}` });
    expect(undeclared.statusCode).toBe(400);
    expect(undeclared.json().error.code).toBe('PUSH_SERVICE_UNSUPPORTED');
    expect(undeclared.json().error.message).toMatch(/浏览器/);
    const lookalike = await tryWith({ ...b.body, endpoint: `https://notify.windows.com.evil.example/${b.token}` });
    expect(lookalike.json().error.code).toBe('PUSH_SERVICE_UNSUPPORTED');
    const notAPoint = await tryWith({
      ...b.body,
      keys: { ...b.body.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url') },
    });
    expect(notAPoint.json().error).toMatchObject({ code: 'PUSH_KEYS_INVALID', field: 'keys.p256dh' });
    const shortAuth = await tryWith({ ...b.body, keys: { ...b.body.keys, auth: 'AAAAAAAAAAAAAAAAAAAA' } });
    expect(shortAuth.json().error).toMatchObject({ code: 'PUSH_KEYS_INVALID', field: 'keys.auth' });
    expect(await subscriptionsOf(user.me.id)).toHaveLength(0);

    expect((await tryWith(b.body)).statusCode).toBe(200);
    expect((await tryWith(b.body)).statusCode).toBe(200);
    const rows = await subscriptionsOf(user.me.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'webpush', app: 'doctor', service: 'webpush_google' });
    const stored = Buffer.concat([rows[0]!.subscription_enc, rows[0]!.endpoint_bidx]).toString('latin1');
    expect(stored).not.toContain(b.token);
    expect(stored).not.toContain(b.body.keys.auth);
    const pref = (await get(t, '/api/push/preferences', user.cookie)).json();
    expect(pref).toMatchObject({ thisDevice: true, devices: 1 });
    // Staff accounts have no push.
    const staff = await post(t, '/api/push/subscriptions', fakeBrowser().body, reviewer.cookie);
    expect(staff.statusCode).toBe(403);
  });

  it('NOT-1: signing out, or revoking that device from another, removes its subscription at once', async () => {
    const a = await subscribed('doctor');
    expect(await subscriptionsOf(a.id)).toHaveLength(1);
    expect((await post(t, '/api/auth/sign-out', {}, a.cookie)).statusCode).toBe(200);
    expect(await subscriptionsOf(a.id)).toHaveLength(0);

    const phone = a.phone;
    t.clock.advance(61_000); // the sign-in code resend delay
    const first = await signIn(t, 'doctor', phone, { keepSignedIn: true });
    const browser = fakeBrowser();
    expect((await post(t, '/api/push/subscriptions', browser.body, first.cookie)).statusCode).toBe(200);
    t.clock.advance(61_000);
    const second = await signIn(t, 'doctor', phone, { keepSignedIn: true });
    const sessions = (await get(t, '/api/me/sessions', second.cookie)).json().sessions as Array<{
      id: string;
      current: boolean;
    }>;
    const other = sessions.find((s) => !s.current)!;
    expect((await del(`/api/me/sessions/${other.id}`, second.cookie)).statusCode).toBe(200);
    expect(await subscriptionsOf(a.id)).toHaveLength(0);
    await notify(a.id, 'consultation.message', { consultationId: crypto.randomUUID() });
    await settle();
    expect(to(browser.token)).toHaveLength(0);
  });

  it('NOT-1: another user cannot delete my subscription', async () => {
    const mine = await subscribed('patient');
    const other = await signIn(t, 'patient');
    expect((await del('/api/push/subscriptions/current', other.cookie)).statusCode).toBe(200);
    expect(await subscriptionsOf(mine.id)).toHaveLength(1);
    // Nor by re-registering under their own account anything but an endpoint only my browser knows.
    const theirs = fakeBrowser();
    expect((await post(t, '/api/push/subscriptions', theirs.body, other.cookie)).statusCode).toBe(200);
    expect(await subscriptionsOf(mine.id)).toHaveLength(1);
  });

  it('NOT-1: after unsubscribing, only in-app notices remain', async () => {
    const user = await subscribed('patient');
    const consultationId = crypto.randomUUID();
    await notify(user.id, 'consultation.accepted', { consultationId });
    await settle();
    expect(to(user.browser.token)).toHaveLength(1);

    expect((await del('/api/push/subscriptions/current', user.cookie)).statusCode).toBe(200);
    expect(await subscriptionsOf(user.id)).toHaveLength(0);
    expect((await del('/api/push/subscriptions/current', user.cookie)).statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', user.id)
      .where('action', 'like', 'push.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['push.subscribed', 'push.unsubscribed']);

    await notify(user.id, 'consultation.ended', { consultationId });
    await settle();
    expect(to(user.browser.token)).toHaveLength(1);
    const notices = (await get(t, '/api/me/notices', user.cookie)).json();
    expect(notices.notices.map((n: { kind: string }) => n.kind).sort()).toEqual([
      'consultation.accepted',
      'consultation.ended',
    ]);
    expect((await get(t, '/api/push/preferences', user.cookie)).json()).toMatchObject({
      thisDevice: false,
      devices: 0,
    });
  });
});

describe('delivery through a push service', () => {
  it('NOT-1: 201 → delivered, with a content-free payload in the reader’s language and a link into their app', async () => {
    const user = await subscribed('doctor');
    await t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    const consultationId = crypto.randomUUID();
    await notify(user.id, 'consultation.requested', { consultationId });
    await settle();
    const got = to(user.browser.token);
    expect(got).toHaveLength(1);
    expect(got[0]!.headers['content-encoding']).toBe('aes128gcm');
    expect(got[0]!.headers.ttl).toBe(String(24 * 3600));
    expect(String(got[0]!.headers.authorization)).toMatch(/^vapid t=/);
    expect(payloadsFor(user.browser)).toEqual([
      {
        v: 1,
        title: 'Anxin',
        body: 'You have a new consultation request',
        url: `/consultations/${consultationId}`,
        tag: `consultation:${consultationId}`,
      },
    ]);
    const [row] = await subscriptionsOf(user.id);
    expect(row!.last_delivered_at).not.toBeNull();
  });

  it.each([410, 404])('NOT-1: %i from the push service deletes the subscription', async (status) => {
    const user = await subscribed('patient');
    answers.set(user.browser.token, [status]);
    await notify(user.id, 'consultation.accepted', { consultationId: crypto.randomUUID() });
    await settle();
    expect(to(user.browser.token)).toHaveLength(1);
    expect(await subscriptionsOf(user.id)).toHaveLength(0);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_role', 'details'])
      .where('subject_id', '=', user.id)
      .where('action', '=', 'push.unsubscribed')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_role: 'system', details: { reason: 'push_service_gone' } });
  });

  it('NOT-1: a 5xx is retried by the job until the push service accepts it', async () => {
    const user = await subscribed('doctor');
    answers.set(user.browser.token, [503, 500]);
    await notify(user.id, 'consultation.message', { consultationId: crypto.randomUUID() });
    await dispatcher.drainNow();
    await waitFor(() => to(user.browser.token).length >= 3, 20_000);
    await settle();
    expect(to(user.browser.token)).toHaveLength(3);
    const [row] = await subscriptionsOf(user.id);
    expect(row!.last_delivered_at).not.toBeNull();
    // Every attempt carried the same notification.
    expect(new Set(payloadsFor(user.browser).map((p) => p.tag)).size).toBe(1);
  }, 40_000);

  it('NOT-1: a rolled-back notice never pushes; a committed one survives a restart of the workers', async () => {
    const user = await subscribed('doctor');
    await t.db
      .transaction()
      .execute(async (trx) => {
        await t.app.services.notices.create(trx, user.id, 'consultation.message', {
          consultationId: crypto.randomUUID(),
        });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await t.db.selectFrom('push_outbox').select('id').execute()).toHaveLength(0);
    await settle();
    expect(to(user.browser.token)).toHaveLength(0);

    // Committed while no worker runs (the process "crashed"); a new process delivers it.
    await stopWorkers();
    await notify(user.id, 'consultation.message', { consultationId: crypto.randomUUID() });
    expect(await t.db.selectFrom('push_outbox').select('id').execute()).toHaveLength(1);
    await startWorkers();
    await settle();
    expect(to(user.browser.token)).toHaveLength(1);
    expect(await t.db.selectFrom('push_outbox').select('id').execute()).toHaveLength(0);
  }, 40_000);
});

describe('preferences and quiet hours', () => {
  it('NOT-1: categories and quiet hours are validated and stored per person', async () => {
    const user = await signIn(t, 'doctor');
    const defaults = (await get(t, '/api/push/preferences', user.cookie)).json();
    expect(defaults).toEqual({
      categories: { messages: true, calls: true, consultations: true, review: true },
      quietHours: { enabled: false, start: '22:00', end: '07:00', timeZone: 'Asia/Shanghai' },
      thisDevice: false,
      devices: 0,
    });
    const body = (quietHours: Record<string, unknown>) => ({
      categories: defaults.categories,
      quietHours: { ...defaults.quietHours, enabled: true, ...quietHours },
    });
    const same = await putJson('/api/push/preferences', body({ start: '22:00', end: '22:00' }), user.cookie);
    expect(same.statusCode).toBe(400);
    expect(same.json().error).toMatchObject({ code: 'PUSH_QUIET_HOURS_INVALID', field: 'quietHours.end' });
    const zone = await putJson('/api/push/preferences', body({ timeZone: 'Mars/Olympus' }), user.cookie);
    expect(zone.json().error.code).toBe('PUSH_TIME_ZONE_INVALID');
    const badTime = await putJson('/api/push/preferences', body({ start: '25:00' }), user.cookie);
    expect(badTime.statusCode).toBe(400);
    const saved = await putJson(
      '/api/push/preferences',
      {
        ...body({ start: '23:30', end: '06:45', timeZone: 'Asia/Urumqi' }),
        categories: { ...defaults.categories, review: false },
      },
      user.cookie,
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await get(t, '/api/push/preferences', user.cookie)).json()).toMatchObject({
      categories: { review: false, messages: true },
      quietHours: { enabled: true, start: '23:30', end: '06:45', timeZone: 'Asia/Urumqi' },
    });
  });

  it('NOT-1: a category switched off and quiet hours suppress the push; the in-app notice remains', async () => {
    const user = await subscribed('doctor');
    const prefs = (await get(t, '/api/push/preferences', user.cookie)).json();
    const consultationId = crypto.randomUUID();

    const messagesOff = await putJson(
      '/api/push/preferences',
      { categories: { ...prefs.categories, messages: false }, quietHours: prefs.quietHours },
      user.cookie,
    );
    expect(messagesOff.statusCode).toBe(200);
    await notify(user.id, 'consultation.message', { consultationId });
    await notify(user.id, 'consultation.requested', { consultationId });
    await settle();
    expect(payloadsFor(user.browser).map((p) => p.body)).toEqual(['您有一条新的问诊请求']);

    // Quiet hours around "now" in Beijing, crossing midnight when now is near it.
    const now = localMinutes(t.clock.now(), 'Asia/Shanghai');
    const hhmm = (m: number) => {
      const x = (m + 1440) % 1440;
      return `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
    };
    const quiet = await putJson(
      '/api/push/preferences',
      {
        categories: { ...prefs.categories, messages: true },
        quietHours: { enabled: true, start: hhmm(now - 60), end: hhmm(now + 60), timeZone: 'Asia/Shanghai' },
      },
      user.cookie,
    );
    expect(quiet.statusCode).toBe(200);
    await notify(user.id, 'consultation.requested', { consultationId: crypto.randomUUID() });
    await settle();
    expect(to(user.browser.token)).toHaveLength(1);

    // Outside the window (it ended an hour ago) pushes flow again.
    await putJson(
      '/api/push/preferences',
      {
        categories: prefs.categories,
        quietHours: { enabled: true, start: hhmm(now - 180), end: hhmm(now - 60), timeZone: 'Asia/Shanghai' },
      },
      user.cookie,
    );
    await notify(user.id, 'consultation.requested', { consultationId: crypto.randomUUID() });
    await settle();
    expect(to(user.browser.token)).toHaveLength(2);
    const kinds = (await get(t, '/api/me/notices', user.cookie)).json().notices.map((n: { kind: string }) => n.kind);
    expect(kinds).toHaveLength(4);
  });
});

describe('what a push carries', () => {
  it('NOT-2: no message text, name or phone number ever reaches a push (canary through a real consultation)', async () => {
    const doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '931');
    const doctorBrowser = fakeBrowser();
    expect((await post(t, '/api/push/subscriptions', doctorBrowser.body, doctor.cookie)).statusCode).toBe(200);
    const logStart = t.logs.length;

    const { patient, id } = await activeConsultation(t, doctor);
    const patientPhone = (await get(t, '/api/me', patient.cookie)).json().phoneMasked as string;
    const patientBrowser = fakeBrowser();
    expect((await post(t, '/api/push/subscriptions', patientBrowser.body, patient.cookie)).statusCode).toBe(200);
    const canary = '金丝雀-CANARY-7f3e 我想结束生命';
    const sent = await post(
      t,
      `/api/consultations/${id}/messages`,
      { clientId: crypto.randomUUID(), kind: 'text', text: canary },
      patient.cookie,
    );
    expect(sent.statusCode, sent.body).toBe(200);
    const reply = await post(
      t,
      `/api/consultations/${id}/messages`,
      { clientId: crypto.randomUUID(), kind: 'text', text: `回复 ${canary}` },
      doctor.cookie,
    );
    expect(reply.statusCode).toBe(200);
    await post(t, `/api/consultations/${id}/end`, {}, doctor.cookie);
    await settle();

    const doctorPushes = payloadsFor(doctorBrowser);
    const patientPushes = payloadsFor(patientBrowser);
    expect(doctorPushes.map((p) => p.body)).toEqual(expect.arrayContaining(['您有一条新的问诊请求', '您有一条新消息']));
    expect(patientPushes.map((p) => p.body)).toContain('您有一条新消息');

    const patientUser = await t.db
      .selectFrom('users')
      .select(['phone_enc'])
      .where('id', '=', patient.id)
      .executeTakeFirstOrThrow();
    const patientFullPhone = await t.app.services.keys.decryptText(
      t.db,
      patient.id,
      { table: 'users', column: 'phone_enc', rowId: patient.id },
      patientUser.phone_enc,
    );
    expect(patientFullPhone).toMatch(/^1\d{10}$/);
    const everything = [
      ...doctorPushes.map((p) => JSON.stringify(p)),
      ...patientPushes.map((p) => JSON.stringify(p)),
      ...to(doctorBrowser.token).map((r) => r.body.toString('latin1') + JSON.stringify(r.headers)),
      ...to(patientBrowser.token).map((r) => r.body.toString('latin1') + JSON.stringify(r.headers)),
    ].join('\n');
    for (const secret of ['CANARY', '金丝雀', '结束生命', '林安心', '失眠', patientFullPhone, patientPhone])
      expect(everything).not.toContain(secret);
    for (const p of [...doctorPushes, ...patientPushes])
      expect(Object.keys(p).sort()).toEqual(['body', 'tag', 'title', 'url', 'v']);

    // Nor does any endpoint or push token end up in the logs.
    const logs = t.logs.slice(logStart).join('\n');
    expect(logs).not.toContain(doctorBrowser.token);
    expect(logs).not.toContain(patientBrowser.token);
  }, 60_000);
});

describe('vendor channels', () => {
  it('NOT-2: vendor channels are declared in the policy with exactly token, model and OS, and cannot be selected', async () => {
    for (const c of VENDOR_CHANNELS) {
      expect(c.available).toBe(false);
      expect(() => new ChannelRegistry([c as PushChannel])).toThrow(/not available/);
      await expect(c.send()).rejects.toThrow(/not implemented/);
    }
    expect(channels.ids()).toEqual(['webpush']);
    const policy = (await get(t, '/api/policy/current?locale=zh-CN')).json().text as string;
    for (const name of ['华为推送服务', '小米推送服务', 'vivo 推送服务', 'OPPO 推送服务', '友盟+ U-Push']) {
      const line = policy.split('\n').find((l) => l.includes(name));
      expect(line, name).toBeDefined();
      expect(line).toContain('推送令牌（push token）、设备型号、操作系统版本');
      expect(line).toContain('本版本未启用');
    }
    for (const name of [
      'Google Firebase 云消息',
      'Mozilla 推送服务',
      'Apple 推送通知服务',
      'Microsoft Windows 推送通知服务',
    ]) {
      const line = policy.split('\n').find((l) => l.includes(name));
      expect(line, name).toBeDefined();
      expect(line).toContain('不提供设备型号');
      expect(line).not.toContain('未启用');
    }
    const en = (await get(t, '/api/policy/current?locale=en')).json().text as string;
    expect(en).toMatch(/HUAWEI Push Kit.*Push token, device model, operating system version.*Not used by this version/);
  });
});

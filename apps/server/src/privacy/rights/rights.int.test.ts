import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingDaysDue } from '@anxin/domain/calendar';
import { createTestApp, get, post, signIn, type TestApp } from '../../../test/harness.js';
import { staffCookie } from '../../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../../../test/consultation-fixtures.js';
import { FakeClock } from '../../platform/clock.js';
import { findPgTool, serverMajor } from '../../db/pg-tools.js';
import { verifyAuditChain } from '../audit/audit.js';
import { purgeEndedSessions } from '../../jobs/retention.jobs.js';
import { verifyCertificate } from './certificate.js';
import { shanghaiDay } from './rights.service.js';

let t: TestApp;
let officer: { cookie: string; id: string };
let support: { cookie: string; id: string };
/** Staff sessions end after 30 idle minutes of the (fake) clock: tests that move it by days sign staff in again. */
const staff = (role: 'privacy_officer' | 'support' | 'reviewer') => staffCookie(t, [role]);

/** Asks for a step-up code and makes the request with it. */
async function request(cookie: string, phone: string, body: Record<string, unknown>) {
  // One code a minute per number: the sign-in code was just sent.
  t.clock.advance(61_000);
  const sent = await post(t, '/api/me/step-up', {}, cookie);
  expect(sent.statusCode, sent.body).toBe(200);
  return post(t, '/api/me/requests', { ...body, code: t.sms.latestCodeFor(phone) }, cookie);
}

function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await staff('privacy_officer');
  support = await staff('support');
});
afterAll(async () => t?.close());

describe('requests are verified and get their legal due date (RIG-7)', () => {
  it('RIG-7: no request without a fresh code to the account’s own number; a wrong code is counted; the right one is accepted with a 30-day due date', async () => {
    const p = await signIn(t, 'patient');
    t.clock.advance(61_000);
    const none = await post(t, '/api/me/requests', { kind: 'export', code: '123456' }, p.cookie);
    expect(none.json().error.code).toBe('OTP_NOT_REQUESTED');
    const sent = await post(t, '/api/me/step-up', {}, p.cookie);
    expect(sent.json().sentTo).toBe(`${p.phone.slice(0, 3)}****${p.phone.slice(7)}`);
    const code = t.sms.latestCodeFor(p.phone);
    const wrong = await post(
      t,
      '/api/me/requests',
      { kind: 'export', code: code === '000000' ? '111111' : '000000' },
      p.cookie,
    );
    expect(wrong.json().error.code).toBe('OTP_INVALID');
    const ok = await post(t, '/api/me/requests', { kind: 'export', code }, p.cookie);
    expect(ok.statusCode, ok.body).toBe(201);
    const created = ok.json().request;
    const receivedDay = shanghaiDay(new Date(created.receivedAt));
    expect(created.dueOn).toBe(new Date(Date.parse(receivedDay) + 30 * 86_400_000).toISOString().slice(0, 10));
    // The code is used up: the same code does not make a second request.
    const again = await post(t, '/api/me/requests', { kind: 'export', code }, p.cookie);
    expect(again.json().error.code).toBe('OTP_EXPIRED');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('subject_id', '=', p.me.id)
      .where('action', 'like', 'rights.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['rights.step_up_sent', 'rights.step_up_failed', 'rights.requested']),
    );
  });

  it('RIG-7: a fourth export in 30 days is accepted and flagged for the officer, never refused for it', async () => {
    const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
    const flags: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(p.cookie, p.phone, { kind: 'export' });
      expect(res.statusCode, res.body).toBe(201);
    }
    const queue = (await get(t, '/api/admin/rights/requests', (await staff('privacy_officer')).cookie)).json().requests;
    for (const r of queue.filter((q: { subjectId: string }) => q.subjectId === p.me.id)) flags.push(r.flaggedRepeat);
    expect(flags.sort()).toEqual([false, false, false, true]);
  });

  it('RIG-7: support enters a request on someone’s behalf and records how identity was checked; an unknown number is a clear 404', async () => {
    const p = await signIn(t, 'doctor');
    const unknown = await post(
      t,
      '/api/admin/rights/requests',
      {
        app: 'doctor',
        phone: '13600009999',
        kind: 'export',
        verification: 'support_callback',
        verificationNote: '回拨登记号码核实',
      },
      support.cookie,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('SUBJECT_NOT_FOUND');
    const res = await post(
      t,
      '/api/admin/rights/requests',
      {
        app: 'doctor',
        phone: p.phone,
        kind: 'explanation',
        decision: 'onboarding_precheck',
        verification: 'support_callback',
        verificationNote: '已回拨账号手机号核实身份',
      },
      support.cookie,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().verification).toBe('support_callback');
    const detail = await post(
      t,
      `/api/admin/rights/requests/${res.json().id}/open`,
      { purpose: '处理解释请求' },
      officer.cookie,
    );
    expect(detail.json().verificationNote).toBe('已回拨账号手机号核实身份');
    // The person sees it among their own requests.
    const mine = (await get(t, '/api/me/requests', p.cookie)).json().requests;
    expect(mine.map((r: { id: string }) => r.id)).toContain(res.json().id);
    // Support may not decide: refusing is the privacy officer's.
    const refused = await post(
      t,
      `/api/admin/rights/requests/${res.json().id}/refuse`,
      { ground: 'malice_or_abuse', reason: '测试' },
      support.cookie,
    );
    expect(refused.statusCode).toBe(403);
  });

  it('RIG-7: a refusal names one of the stated grounds, and the person reads the ground and the reason; any other ground is a 400', async () => {
    const p = await signIn(t, 'patient');
    const r = (await request(p.cookie, p.phone, { kind: 'correction', details: '我的昵称显示有误' })).json().request;
    const bad = await post(
      t,
      `/api/admin/rights/requests/${r.id}/refuse`,
      { ground: 'too_busy', reason: '人手不足' },
      officer.cookie,
    );
    expect(bad.statusCode).toBe(400);
    const ok = await post(
      t,
      `/api/admin/rights/requests/${r.id}/refuse`,
      { ground: 'malice_or_abuse', reason: '同一内容已在 24 小时内提交 40 次' },
      officer.cookie,
    );
    expect(ok.statusCode, ok.body).toBe(200);
    const mine = (await get(t, '/api/me/requests', p.cookie))
      .json()
      .requests.find((x: { id: string }) => x.id === r.id);
    expect(mine.status).toBe('refused');
    expect(mine.refusal).toEqual({ ground: 'malice_or_abuse', reason: '同一内容已在 24 小时内提交 40 次' });
    const twice = await post(
      t,
      `/api/admin/rights/requests/${r.id}/refuse`,
      { ground: 'malice_or_abuse', reason: '再次拒绝同一请求' },
      officer.cookie,
    );
    expect(twice.json().error.code).toBe('RIGHTS_REQUEST_STATE');
  });
});

describe('correction and explanation (RIG-2, RIG-6)', () => {
  it('RIG-2: a correction request is completed by the privacy officer through the owning port; the change is audited without the value', async () => {
    const p = await signIn(t, 'patient');
    const r = (await request(p.cookie, p.phone, { kind: 'correction', details: '昵称应为 小林' })).json().request;
    const opened = await post(
      t,
      `/api/admin/rights/requests/${r.id}/open`,
      { purpose: '核对更正请求' },
      officer.cookie,
    );
    expect(opened.json().details).toBe('昵称应为 小林');
    expect(opened.json().correctable).toContain('displayName');
    const unknown = await post(
      t,
      `/api/admin/rights/requests/${r.id}/complete`,
      { response: '已按您的要求更正', correction: { field: 'idNumber', value: 'x' } },
      officer.cookie,
    );
    expect(unknown.json().error.code).toBe('CORRECTION_FIELD_UNKNOWN');
    const done = await post(
      t,
      `/api/admin/rights/requests/${r.id}/complete`,
      { response: '已将您的昵称更正为“小林”。', correction: { field: 'displayName', value: '小林' } },
      officer.cookie,
    );
    expect(done.statusCode, done.body).toBe(200);
    expect((await get(t, '/api/me', p.cookie)).json().displayName).toBe('小林');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details', 'purpose', 'actor_id'])
      .where('subject_id', '=', p.me.id)
      .where('action', 'in', ['rights.correction_applied', 'rights.viewed'])
      .execute();
    expect(audit.find((a) => a.action === 'rights.viewed')!.purpose).toBe('核对更正请求');
    const applied = audit.find((a) => a.action === 'rights.correction_applied')!;
    expect(applied.actor_id).toBe(officer.id);
    expect(JSON.stringify(applied.details)).not.toContain('小林');
    const mine = (await get(t, '/api/me/requests', p.cookie))
      .json()
      .requests.find((x: { id: string }) => x.id === r.id);
    expect(mine.status).toBe('completed');
    expect(mine.response).toBe('已将您的昵称更正为“小林”。');
  });

  it('RIG-6: a patient may ask for the crisis flag to be explained and reviewed by a person; the onboarding pre-check is a doctor’s decision only', async () => {
    const p = await signIn(t, 'patient');
    const wrong = await request(p.cookie, p.phone, { kind: 'explanation', decision: 'onboarding_precheck' });
    expect(wrong.statusCode).toBe(400);
    const ok = await request(p.cookie, p.phone, {
      kind: 'explanation',
      decision: 'crisis_flag',
      details: '为什么提示我有风险？',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const id = ok.json().request.id;
    await post(
      t,
      `/api/admin/rights/requests/${id}/complete`,
      { response: '提示由关键词检测触发，仅提醒医生关注；经人工复核，医生已确认并联系您。' },
      officer.cookie,
    );
    const mine = (await get(t, '/api/me/requests', p.cookie)).json().requests.find((x: { id: string }) => x.id === id);
    expect(mine).toMatchObject({ status: 'completed', decision: 'crisis_flag' });
  });
});

describe('a copy of my data (RIG-1)', () => {
  it('RIG-1: the export is a ZIP with a README, JSON per category equal to what every port exports, CSV tables and my photos; none of another person; it downloads once', async () => {
    officer = await staff('privacy_officer');
    const doctor = await approvedDoctor(t, (await staff('reviewer')).cookie, 'psychiatrist', '411');
    const { patient, id: consultation } = await activeConsultation(t, doctor);
    const other = await activeConsultation(t, doctor);
    const mine = 'CANARY-export-mine-7a1c';
    const theirs = 'CANARY-export-other-patient-0b2d';
    await post(
      t,
      `/api/consultations/${consultation}/messages`,
      { clientId: crypto.randomUUID(), kind: 'text', text: mine },
      patient.cookie,
    );
    await post(
      t,
      `/api/consultations/${other.id}/messages`,
      { clientId: crypto.randomUUID(), kind: 'text', text: theirs },
      other.patient.cookie,
    );
    const phone = patient.phone;

    const res = await request(patient.cookie, phone, { kind: 'export' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().request.id as string;
    expect(res.json().request.export.state).toBe('queued');
    const early = await get(t, `/api/me/requests/${id}/download`, patient.cookie);
    expect(early.json().error.code).toBe('EXPORT_NOT_READY');

    await t.app.services.rights.buildExport(id);
    const ready = (await get(t, '/api/me/requests', patient.cookie))
      .json()
      .requests.find((r: { id: string }) => r.id === id);
    expect(ready.status).toBe('completed');
    expect(ready.export).toMatchObject({ state: 'ready', progress: 100 });
    // The file on disk is ciphertext: the canary is not readable in it.
    const files = fs.readdirSync(path.join(t.config.dataDir, 'exports'));
    expect(files).toHaveLength(1);
    expect(fs.readFileSync(path.join(t.config.dataDir, 'exports', files[0]!)).includes(mine)).toBe(false);

    const dl = await get(t, `/api/me/requests/${id}/download`, patient.cookie);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/zip');
    const entries = await unzip(dl.rawPayload);
    const readme = entries.get('README.txt')!.toString('utf8');
    expect(readme).toContain('您的个人信息副本');
    expect(readme).toContain('Your copy of your data');
    const all = [...entries.values()].map((b) => b.toString('utf8')).join('\n');
    expect(all).toContain(mine);
    expect(all).toContain(phone);
    expect(all).not.toContain(theirs);
    expect(all).not.toContain(other.patient.id);
    // Completeness: each folder's data.json is exactly what its port exports for the person. Notices, the audit
    // log and the request's own timeline grew after the archive was written (the "ready" notice and entries).
    const grows = ['notices.repo.ts', 'audit.repo.ts', 'rights.repo.ts'];
    const folders = [...entries.entries()]
      .filter(([k]) => k.endsWith('/data.json'))
      .map(([, v]) => JSON.parse(v.toString('utf8')));
    for (const port of t.app.services.personalData.ports()) {
      const out = await port.export(t.db, { userId: patient.id });
      if (Object.keys(out.data).length === 0) continue;
      const owner = port.describe().owner;
      const same = grows.some((g) => owner.endsWith(g))
        ? folders.some((f) => JSON.stringify(Object.keys(f)) === JSON.stringify(Object.keys(out.data)))
        : folders.some((f) => JSON.stringify(f) === JSON.stringify(out.data));
      expect(same, owner).toBe(true);
    }
    expect([...entries.keys()].some((k) => k.endsWith('.csv'))).toBe(true);

    // Once: the second try is gone, and the file is deleted.
    const second = await get(t, `/api/me/requests/${id}/download`, patient.cookie);
    expect(second.statusCode).toBe(410);
    expect(second.json().error.code).toBe('EXPORT_GONE');
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync(path.join(t.config.dataDir, 'exports'))).toHaveLength(0);
    // Someone else's request is not theirs to download.
    expect((await get(t, `/api/me/requests/${id}/download`, other.patient.cookie)).statusCode).toBe(404);
  });

  it('RIG-1: an export not downloaded expires after 7 days and its file is deleted by the sweep', async () => {
    const p = await signIn(t, 'doctor');
    const id = (await request(p.cookie, p.phone, { kind: 'export' })).json().request.id;
    await t.app.services.rights.buildExport(id);
    t.clock.advance(7 * 86_400_000 + 1000);
    const swept = await t.app.services.rights.sweepExports();
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    const again = await signIn(t, 'doctor', p.phone);
    const gone = await get(t, `/api/me/requests/${id}/download`, again.cookie);
    expect(gone.json().error.code).toBe('EXPORT_GONE');
    const row = await t.db
      .selectFrom('rights_exports')
      .selectAll()
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    expect(row.file_key_enc).toBeNull();
  });
});

describe('erasure of some data and reminders (RIG-3, RIG-7)', () => {
  it('RIG-3: erasing "push devices" deletes them through the push port, keeps the account, and gives a certificate', async () => {
    const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
    const r = (await request(p.cookie, p.phone, { kind: 'erasure', erasureScope: 'push_devices' })).json().request;
    const missing = await request(p.cookie, p.phone, { kind: 'erasure' });
    expect(missing.json().error.code).toBe('RIGHTS_DETAILS_REQUIRED');
    await t.app.services.rights.process(r.id);
    const mine = (await get(t, '/api/me/requests', p.cookie))
      .json()
      .requests.find((x: { id: string }) => x.id === r.id);
    expect(mine).toMatchObject({ status: 'completed', certificateReady: true });
    const cert = await get(t, `/api/me/requests/${r.id}/certificate`, p.cookie);
    expect(cert.headers['content-disposition']).toMatch(/attachment/);
    expect(cert.json().certificate).toMatchObject({ kind: 'erasure', keyDestroyedAt: null });
    expect(cert.json().certificate.erased.map((e: { table: string }) => e.table)).toContain('push_subscriptions');
    expect((await get(t, '/api/me', p.cookie)).statusCode).toBe(200);
  });

  it('RIG-7: the daily reminder tells every privacy officer when open requests are due within 3 days', async () => {
    const po = await staff('privacy_officer');
    const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
    await request(p.cookie, p.phone, { kind: 'explanation', decision: 'crisis_flag' });
    const notices = () =>
      t.db
        .selectFrom('notices')
        .select('kind')
        .where('user_id', '=', po.id)
        .where('kind', '=', 'rights.due_soon')
        .execute();
    t.clock.advance(20 * 86_400_000);
    await t.app.services.rights.remind();
    const before = (await notices()).length;
    t.clock.advance(8 * 86_400_000);
    expect(await t.app.services.rights.remind()).toBeGreaterThan(0);
    expect((await notices()).length).toBeGreaterThan(before);
  });
});

describe('account cancellation (RIG-5, RIG-3)', () => {
  it('RIG-5: cancelling signs the person out everywhere at once; they can withdraw it by signing in again until it is processed', async () => {
    const p = await signIn(t, 'patient');
    t.clock.advance(61_000);
    const second = await signIn(t, 'patient', p.phone);
    const res = await request(p.cookie, p.phone, { kind: 'cancellation' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['set-cookie']).toMatch(/anxin_session=;/);
    expect((await get(t, '/api/me', p.cookie)).statusCode).toBe(401);
    expect((await get(t, '/api/me', second.cookie)).statusCode).toBe(401);
    t.clock.advance(61_000);
    const back = await signIn(t, 'patient', p.phone, { keepSignedIn: true });
    expect(back.me.id).toBe(p.me.id);
    const dup = await request(back.cookie, p.phone, { kind: 'cancellation' });
    expect(dup.json().error.code).toBe('RIGHTS_REQUEST_OPEN');
    const withdrawn = await post(t, `/api/me/requests/${res.json().request.id}/withdraw`, {}, back.cookie);
    expect(withdrawn.json().status).toBe('withdrawn');
    t.clock.advance(10 * 86_400_000);
    await t.app.services.rights.processDue();
    expect((await get(t, '/api/me', back.cookie)).statusCode).toBe(200);
  });

  it('RIG-5, RIG-3: on its due date the cancellation erases the person through every port, ends their consultations with a notice, hands an open crisis alert to support, and the number starts a new account', async () => {
    const doctor = await approvedDoctor(t, (await staff('reviewer')).cookie, 'psychiatrist', '412');
    const supportNow = await staff('support');
    expect((await get(t, '/api/admin/rights/holds', supportNow.cookie)).statusCode).toBe(403);
    const doctorPhone = doctor.phone;
    const { patient, id: consultation } = await activeConsultation(t, doctor);
    const phrase = 'CANARY-cancel-chat-我想跳楼-5e0f';
    await post(
      t,
      `/api/consultations/${consultation}/messages`,
      { clientId: crypto.randomUUID(), kind: 'text', text: phrase },
      patient.cookie,
    );
    const crisisOpen = await t.db
      .selectFrom('crisis_escalations')
      .select(['id', 'handed_over_at'])
      .where('consultation_id', '=', consultation)
      .executeTakeFirst();
    expect(crisisOpen, 'the phrase opens a crisis escalation').toBeDefined();

    const previewRes = await get(t, '/api/me/requests/cancellation-preview', doctor.cookie);
    expect(previewRes.statusCode, previewRes.body).toBe(200);
    const preview = previewRes.json();
    expect(preview.openConsultations).toBe(1);
    expect(preview.kept.length).toBeGreaterThanOrEqual(2);
    const res = await request(doctor.cookie, doctorPhone, { kind: 'cancellation' });
    expect(res.statusCode, res.body).toBe(201);
    const { request: created, certificateUrl } = res.json();
    const expected = workingDaysDue(shanghaiDay(new Date(created.receivedAt)), 5);
    expect(created.dueOn).toBe(expected.due);
    expect((await t.app.inject({ method: 'GET', url: certificateUrl })).json().error.code).toBe(
      'CERTIFICATE_NOT_READY',
    );

    // Not before its due date…
    await t.app.services.rights.processDue();
    expect(
      (await t.db.selectFrom('rights_requests').select('status').where('id', '=', created.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('received');
    // …and on it.
    const dueAt = Date.parse(`${created.dueOn}T00:30:00+08:00`);
    t.clock.advance(Math.max(0, dueAt - t.clock.now().getTime()));
    expect(await t.app.services.rights.processDue()).toBeGreaterThanOrEqual(1);

    const row = await t.db
      .selectFrom('rights_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('completed');
    const c = await t.db
      .selectFrom('consultations')
      .select(['status', 'ended_reason'])
      .where('id', '=', consultation)
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ status: 'ended', ended_reason: 'account_closed' });
    const notice = await t.db
      .selectFrom('notices')
      .select('kind')
      .where('user_id', '=', patient.id)
      .where('kind', '=', 'consultation.ended_account_closed')
      .execute();
    expect(notice).toHaveLength(1);
    const handed = await t.db
      .selectFrom('crisis_escalations')
      .select('handed_over_at')
      .where('id', '=', crisisOpen!.id)
      .executeTakeFirstOrThrow();
    expect(handed.handed_over_at).not.toBeNull();
    expect(
      await t.db.selectFrom('subject_keys').select('subject_id').where('subject_id', '=', doctor.id).execute(),
    ).toHaveLength(0);
    expect(
      await t.db.selectFrom('key_tombstones').select('subject_id').where('subject_id', '=', doctor.id).execute(),
    ).toHaveLength(1);
    // The medical record stays readable to the patient (the consultation's own key).
    const page = await get(t, `/api/consultations/${consultation}/messages`, patient.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(phrase);

    // The certificate: signed, names what was kept and until when, and the network-log hold.
    const cert = (await t.app.inject({ method: 'GET', url: certificateUrl })).json();
    expect(verifyCertificate(cert, t.app.services.rights.signer.publicKeyPem())).toMatchObject({ ok: true });
    expect(cert.certificate.keyDestroyedAt).not.toBeNull();
    expect(cert.certificate.kept.map((k: { table: string }) => k.table)).toEqual(
      expect.arrayContaining(['legal_holds', 'messages', 'audit_log']),
    );
    expect(cert.certificate.erased.map((k: { table: string }) => k.table)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'doctor_profiles']),
    );
    expect(cert.certificate.recipients.length).toBeGreaterThanOrEqual(1);
    const tampered = structuredClone(cert);
    tampered.certificate.kept = [];
    expect(verifyCertificate(tampered).ok).toBe(false);
    const holds = (await get(t, '/api/admin/rights/holds', (await staff('privacy_officer')).cookie)).json().holds;
    expect(holds.find((h: { requestId: string }) => h.requestId === created.id)).toMatchObject({
      category: 'device.network',
    });

    // The old account cannot sign in; the same number starts a brand-new one.
    t.clock.advance(61_000);
    const fresh = await signIn(t, 'doctor', doctorPhone);
    expect(fresh.me.id).not.toBe(doctor.id);
    expect((await get(t, '/api/me/requests', fresh.cookie)).json().requests).toEqual([]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);

    // No readable copy anywhere: a pg_dump of the database, the data folder and the server log hold none of the
    // doctor's values in clear.
    const pgDump = findPgTool('pg_dump', await serverMajor(t.db));
    const dump = spawnSync(pgDump, ['--no-owner', '--data-only', `--dbname=${t.dbUrl}`], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(dump.status, dump.stderr).toBe(0);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }))
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else files.push(path.join(dir, e.name));
    };
    walk(t.config.dataDir);
    const haystacks = [
      dump.stdout,
      t.logs.join('\n'),
      ...files.map((f) => fs.readFileSync(f).toString('latin1') + fs.readFileSync(f).toString('utf8')),
    ];
    const profile = await t.db
      .selectFrom('doctor_profiles')
      .select('user_id')
      .where('user_id', '=', doctor.id)
      .execute();
    expect(profile).toHaveLength(0);
    for (const canary of [doctorPhone, doctor.id.replace(/-/g, '') + 'never', phrase])
      for (const h of haystacks) expect(h.includes(canary), canary).toBe(false);
  });

  it('RIG-5: a cancellation asked on Fri 2026-09-18 is due Thu 2026-09-24: the make-up Sunday 09-20 counts, 中秋 09-25 does not', async () => {
    const clock = new FakeClock(new Date('2026-09-18T03:00:00Z'));
    const local = await createTestApp({ clock });
    try {
      const p = await signIn(local, 'patient');
      clock.advance(61_000);
      await post(local, '/api/me/step-up', {}, p.cookie);
      const res = await post(
        local,
        '/api/me/requests',
        { kind: 'cancellation', code: local.sms.latestCodeFor(p.phone) },
        p.cookie,
      );
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().request).toMatchObject({ dueOn: '2026-09-24', dueProvisional: false });
    } finally {
      await local.close();
    }
  });

  it('RIG-5: a due date in a year without holiday data is provisional (never later than the truth) and becomes exact when the officer adds the year’s notice', async () => {
    const clock = new FakeClock(new Date('2026-12-28T03:00:00Z'));
    const local = await createTestApp({ clock });
    try {
      const po = await staffCookie(local, ['privacy_officer']);
      const p = await signIn(local, 'patient');
      clock.advance(61_000);
      await post(local, '/api/me/step-up', {}, p.cookie);
      const res = await post(
        local,
        '/api/me/requests',
        { kind: 'cancellation', code: local.sms.latestCodeFor(p.phone) },
        p.cookie,
      );
      const provisional = res.json().request;
      expect(provisional.dueProvisional).toBe(true);
      const queue = (await get(local, '/api/admin/rights/requests', po.cookie)).json();
      expect(queue.calendarYearsWithoutData).toContain(2027);
      const alert = await local.db.selectFrom('notices').select('kind').where('user_id', '=', po.id).execute();
      expect(alert.map((n) => n.kind)).toContain('rights.calendar_missing');
      const bad = await post(
        local,
        '/api/admin/rights/calendar',
        { year: 2027, holidays: ['2026-01-01'], workdays: [] },
        po.cookie,
      );
      expect(bad.json().error.code).toBe('CALENDAR_NOTICE_INVALID');
      const added = await post(
        local,
        '/api/admin/rights/calendar',
        {
          year: 2027,
          holidays: ['2027-01-01'],
          workdays: [],
          source: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
        },
        po.cookie,
      );
      expect(added.statusCode, added.body).toBe(200);
      expect(added.json().yearsWithData).toContain(2027);
      clock.advance(61_000);
      const after = (await get(local, '/api/me/requests', (await signIn(local, 'patient', p.phone)).cookie)).json()
        .requests[0];
      expect(after.dueProvisional).toBe(false);
      expect(after.dueOn).toBe('2027-01-05');
      expect(after.dueOn >= provisional.dueOn).toBe(true);
    } finally {
      await local.close();
    }
  });
});

describe('retention (SEC-2, LOG-2)', () => {
  it('LOG-2: ended sessions (network logs: IP, browser) are kept 6 months, then deleted', async () => {
    const p = await signIn(t, 'patient');
    await post(t, '/api/auth/sign-out', {}, p.cookie);
    const count = () => t.db.selectFrom('sessions').select('id').where('user_id', '=', p.me.id).execute();
    const log = { info: () => undefined } as never;
    t.clock.advance(150 * 86_400_000);
    await purgeEndedSessions.handle({}, { db: t.db, clock: t.clock, log });
    expect(await count()).toHaveLength(1);
    t.clock.advance(40 * 86_400_000);
    await purgeEndedSessions.handle({}, { db: t.db, clock: t.clock, log });
    expect(await count()).toHaveLength(0);
  });

  it('SEC-2: a legal hold ends by itself: the retention job releases it and destroys its key', async () => {
    const holds = await t.db.selectFrom('legal_holds').selectAll().where('released_at', 'is', null).execute();
    expect(holds.length).toBeGreaterThan(0);
    t.clock.advance(200 * 86_400_000);
    const r = await t.app.services.rights.retention();
    expect(r.holdsReleased).toBe(holds.length);
    for (const h of holds) {
      const row = await t.db.selectFrom('legal_holds').selectAll().where('id', '=', h.id).executeTakeFirstOrThrow();
      expect(row.payload_enc).toBeNull();
      expect(
        await t.db.selectFrom('subject_keys').select('subject_id').where('subject_id', '=', h.id).execute(),
      ).toHaveLength(0);
    }
  });
});

describe('backups after a cancellation (RIG-5, RIG-3)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-rights-backup-'));
  // The embedded server runs as the postgres user when we are root; it must be able to reach the folder.
  fs.chmodSync(root, 0o755);
  const repoRoot = new URL('../../../../../', import.meta.url).pathname;
  const cli = (script: string, args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', `apps/server/src/cli/${script}`, ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
    });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('RIG-5: restoring a backup taken before a cancellation shows the person erased: key gone, number free, account cancelled', async () => {
    const p = await signIn(t, 'patient');
    const source = {
      DATABASE_URL: t.dbUrl,
      ANXIN_DATA_DIR: t.config.dataDir,
      ANXIN_MASTER_KEY: t.masterKey.toString('base64'),
    };
    const first = cli('backup.ts', ['--out', path.join(root, 'backups')], source);
    expect(first.status, first.stderr).toBe(0);
    const firstDir = /Backup written to (.*)/.exec(first.stdout)![1]!.trim();

    const id = (await request(p.cookie, p.phone, { kind: 'cancellation' })).json().request.id as string;
    await t.app.services.rights.process(id);
    const second = cli('backup.ts', ['--out', path.join(root, 'backups')], source);
    expect(second.status, second.stderr).toBe(0);
    const secondDir = /Backup written to (.*)/.exec(second.stdout)![1]!.trim();

    const dataB = path.join(root, 'restored');
    const restored = cli('restore.ts', [firstDir, '--tombstones-from', secondDir], { ANXIN_DATA_DIR: dataB });
    expect(restored.status, restored.stderr + restored.stdout).toBe(0);
    expect(restored.stdout).toMatch(/erased again: 1\b/);

    const { openRuntime } = await import('../../runtime.js');
    const { loadConfig } = await import('../../config.js');
    const { blindIndex } = await import('../../crypto/blind-index.js');
    const runtime = await openRuntime(loadConfig({ ANXIN_DATA_DIR: dataB, NODE_ENV: 'test' }));
    try {
      const user = await runtime.db.selectFrom('users').selectAll().where('id', '=', p.me.id).executeTakeFirstOrThrow();
      expect(user.status).toBe('cancelled');
      expect(user.phone_bidx.equals(blindIndex(t.app.services.derived.blindIndex, 'phone', p.phone))).toBe(false);
      expect(
        await runtime.db.selectFrom('subject_keys').select('subject_id').where('subject_id', '=', p.me.id).execute(),
      ).toHaveLength(0);
      expect(
        await runtime.db.selectFrom('sessions').select('id').where('user_id', '=', p.me.id).execute(),
      ).toHaveLength(0);
    } finally {
      await runtime.close();
    }
  });
});

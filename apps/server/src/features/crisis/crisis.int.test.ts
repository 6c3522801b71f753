import { sql } from 'kysely';
import crypto from 'node:crypto';
import WebSocket from 'ws';
import type { ServerFrame } from '@anxin/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, post, signIn, type TestApp } from '../../../test/harness.js';
import { residentId, staffCookie, submittedDoctor } from '../../../test/onboarding-fixtures.js';
import { ConsultationService } from '../consultations/consultations.service.js';
import type { Actor } from '../identity/identity.service.js';

let t: TestApp;
let base: string;
let doctor: { cookie: string; id: string };
let otherDoctor: { cookie: string; id: string };
let reviewer: { cookie: string };
let support: { cookie: string; id: string };

const CANARY = 'CANARY-crisis-5f1c';
const LOCAL_LINE = '测试市心理援助热线=021-1234-5678';

async function approvedDoctor(seq: string) {
  const d = await submittedDoctor(t, residentId('19790404', seq));
  const appId = (
    await t.db.selectFrom('doctor_applications').select('id').where('user_id', '=', d.me.id).executeTakeFirstOrThrow()
  ).id;
  const res = await post(
    t,
    `/api/admin/applications/${appId}/decision`,
    { decision: 'approve', reasonCode: 'verified', reasonText: '核验通过' },
    reviewer.cookie,
  );
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: d.cookie, id: d.me.id as string };
}

async function consultation(withDoctor = doctor) {
  const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
  const doc = (await get(t, '/api/consents/sensitive/consultation', p.cookie)).json();
  await post(
    t,
    '/api/consents/sensitive/consultation',
    { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 },
    p.cookie,
  );
  const res = await post(
    t,
    '/api/consultations',
    { doctorId: withDoctor.id, concern: '复诊：情绪低落，睡眠差', isFollowUp: true },
    p.cookie,
  );
  expect(res.statusCode, res.body).toBe(200);
  const id = res.json().id as string;
  expect((await post(t, `/api/consultations/${id}/accept`, {}, withDoctor.cookie)).statusCode).toBe(200);
  return { patient: { cookie: p.cookie, id: p.me.id as string }, id };
}

const send = (cookie: string, id: string, text: string) =>
  post(t, `/api/consultations/${id}/messages`, { clientId: crypto.randomUUID(), kind: 'text', text }, cookie);

const escalationsOf = (consultationId: string) =>
  t.db.selectFrom('crisis_escalations').selectAll().where('consultation_id', '=', consultationId).execute();

const auditOf = (consultationId: string) =>
  t.db.selectFrom('audit_log').selectAll().where('subject_id', '=', consultationId).orderBy('id').execute();

/** A socket client that collects frames and can wait for one. */
async function connect(cookie: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, { headers: { cookie, origin: base } });
  const frames: ServerFrame[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async (pred: (f: ServerFrame) => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = frames.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
  };
  await waitFor((f) => f.type === 'hello');
  return { ws, frames, waitFor };
}

beforeAll(async () => {
  t = await createTestApp({ env: { ANXIN_CRISIS_LOCAL_LINES: LOCAL_LINE } });
  reviewer = await staffCookie(t, ['reviewer']);
  support = await staffCookie(t, ['support']);
  doctor = await approvedDoctor('811');
  otherDoctor = await approvedDoctor('812');
  base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
}, 90_000);
afterAll(async () => t.close());

describe('crisis signals in consultations', () => {
  it('CON-4: a patient message with a risk phrase opens an escalation and alerts the doctor live over the WebSocket', async () => {
    const { patient, id } = await consultation();
    const d = await connect(doctor.cookie);
    const p = await connect(patient.cookie);
    const res = await send(patient.cookie, id, `医生，我攒了很多安眠药，${CANARY}`);
    expect(res.statusCode, res.body).toBe(200);

    const frame = await d.waitFor((f) => f.type === 'crisis');
    const [escalation] = await escalationsOf(id);
    expect(escalation).toMatchObject({ status: 'open' });
    expect(frame).toEqual({ type: 'crisis', consultationId: id, escalationId: escalation!.id, severity: 'acute' });
    // The patient's socket hears nothing about it.
    await d.waitFor((f) => f.type === 'message');
    expect(p.frames.some((f) => f.type === 'crisis')).toBe(false);

    // The doctor also gets a discreet in-app notice.
    const notices = (await get(t, '/api/me/notices', doctor.cookie)).json().notices as { kind: string }[];
    expect(notices.map((n) => n.kind)).toContain('consultation.attention');

    // The doctor's view: protocol, resources (national and the configured local line) and the escalation.
    const view = (await get(t, `/api/consultations/${id}/crisis`, doctor.cookie)).json();
    expect(view.audience).toBe('doctor');
    expect(view.protocol.length).toBeGreaterThanOrEqual(5);
    expect(view.resources.map((r: { phone: string }) => r.phone)).toEqual(['12356', '021-1234-5678', '120', '110']);
    expect(view.resources[1]).toMatchObject({ kind: 'local', name: { zh: '测试市心理援助热线' }, tel: '02112345678' });
    expect(view.escalation).toMatchObject({
      id: escalation!.id,
      status: 'open',
      severity: 'acute',
      firstSeq: 1,
      lastSeq: 1,
      hitCount: 1,
      acknowledgedAt: null,
    });
    d.ws.close();
    p.ws.close();
  });

  it('CON-4: the patient sees only the gentle resource card, the same whether or not anything was detected', async () => {
    const { patient, id } = await consultation();
    const before = (await get(t, `/api/consultations/${id}/crisis`, patient.cookie)).json();
    await send(patient.cookie, id, '我真的不想活了');
    expect(await escalationsOf(id)).toHaveLength(1);
    const after = (await get(t, `/api/consultations/${id}/crisis`, patient.cookie)).json();
    expect(after).toEqual(before);
    expect(after).toMatchObject({ audience: 'patient', protocol: null, escalation: null });
    expect(after.resources[0]).toMatchObject({ phone: '12356', tel: '12356' });
  });

  it('CON-4: a negated phrase, an ordinary message and the doctor’s own words open no escalation', async () => {
    const { patient, id } = await consultation();
    const d = await connect(doctor.cookie);
    expect((await send(patient.cookie, id, '我不想死，也从来没有想过自杀')).statusCode).toBe(200);
    expect((await send(patient.cookie, id, '这周睡眠好一些了，累死了但还行')).statusCode).toBe(200);
    expect((await send(doctor.cookie, id, '最近有没有想过自杀，或者觉得不想活了？')).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await escalationsOf(id)).toEqual([]);
    expect(d.frames.some((f) => f.type === 'crisis')).toBe(false);
    expect((await get(t, `/api/consultations/${id}/crisis`, doctor.cookie)).json().escalation).toBeNull();
    d.ws.close();
  });

  it('CON-4: further signals add to the one open escalation; a more severe one after acknowledgement reopens it', async () => {
    const { patient, id } = await consultation();
    await send(patient.cookie, id, '活着没意思');
    await send(patient.cookie, id, '今天还好');
    await send(patient.cookie, id, '我又自残了');
    let [row] = await escalationsOf(id);
    expect(await escalationsOf(id)).toHaveLength(1);
    let view = (await get(t, `/api/consultations/${id}/crisis`, doctor.cookie)).json();
    expect(view.escalation).toMatchObject({ severity: 'concern', firstSeq: 1, lastSeq: 3, hitCount: 2 });

    const ack = await post(t, `/api/consultations/${id}/crisis/acknowledge`, {}, doctor.cookie);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().escalation).toMatchObject({ status: 'acknowledged' });
    expect((await post(t, `/api/consultations/${id}/crisis/acknowledge`, {}, doctor.cookie)).statusCode).toBe(200);

    await send(patient.cookie, id, '我写好了遗书');
    [row] = await escalationsOf(id);
    expect(await escalationsOf(id)).toHaveLength(1);
    expect(row).toMatchObject({ status: 'open', acknowledged_at: null });
    view = (await get(t, `/api/consultations/${id}/crisis`, doctor.cookie)).json();
    expect(view.escalation).toMatchObject({ severity: 'acute', lastSeq: 4, hitCount: 3, status: 'open' });

    const actions = (await auditOf(id)).map((a) => a.action);
    expect(actions.filter((a) => a === 'crisis.escalation_opened')).toHaveLength(1);
    expect(actions.filter((a) => a === 'crisis.signal_added')).toHaveLength(2);
    expect(actions.filter((a) => a === 'crisis.acknowledged')).toHaveLength(1);

    // The doctor was told twice: when it opened, and again when it became acute (never folded into an unread one).
    const attention = await t.db
      .selectFrom('notices')
      .select('id')
      .where('user_id', '=', doctor.id)
      .where('kind', '=', 'consultation.attention')
      .where(sql<string>`data->>'consultationId'`, '=', id)
      .execute();
    expect(attention).toHaveLength(2);
  });

  it('CON-4: escalation records and audit entries never contain the message text', async () => {
    const { patient, id } = await consultation();
    const text = `我想跳楼 ${CANARY}`;
    await send(patient.cookie, id, text);
    await send(patient.cookie, id, `活不下去了 ${CANARY}`);
    const rows = await escalationsOf(id);
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v));
    expect(raw).not.toContain(CANARY);
    // Even decrypted, the record holds the kind of signal, not the words.
    const signal = await t.app.services.keys.decryptText(
      t.db,
      id,
      { table: 'crisis_escalations', column: 'signal_enc', rowId: rows[0]!.id },
      rows[0]!.signal_enc,
    );
    expect(JSON.parse(signal)).toMatchObject({ severity: 'acute', hitCount: 2, firstSeq: 1, lastSeq: 2 });
    expect(signal).not.toContain(CANARY);
    expect(signal).not.toContain('跳楼');
    expect(signal).not.toContain('活不下去');
    const audit = await auditOf(id);
    expect(audit.some((a) => a.action === 'crisis.escalation_opened' && a.purpose === 'crisis_handling')).toBe(true);
    const auditText = JSON.stringify(audit);
    for (const word of [CANARY, '跳楼', '活不下去', 'acute', 'zh.means']) expect(auditText).not.toContain(word);
    expect(t.logs.join('\n')).not.toContain(CANARY);
  });

  it('CON-4: only the consultation’s doctor and patient can read its crisis endpoint; only its doctor can acknowledge', async () => {
    const { patient, id } = await consultation();
    await send(patient.cookie, id, '我想死');
    const stranger = await signIn(t, 'patient');
    expect((await get(t, `/api/consultations/${id}/crisis`, stranger.cookie)).statusCode).toBe(404);
    expect((await get(t, `/api/consultations/${id}/crisis`, otherDoctor.cookie)).statusCode).toBe(404);
    expect((await get(t, `/api/consultations/${id}/crisis`, support.cookie)).statusCode).toBe(403);
    expect((await post(t, `/api/consultations/${id}/crisis/acknowledge`, {}, otherDoctor.cookie)).statusCode).toBe(404);
    expect((await post(t, `/api/consultations/${id}/crisis/acknowledge`, {}, patient.cookie)).statusCode).toBe(403);
    expect((await escalationsOf(id))[0]).toMatchObject({ status: 'open' });
    // Nothing to acknowledge in a quiet consultation.
    const quiet = await consultation();
    const none = await post(t, `/api/consultations/${quiet.id}/crisis/acknowledge`, {}, doctor.cookie);
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('CRISIS_NOTHING_TO_ACKNOWLEDGE');
  });

  it('CON-4: support lists and closes escalations with a note; other staff roles cannot; reads are audited', async () => {
    const { patient, id } = await consultation();
    await send(patient.cookie, id, '今晚就去死');
    const [row] = await escalationsOf(id);

    for (const roles of [['reviewer'], ['privacy_officer'], ['security_officer']] as const) {
      const other = await staffCookie(t, [...roles]);
      expect((await get(t, '/api/admin/crisis/escalations', other.cookie)).statusCode).toBe(403);
      expect((await get(t, `/api/admin/crisis/escalations/${row!.id}`, other.cookie)).statusCode).toBe(403);
      expect(
        (await post(t, `/api/admin/crisis/escalations/${row!.id}/close`, { note: '已处理' }, other.cookie)).statusCode,
      ).toBe(403);
    }
    expect((await get(t, '/api/admin/crisis/escalations', doctor.cookie)).statusCode).toBe(403);

    const open = (await get(t, '/api/admin/crisis/escalations?status=open', support.cookie)).json();
    const item = open.items.find((i: { id: string }) => i.id === row!.id);
    expect(item).toMatchObject({
      consultationId: id,
      status: 'open',
      severity: 'acute',
      categories: ['timing'],
      doctor: { id: doctor.id },
    });
    expect(item.doctor.name).not.toBe('');
    const detail = (await get(t, `/api/admin/crisis/escalations/${row!.id}`, support.cookie)).json();
    expect(detail).toMatchObject({ ruleIds: ['zh.timing.soon'], hits: [{ seq: 1, severity: 'acute' }] });
    expect(JSON.stringify(detail)).not.toContain('去死');

    expect(
      (await post(t, `/api/admin/crisis/escalations/${row!.id}/close`, { note: ' ' }, support.cookie)).statusCode,
    ).toBe(400);
    const closed = await post(
      t,
      `/api/admin/crisis/escalations/${row!.id}/close`,
      { note: '已与接诊医生电话确认，患者已由家属陪同线下就诊。' },
      support.cookie,
    );
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closedBy: support.id,
      closeNote: expect.stringMatching(/线下就诊/),
    });
    const again = await post(t, `/api/admin/crisis/escalations/${row!.id}/close`, { note: '再次关闭' }, support.cookie);
    expect(again.json().error.code).toBe('CRISIS_ESCALATION_CLOSED');
    expect(
      (await get(t, '/api/admin/crisis/escalations?status=open', support.cookie))
        .json()
        .items.some((i: { id: string }) => i.id === row!.id),
    ).toBe(false);
    expect(
      (await get(t, '/api/admin/crisis/escalations?status=closed', support.cookie))
        .json()
        .items.some((i: { id: string }) => i.id === row!.id),
    ).toBe(true);
    // The doctor's banner goes away; a new signal after closing opens a new escalation.
    expect((await get(t, `/api/consultations/${id}/crisis`, doctor.cookie)).json().escalation).toBeNull();
    await send(patient.cookie, id, '我还是想死');
    expect((await escalationsOf(id)).map((e) => e.status).sort()).toEqual(['closed', 'open']);

    // Every support read and the closing are audited with the purpose "crisis handling".
    const staffEntries = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('actor_id', '=', support.id)
      .orderBy('id')
      .execute();
    const views = staffEntries.filter((e) => e.action === 'staff.viewed_personal_data');
    expect(views.length).toBeGreaterThanOrEqual(4);
    expect(views.every((e) => e.purpose === 'crisis_handling')).toBe(true);
    const closing = staffEntries.find((e) => e.action === 'crisis.escalation_closed');
    expect(closing).toMatchObject({ subject_id: id, purpose: 'crisis_handling' });
    expect(JSON.stringify(closing)).not.toContain('线下就诊');
  });

  it('CON-4: an escalation of an erased consultation leaves the support queue instead of breaking it', async () => {
    const { patient, id } = await consultation();
    await send(patient.cookie, id, '我想从楼顶跳下去');
    const [row] = await escalationsOf(id);
    await t.app.services.keys.destroy(t.db, id, 'test: retention ended');
    const list = await get(t, '/api/admin/crisis/escalations?status=all', support.cookie);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.some((i: { id: string }) => i.id === row!.id)).toBe(false);
    expect((await get(t, `/api/admin/crisis/escalations/${row!.id}`, support.cookie)).statusCode).toBe(410);
  });

  it('CON-4: a message whose transaction rolls back leaves no escalation and no audit entry', async () => {
    const { patient, id } = await consultation();
    const real = t.app.services.consultations as unknown as {
      deps: ConstructorParameters<typeof ConsultationService>[0];
    };
    const failing = new ConsultationService({
      ...real.deps,
      inspectors: [
        t.app.services.crisis.inspector,
        async () => {
          throw new Error('later step failed');
        },
      ],
    });
    const actor: Actor = {
      userId: patient.id,
      app: 'patient',
      roles: [],
      sessionId: crypto.randomUUID(),
      stage: 'active',
      locale: 'zh-CN',
    };
    const meta = { ip: '10.0.0.1', userAgent: 'test', requestId: crypto.randomUUID() };
    await expect(
      failing.send(actor, id, { clientId: crypto.randomUUID(), kind: 'text', text: '我想跳楼' }, meta),
    ).rejects.toThrow('later step failed');
    expect(await escalationsOf(id)).toEqual([]);
    expect((await auditOf(id)).some((a) => a.action.startsWith('crisis.'))).toBe(false);
    expect(await t.db.selectFrom('messages').select('seq').where('consultation_id', '=', id).execute()).toEqual([]);
    // The same message through the real path is recorded.
    expect((await send(patient.cookie, id, '我想跳楼')).statusCode).toBe(200);
    expect(await escalationsOf(id)).toHaveLength(1);
  });
});

describe('ending a consultation with a crisis alert', () => {
  const end = (id: string, body: object = {}, headers: Record<string, string> = {}) =>
    post(t, `/api/consultations/${id}/end`, body, doctor.cookie, headers);
  const statusOf = async (id: string) =>
    (await t.db.selectFrom('consultations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('CON-4: the end endpoint refuses (409, in the caller’s language) while an alert is unacknowledged, and nothing changes', async () => {
    const { patient, id } = await consultation();
    await send(patient.cookie, id, '我攒了很多安眠药');
    const zh = await end(id);
    expect(zh.statusCode).toBe(409);
    expect(zh.json().error).toMatchObject({ code: 'CONSULTATION_CRISIS_UNACKNOWLEDGED' });
    expect(zh.json().error.message).toMatch(/风险提示.*转交平台支持/);
    const en = await end(id, {}, { 'accept-language': 'en' });
    expect(en.json().error.message).toMatch(/risk alert.*hand it over to platform support/);
    expect(await statusOf(id)).toBe('active');
    expect((await escalationsOf(id))[0]).toMatchObject({ status: 'open', acknowledged_at: null, handed_over_at: null });
    expect((await auditOf(id)).map((a) => a.action)).not.toContain('consultation.ended');
    // The patient cannot end it at all, and a hand-over note of one character is refused as bad input.
    expect((await post(t, `/api/consultations/${id}/end`, {}, patient.cookie)).statusCode).toBe(403);
    const [row] = await escalationsOf(id);
    const short = await end(id, { crisis: { action: 'hand_over', escalationId: row!.id, lastSeq: 1, note: '好' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('VALIDATION_FAILED');
    expect(await statusOf(id)).toBe('active');
  });

  it('CON-4: with the acknowledgement of the alert as last shown, it ends; both are audited in order, in one transaction', async () => {
    const { patient, id } = await consultation();
    await send(patient.cookie, id, '活着没意思');
    const view = (await get(t, `/api/consultations/${id}/crisis`, doctor.cookie)).json();
    expect(view.escalation).toMatchObject({ status: 'open', lastSeq: 1 });
    // A newer signal arrives after the doctor looked: the second step for the old state is not enough.
    await send(patient.cookie, id, '我写好了遗书');
    const stale = await end(id, { crisis: { action: 'acknowledge', escalationId: view.escalation.id, lastSeq: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONSULTATION_CRISIS_CHANGED');
    const wrong = await end(id, { crisis: { action: 'acknowledge', escalationId: crypto.randomUUID(), lastSeq: 2 } });
    expect(wrong.json().error.code).toBe('CONSULTATION_CRISIS_CHANGED');
    expect(await statusOf(id)).toBe('active');

    const ok = await end(id, { crisis: { action: 'acknowledge', escalationId: view.escalation.id, lastSeq: 2 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('ended');
    expect((await escalationsOf(id))[0]).toMatchObject({ status: 'acknowledged', acknowledged_by: doctor.id });
    const audit = (await auditOf(id)).filter((a) => ['crisis.acknowledged', 'consultation.ended'].includes(a.action));
    expect(audit.map((a) => a.action)).toEqual(['crisis.acknowledged', 'consultation.ended']);
    expect(audit[0]!.request_id).toBe(audit[1]!.request_id);
  });

  it('CON-4: a hand-over note ends it, keeps the escalation open for support with the note in their queue, and is audited', async () => {
    const { patient, id } = await consultation();
    await send(patient.cookie, id, '今晚就去死');
    const [row] = await escalationsOf(id);
    const note = `患者已同意由家属陪同前往医院急诊，请平台今晚电话回访。${CANARY}`;
    const res = await end(id, { crisis: { action: 'hand_over', escalationId: row!.id, lastSeq: 1, note } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('ended');

    const [after] = await escalationsOf(id);
    expect(after).toMatchObject({ status: 'open', handed_over_by: doctor.id, acknowledged_at: null });
    expect(after!.handed_over_at).not.toBeNull();
    expect(after!.handover_note_enc!.toString('latin1')).not.toContain(CANARY);
    const entries = await auditOf(id);
    const handOver = entries.find((a) => a.action === 'crisis.handed_over');
    expect(handOver).toMatchObject({ actor_id: doctor.id, purpose: 'crisis_handling' });
    expect(handOver!.request_id).toBe(entries.find((a) => a.action === 'consultation.ended')!.request_id);
    expect(JSON.stringify(entries)).not.toContain(CANARY);

    // Support's queue shows it as open, first-class work, with the doctor's note (and so does the detail).
    const queue = (await get(t, '/api/admin/crisis/escalations?status=open', support.cookie)).json();
    const item = queue.items.find((i: { id: string }) => i.id === row!.id);
    expect(item.handover).toEqual({ at: expect.any(String), note });
    const detail = (await get(t, `/api/admin/crisis/escalations/${row!.id}`, support.cookie)).json();
    expect(detail.handover.note).toBe(note);
    // The doctor's view says it went to support.
    expect((await get(t, `/api/consultations/${id}/crisis`, doctor.cookie)).json().escalation.handedOverAt).toEqual(
      expect.any(String),
    );
  });

  it('CON-4: without an alert waiting for acknowledgement, ending needs no second step', async () => {
    const quiet = await consultation();
    expect((await end(quiet.id)).json().status).toBe('ended');
    const seen = await consultation();
    await send(seen.patient.cookie, seen.id, '活着没意思');
    expect((await post(t, `/api/consultations/${seen.id}/crisis/acknowledge`, {}, doctor.cookie)).statusCode).toBe(200);
    expect((await end(seen.id)).json().status).toBe('ended');
  });
});

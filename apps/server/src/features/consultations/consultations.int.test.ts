import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, post, signIn, type TestApp } from '../../../test/harness.js';
import { staffCookie } from '../../../test/onboarding-fixtures.js';
import {
  activeConsultation as activeConsultation_,
  approvedDoctor as approvedDoctor_,
  consentedPatient as consentedPatient_,
} from '../../../test/consultation-fixtures.js';
import type { BusEvent } from '../../realtime/bus.js';
import { userTopic } from './consultations.service.js';

let t: TestApp;
let psychiatrist: { cookie: string; id: string };
let counsellor: { cookie: string; id: string };
let reviewer: { cookie: string };

const approvedDoctor = (type: 'psychiatrist' | 'counsellor', seq: string) =>
  approvedDoctor_(t, reviewer.cookie, type, seq);
const consentedPatient = () => consentedPatient_(t);
const activeConsultation = () => activeConsultation_(t, psychiatrist);

const send = (cookie: string, id: string, text: string, clientId: string = crypto.randomUUID()) =>
  post(t, `/api/consultations/${id}/messages`, { clientId, kind: 'text', text }, cookie);

beforeAll(async () => {
  t = await createTestApp();
  reviewer = await staffCookie(t, ['reviewer']);
  psychiatrist = await approvedDoctor('psychiatrist', '701');
  counsellor = await approvedDoctor('counsellor', '702');
}, 60_000);
afterAll(async () => t.close());

describe('consultation lifecycle', () => {
  it('CON-1: a patient needs the separate health-data consent, and a first visit to a physician is sent to see a doctor in person', async () => {
    const p = await signIn(t, 'patient');
    const noConsent = await post(
      t,
      '/api/consultations',
      { doctorId: psychiatrist.id, concern: '想咨询睡眠问题', isFollowUp: true },
      p.cookie,
    );
    expect(noConsent.json().error.code).toBe('CONSULTATION_CONSENT_REQUIRED');
    const patient = await consentedPatient();
    const first = await post(
      t,
      '/api/consultations',
      { doctorId: psychiatrist.id, concern: '第一次出现焦虑症状', isFollowUp: false },
      patient.cookie,
    );
    expect(first.statusCode).toBe(409);
    expect(first.json().error.code).toBe('FIRST_VISIT_IN_PERSON');
    expect(first.json().error.message).toMatch(/线下就诊/);
    const counselling = await post(
      t,
      '/api/consultations',
      { doctorId: counsellor.id, concern: '工作压力大，想聊一聊', isFollowUp: false },
      patient.cookie,
    );
    expect(counselling.statusCode).toBe(200);
    expect(counselling.json()).toMatchObject({
      status: 'requested',
      counselling: true,
      doctor: { practitionerType: 'counsellor' },
    });
  });

  it('CON-1: requested → accepted → active → ended; the doctor’s queue shows it; nothing can be sent once ended', async () => {
    const { patient, id } = await activeConsultation();
    const queueRes = await get(t, '/api/consultations', psychiatrist.cookie);
    expect(queueRes.statusCode, queueRes.body).toBe(200);
    const queue = queueRes.json().consultations;
    expect(queue.find((c: { id: string }) => c.id === id)).toMatchObject({
      status: 'active',
      isFollowUp: true,
      counselling: false,
    });
    const detail = (await get(t, `/api/consultations/${id}`, patient.cookie)).json();
    expect(detail.concern).toBe('最近两周失眠加重，想调整用药');
    expect((await post(t, `/api/consultations/${id}/accept`, {}, psychiatrist.cookie)).json().error.code).toBe(
      'CONSULTATION_STATE',
    );
    expect((await post(t, `/api/consultations/${id}/end`, {}, patient.cookie)).statusCode).toBe(403);
    expect((await post(t, `/api/consultations/${id}/end`, {}, psychiatrist.cookie)).json().status).toBe('ended');
    const late = await send(patient.cookie, id, '还有一个问题');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CONSULTATION_NOT_ACTIVE');
  });

  it('CON-1: a declined consultation carries the doctor’s reason to the patient', async () => {
    const patient = await consentedPatient();
    const id = (
      await post(
        t,
        '/api/consultations',
        { doctorId: psychiatrist.id, concern: '复诊，想换药', isFollowUp: true },
        patient.cookie,
      )
    ).json().id;
    const declined = await post(
      t,
      `/api/consultations/${id}/decline`,
      { reason: '本周门诊已满，请预约下周' },
      psychiatrist.cookie,
    );
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: '本周门诊已满，请预约下周' });
    expect((await get(t, `/api/consultations/${id}`, patient.cookie)).json().declineReason).toBe(
      '本周门诊已满，请预约下周',
    );
  });
});

describe('messages', () => {
  it('CON-1: resending a message with the same client id never creates a second one', async () => {
    const { patient, id } = await activeConsultation();
    const clientId = crypto.randomUUID();
    const first = (await send(patient.cookie, id, '医生您好', clientId)).json();
    const again = (await send(patient.cookie, id, '医生您好', clientId)).json();
    expect(first).toMatchObject({ seq: 1, duplicate: false });
    expect(again).toMatchObject({ seq: 1, duplicate: true, clientId });
    const stored = await t.db.selectFrom('messages').select('seq').where('consultation_id', '=', id).execute();
    expect(stored).toHaveLength(1);
  });

  it('CON-1: concurrent messages from both sides get gap-free sequence numbers and come back in order', async () => {
    const { patient, id } = await activeConsultation();
    const texts = Array.from({ length: 30 }, (_, i) => `消息 ${i}`);
    const acks = await Promise.all(
      texts.map((text, i) => send(i % 2 ? psychiatrist.cookie : patient.cookie, id, text)),
    );
    const seqs = acks.map((a) => a.json().seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const page = (await get(t, `/api/consultations/${id}/messages`, patient.cookie)).json();
    expect(page.messages.map((m: { seq: number }) => m.seq)).toEqual(seqs);
    expect(page.lastSeq).toBe(30);
    // Every acknowledged text is stored exactly once.
    expect(new Set(page.messages.map((m: { text: string }) => m.text))).toEqual(new Set(texts));
  });

  it('CON-1: after a reconnect the client fetches exactly what came after its last sequence number', async () => {
    const { patient, id } = await activeConsultation();
    for (const text of ['一', '二', '三', '四', '五']) await send(psychiatrist.cookie, id, text);
    const page = (await get(t, `/api/consultations/${id}/messages?after=3`, patient.cookie)).json();
    expect(page.messages.map((m: { seq: number; text: string }) => [m.seq, m.text])).toEqual([
      [4, '四'],
      [5, '五'],
    ]);
  });

  it('CON-1: read receipts move forward only, never past the last message, and unread counts follow', async () => {
    const { patient, id } = await activeConsultation();
    for (const text of ['a', 'b', 'c']) await send(psychiatrist.cookie, id, text);
    expect((await get(t, `/api/consultations/${id}`, patient.cookie)).json().unread).toBe(3);
    await post(t, `/api/consultations/${id}/read`, { seq: 2 }, patient.cookie);
    expect((await get(t, `/api/consultations/${id}`, patient.cookie)).json().unread).toBe(1);
    expect((await get(t, `/api/consultations/${id}`, psychiatrist.cookie)).json().otherReadSeq).toBe(2);
    await post(t, `/api/consultations/${id}/read`, { seq: 1 }, patient.cookie);
    await post(t, `/api/consultations/${id}/read`, { seq: 99 }, patient.cookie);
    expect((await get(t, `/api/consultations/${id}`, psychiatrist.cookie)).json().otherReadSeq).toBe(3);
  });

  it('CON-1: the other participant is told about a message only after it is stored, with no content in the event', async () => {
    const { patient, id } = await activeConsultation();
    const events: BusEvent[] = [];
    const stop = t.app.services.bus.subscribe(userTopic(psychiatrist.id), (e) => events.push(e));
    try {
      const ack = (await send(patient.cookie, id, '私密内容不应出现在事件里')).json();
      expect(events).toEqual([{ type: 'message', consultationId: id, seq: ack.seq }]);
      const stored = await t.db
        .selectFrom('messages')
        .select('seq')
        .where('consultation_id', '=', id)
        .where('seq', '=', ack.seq)
        .executeTakeFirst();
      expect(stored).toBeDefined();
      expect(JSON.stringify(events)).not.toContain('私密内容');
    } finally {
      stop();
    }
  });
});

describe('in-app notices', () => {
  it('NOT-1: the notification centre tells the doctor of a request and the patient of acceptance and new messages — one unread notice per consultation, no names or content', async () => {
    const doctorBefore = (await get(t, '/api/me/notices', psychiatrist.cookie)).json().notices.length;
    const { patient, id } = await activeConsultation();
    const doctorNotices = (await get(t, '/api/me/notices', psychiatrist.cookie)).json();
    expect(doctorNotices.notices.length).toBe(doctorBefore + 1);
    expect(doctorNotices.notices.find((n: { link: string | null }) => n.link === `/consultations/${id}`)).toMatchObject(
      {
        kind: 'consultation.requested',
        link: `/consultations/${id}`,
        title: { zh: '新的问诊请求' },
      },
    );
    const accepted = (await get(t, '/api/me/notices', patient.cookie)).json();
    expect(accepted.notices.map((n: { kind: string }) => n.kind)).toEqual(['consultation.accepted']);
    for (const text of ['第一条', '第二条', '第三条']) await send(psychiatrist.cookie, id, text);
    const after = (await get(t, '/api/me/notices', patient.cookie)).json();
    expect(after.notices.filter((n: { kind: string }) => n.kind === 'consultation.message')).toHaveLength(1);
    expect(after.unread).toBe(2);
    const body = JSON.stringify(after);
    for (const secret of ['第一条', '林安心', '失眠']) expect(body).not.toContain(secret);
    // Once read, the next message brings a fresh notice.
    const messageNotice = after.notices.find((n: { kind: string }) => n.kind === 'consultation.message');
    await post(t, `/api/me/notices/${messageNotice.id}/read`, {}, patient.cookie);
    await send(psychiatrist.cookie, id, '第四条');
    const later = (await get(t, '/api/me/notices', patient.cookie)).json();
    expect(later.notices.filter((n: { kind: string }) => n.kind === 'consultation.message')).toHaveLength(2);
  });
});

describe('privacy of consultations', () => {
  it('SEC-1: another doctor or patient cannot read, post into or mark a consultation; the patient cannot accept it', async () => {
    const { patient, id } = await activeConsultation();
    const otherPatient = await consentedPatient();
    const otherDoctor = await signIn(t, 'doctor');
    for (const cookie of [otherPatient.cookie, otherDoctor.cookie, counsellor.cookie]) {
      expect((await get(t, `/api/consultations/${id}`, cookie)).statusCode).toBe(404);
      expect((await get(t, `/api/consultations/${id}/messages`, cookie)).statusCode).toBe(404);
      expect((await send(cookie, id, '闯入')).statusCode).toBe(404);
      expect((await post(t, `/api/consultations/${id}/read`, { seq: 1 }, cookie)).statusCode).toBe(404);
    }
    expect((await post(t, `/api/consultations/${id}/accept`, {}, patient.cookie)).statusCode).toBe(403);
    const staff = await staffCookie(t, ['admin']);
    expect((await get(t, `/api/consultations/${id}`, staff.cookie)).statusCode).toBe(403);
    const stored = await t.db.selectFrom('messages').select('seq').where('consultation_id', '=', id).execute();
    expect(stored).toHaveLength(0);
  });

  it('SEC-1: message text and the concern are encrypted with the consultation’s own key and never appear in logs', async () => {
    const { patient, id } = await activeConsultation();
    const canary = '金丝雀消息-8f2c-不应出现在日志';
    t.logs.length = 0;
    const ack = (await send(patient.cookie, id, canary)).json();
    await get(t, `/api/consultations/${id}/messages`, psychiatrist.cookie);
    expect(t.logs.join('\n').length).toBeGreaterThan(50);
    expect(t.logs.join('\n')).not.toContain(canary);
    const row = await t.db
      .selectFrom('messages')
      .select('body_enc')
      .where('consultation_id', '=', id)
      .where('seq', '=', ack.seq)
      .executeTakeFirstOrThrow();
    expect(row.body_enc.includes(Buffer.from(canary))).toBe(false);
    const key = await t.db
      .selectFrom('subject_keys')
      .select('subject_id')
      .where('subject_id', '=', id)
      .executeTakeFirst();
    expect(key).toBeDefined();
    // Destroying the consultation's key makes the record unreadable (held or erased per its own retention).
    await t.app.services.keys.destroy(t.db, id, 'test');
    expect((await get(t, `/api/consultations/${id}/messages`, patient.cookie)).statusCode).toBe(410);
    // … and it leaves the lists, which keep working for everything else.
    const list = await get(t, '/api/consultations', psychiatrist.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.json().consultations.some((c: { id: string }) => c.id === id)).toBe(false);
  });
});

describe('idle end and follow-ups', () => {
  it('CON-1: an active consultation ends by itself after the quiet period; a recent message keeps it open', async () => {
    const quiet = await activeConsultation();
    const busy = await activeConsultation();
    const risky = await activeConsultation();
    expect((await send(risky.patient.cookie, risky.id, '我真的不想活了')).statusCode).toBe(200);
    t.clock.advance(47 * 3600_000);
    expect((await send(busy.patient.cookie, busy.id, '还在吗？')).statusCode).toBe(200);
    t.clock.advance(2 * 3600_000);
    const events: BusEvent[] = [];
    const off = t.app.services.bus.subscribe(userTopic(quiet.patient.id), (e) => events.push(e));
    const ended = await t.app.services.consultations.endIdle(48);
    off();
    expect(ended).toBeGreaterThanOrEqual(1);
    const q = (await get(t, `/api/consultations/${quiet.id}`, quiet.patient.cookie)).json();
    expect(q).toMatchObject({ status: 'ended', endedReason: 'idle' });
    expect(events).toContainEqual({ type: 'status', consultationId: quiet.id, status: 'ended' });
    expect((await get(t, `/api/consultations/${busy.id}`, busy.patient.cookie)).json().status).toBe('active');
    // CON-4: a consultation with a risk alert the doctor has not seen yet is not closed behind their back.
    expect((await get(t, `/api/consultations/${risky.id}`, risky.patient.cookie)).json().status).toBe('active');
    // Both are told, without content; the audit names the system as the actor.
    for (const cookie of [quiet.patient.cookie, psychiatrist.cookie]) {
      const notices = (await get(t, '/api/me/notices', cookie)).json().notices;
      expect(notices.some((n: { kind: string }) => n.kind === 'consultation.ended_idle')).toBe(true);
    }
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_role', 'details'])
      .where('subject_id', '=', quiet.id)
      .where('action', '=', 'consultation.ended')
      .executeTakeFirstOrThrow();
    expect(audit.actor_role).toBe('system');
    // Running it again changes nothing.
    expect(await t.app.services.consultations.endIdle(48)).toBe(0);
  });

  it('CON-1: the patient follows up an ended consultation as a new, linked one with the same doctor', async () => {
    const { patient, id } = await activeConsultation();
    const early = await post(t, `/api/consultations/${id}/follow-up`, { concern: '还想再问一下' }, patient.cookie);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('CONSULTATION_STATE');
    await post(t, `/api/consultations/${id}/end`, {}, psychiatrist.cookie);
    const res = await post(
      t,
      `/api/consultations/${id}/follow-up`,
      { concern: '换药后睡眠好转，想复诊' },
      patient.cookie,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'requested',
      followUpOf: id,
      isFollowUp: true,
      doctor: { id: psychiatrist.id },
      concern: '换药后睡眠好转，想复诊',
    });
    expect(res.json().id).not.toBe(id);
    // The doctor sees the name the patient chose (and only the doctor: the patient's own view has none).
    await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { displayName: '小林' },
      headers: { cookie: patient.cookie, origin: ORIGIN },
    });
    const queueRes = await get(t, '/api/consultations', psychiatrist.cookie);
    expect(queueRes.statusCode, queueRes.body).toBe(200);
    const queue = queueRes.json().consultations;
    expect(queue.find((c: { id: string }) => c.id === res.json().id).patient).toMatchObject({
      id: patient.id,
      name: '小林',
    });
    expect((await get(t, `/api/consultations/${id}`, patient.cookie)).json().patient.name).toBeNull();
    // Only that patient can follow it up; the doctor cannot; bad input is a clear 400.
    const stranger = await consentedPatient();
    expect(
      (await post(t, `/api/consultations/${id}/follow-up`, { concern: '我也想问' }, stranger.cookie)).statusCode,
    ).toBe(404);
    expect(
      (await post(t, `/api/consultations/${id}/follow-up`, { concern: '复诊' }, psychiatrist.cookie)).statusCode,
    ).toBe(403);
    const blank = await post(t, `/api/consultations/${id}/follow-up`, { concern: ' ' }, patient.cookie);
    expect(blank.statusCode).toBe(400);
    // One follow-up at a time: a second one while the first waits is refused, pointing to it.
    const again = await post(t, `/api/consultations/${id}/follow-up`, { concern: '再问一次' }, patient.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('FOLLOW_UP_PENDING');
  });
});

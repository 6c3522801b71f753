import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, post, type TestApp } from '../../../test/harness.js';
import { staffCookie } from '../../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../../../test/consultation-fixtures.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import { createCrisisPort } from './crisis.port.js';

let t: TestApp;
let port: ReturnType<typeof createCrisisPort>;
let doctor: { cookie: string; id: string };
let otherDoctor: { cookie: string; id: string };
let support: { cookie: string; id: string };

const A = { handover: 'CANARY-A-handover-5a11', close: 'CANARY-A-close-6b22' };
const B = { handover: 'CANARY-B-handover-7c33', close: 'CANARY-B-close-8d44' };

const send = (cookie: string, id: string, text: string) =>
  post(t, `/api/consultations/${id}/messages`, { clientId: crypto.randomUUID(), kind: 'text', text }, cookie);
const escalationOf = (consultationId: string) =>
  t.db
    .selectFrom('crisis_escalations')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow();

/** A risk message, the doctor's hand-over at the end with a note, support's closing with a note. */
async function handedOverAndClosed(
  c: { patient: { cookie: string }; id: string },
  by: { cookie: string },
  notes: { handover: string; close: string },
) {
  expect((await send(c.patient.cookie, c.id, '今晚就去死')).statusCode).toBe(200);
  const e = await escalationOf(c.id);
  const end = await post(
    t,
    `/api/consultations/${c.id}/end`,
    { crisis: { action: 'hand_over', escalationId: e.id, lastSeq: 1, note: `请平台今晚电话回访。${notes.handover}` } },
    by.cookie,
  );
  expect(end.statusCode, end.body).toBe(200);
  const close = await post(
    t,
    `/api/admin/crisis/escalations/${e.id}/close`,
    { note: `已电话回访。${notes.close}` },
    support.cookie,
  );
  expect(close.statusCode, close.body).toBe(200);
  return e.id;
}

let a1: Awaited<ReturnType<typeof activeConsultation>>;
let a2: { patient: { cookie: string; id: string }; id: string };
let b: Awaited<ReturnType<typeof activeConsultation>>;
let acknowledged: string;
let closedA: string;
let closedB: string;

beforeAll(async () => {
  t = await createTestApp();
  port = createCrisisPort({ keys: t.app.services.keys });
  const reviewer = await staffCookie(t, ['reviewer']);
  support = await staffCookie(t, ['support']);
  doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '961');
  otherDoctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '962');
  // Patient A: one escalation acknowledged by the doctor, one (in a follow-up) handed over and closed by support.
  a1 = await activeConsultation(t, doctor);
  expect((await send(a1.patient.cookie, a1.id, '我攒了很多安眠药')).statusCode).toBe(200);
  expect((await post(t, `/api/consultations/${a1.id}/crisis/acknowledge`, {}, doctor.cookie)).statusCode).toBe(200);
  acknowledged = (await escalationOf(a1.id)).id;
  const second = await post(
    t,
    '/api/consultations',
    { doctorId: doctor.id, concern: '又睡不着了', isFollowUp: true },
    a1.patient.cookie,
  );
  a2 = { patient: a1.patient, id: second.json().id as string };
  expect((await post(t, `/api/consultations/${a2.id}/accept`, {}, doctor.cookie)).statusCode).toBe(200);
  closedA = await handedOverAndClosed(a2, doctor, A);
  // Patient B, with another doctor.
  b = await activeConsultation(t, otherDoctor);
  closedB = await handedOverAndClosed(b, otherDoctor, B);
}, 120_000);
afterAll(async () => t.close());

describe('crisis personal-data port', () => {
  it('SEC-2: describe() lists exactly the personal columns of crisis_escalations', () => {
    const expected = personalColumns()
      .filter((c) => c.table === 'crisis_escalations')
      .map((c) => c.column)
      .sort();
    expect(port.describe().owner).toBe('features/crisis/crisis.repo.ts');
    expect([...port.describe().columns.crisis_escalations!].sort()).toEqual(expected);
  });

  it('SEC-2: a patient’s export holds the escalations of their consultations (signal, notes, times), no staff ids, nothing of another patient', async () => {
    const out = await port.export(t.db, { userId: a1.patient.id });
    const json = JSON.stringify(out.data);
    for (const canary of Object.values(A)) expect(json).toContain(canary);
    for (const canary of Object.values(B)) expect(json).not.toContain(canary);
    for (const id of [doctor.id, support.id, closedB, b.id]) expect(json).not.toContain(id);
    const aboutMe = (out.data.crisisEscalations as { aboutMe: Array<Record<string, unknown>> }).aboutMe;
    expect(aboutMe.map((e) => e.id).sort()).toEqual([acknowledged, closedA].sort());
    expect(aboutMe.find((e) => e.id === acknowledged)).toMatchObject({
      status: 'acknowledged',
      signal: { severity: 'acute', firstMessageSeq: 1 },
      acknowledgedByDoctorAt: expect.any(String),
    });
    expect(aboutMe.find((e) => e.id === closedA)).toMatchObject({
      status: 'closed',
      closedBySupportAt: expect.any(String),
    });
  });

  it('SEC-2: a doctor’s and a support member’s exports hold only their own acts and notes, never the patient’s signal', async () => {
    const mine = await port.export(t.db, { userId: doctor.id });
    const json = JSON.stringify(mine.data);
    expect(json).toContain(A.handover);
    for (const canary of [A.close, ...Object.values(B)]) expect(json).not.toContain(canary);
    expect(json).not.toContain('severity');
    expect(json).not.toContain(a1.patient.id);
    const acts = (mine.data.crisisEscalations as { myActions: Array<Record<string, unknown>> }).myActions;
    expect(acts.find((e) => e.id === acknowledged)).toMatchObject({ acknowledgedAt: expect.any(String) });
    const staff = JSON.stringify((await port.export(t.db, { userId: support.id })).data);
    for (const canary of [A.close, B.close]) expect(staff).toContain(canary);
    for (const canary of [A.handover, B.handover]) expect(staff).not.toContain(canary);
  });

  it('SEC-2: erasure keeps escalations with the consultation’s record and the doctor/staff links, with their bases; notes stay sealed', async () => {
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a1.patient.id }, 'delete'));
    expect(steps).toEqual([
      {
        table: 'crisis_escalations',
        action: 'kept',
        rows: 2,
        basis: expect.stringMatching(/medical record.*15 years/),
      },
    ]);
    const doctorSteps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: doctor.id }, 'delete'));
    expect(doctorSteps).toContainEqual({
      table: 'crisis_escalations',
      action: 'kept',
      rows: 2,
      basis: expect.stringMatching(/who acted/),
    });
    const rows = await t.db.selectFrom('crisis_escalations').selectAll().execute();
    expect(rows.find((r) => r.id === acknowledged)).toMatchObject({ acknowledged_by: doctor.id });
    expect(rows.find((r) => r.id === closedA)).toMatchObject({ handed_over_by: doctor.id, closed_by: support.id });
    expect(rows.find((r) => r.id === closedB)).toMatchObject({ handed_over_by: otherDoctor.id, closed_by: support.id });
    // Kept, but only as ciphertext under each consultation's key.
    const raw = Buffer.concat(
      rows.flatMap((r) => [r.signal_enc, r.close_note_enc, r.handover_note_enc].filter((x): x is Buffer => !!x)),
    ).toString('utf8');
    for (const canary of [...Object.values(A), ...Object.values(B)]) expect(raw).not.toContain(canary);
    // B is untouched.
    const other = JSON.stringify((await port.export(t.db, { userId: b.patient.id })).data);
    for (const canary of Object.values(B)) expect(other).toContain(canary);
  });
});

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, post, type TestApp } from '../../../test/harness.js';
import { photoWithGps, staffCookie } from '../../../test/onboarding-fixtures.js';
import { approvedDoctor, consentedPatient } from '../../../test/consultation-fixtures.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import type { PersonalDataPort, SubjectExport } from '../../privacy/subject-data/ports.js';
import { createConsultationsPort } from './consultations.port.js';

let t: TestApp;
let port: PersonalDataPort;
let doctor: { cookie: string; id: string };

/** Distinctive strings, one per personal column that can hold text, for person A and person B. */
const A = {
  concern: 'CANARY-A-concern-4e1d',
  declined: 'CANARY-A-declined-concern-77b0',
  declineReason: 'CANARY-A-decline-reason-90aa',
  patientMessage: 'CANARY-A-patient-msg-3c2f',
  doctorMessage: 'CANARY-A-doctor-msg-1b9e',
};
const B = { concern: 'CANARY-B-concern-d00d', patientMessage: 'CANARY-B-patient-msg-beef' };

const send = (cookie: string, id: string, text: string) =>
  post(t, `/api/consultations/${id}/messages`, { clientId: crypto.randomUUID(), kind: 'text', text }, cookie);

async function request(patient: { cookie: string }, concern: string) {
  const res = await post(t, '/api/consultations', { doctorId: doctor.id, concern, isFollowUp: true }, patient.cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as string;
}

async function exportOf(userId: string): Promise<SubjectExport & { json: string }> {
  const out = await port.export(t.db, { userId });
  return { ...out, json: JSON.stringify(out.data) };
}

let patientA: { cookie: string; id: string };
let patientB: { cookie: string; id: string };
let active: string;
let declined: string;
let other: string;
let image: Buffer;

beforeAll(async () => {
  t = await createTestApp();
  const reviewer = await staffCookie(t, ['reviewer']);
  doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '931');
  port = createConsultationsPort({
    db: t.db,
    keys: t.app.services.keys,
    media: t.app.services.media,
    doctors: t.app.services.directory,
  });
  patientA = await consentedPatient(t);
  patientB = await consentedPatient(t);

  // A: one declined request (with the doctor's reason) and one active consultation with messages of both sides,
  // an image, and read positions of both sides.
  declined = await request(patientA, A.declined);
  const d = await post(t, `/api/consultations/${declined}/decline`, { reason: A.declineReason }, doctor.cookie);
  expect(d.statusCode, d.body).toBe(200);
  active = await request(patientA, A.concern);
  expect((await post(t, `/api/consultations/${active}/accept`, {}, doctor.cookie)).statusCode).toBe(200);
  expect((await send(patientA.cookie, active, A.patientMessage)).statusCode).toBe(200);
  expect((await send(doctor.cookie, active, A.doctorMessage)).statusCode).toBe(200);
  const upload = await t.app.inject({
    method: 'POST',
    url: `/api/consultations/${active}/media-messages?clientId=${crypto.randomUUID()}&kind=image`,
    payload: await photoWithGps(400, 300),
    headers: { cookie: patientA.cookie, origin: ORIGIN, 'content-type': 'image/png' },
  });
  expect(upload.statusCode, upload.body).toBe(200);
  image = (await get(t, `/api/consultations/${active}/messages/3/media/full`, patientA.cookie)).rawPayload;
  for (const c of [patientA.cookie, doctor.cookie])
    expect((await post(t, `/api/consultations/${active}/read`, { seq: 3 }, c)).statusCode).toBeLessThan(300);

  // B: another patient of the same doctor.
  other = await request(patientB, B.concern);
  expect((await post(t, `/api/consultations/${other}/accept`, {}, doctor.cookie)).statusCode).toBe(200);
  expect((await send(patientB.cookie, other, B.patientMessage)).statusCode).toBe(200);
  expect((await post(t, `/api/consultations/${other}/read`, { seq: 1 }, patientB.cookie)).statusCode).toBeLessThan(300);
}, 90_000);
afterAll(async () => t.close());

describe('consultations personal-data port', () => {
  it('SEC-2: describe() lists exactly the personal columns of the consultation tables', () => {
    const { owner, columns } = port.describe();
    expect(owner).toBe('features/consultations/consultations.repo.ts');
    for (const table of ['consultations', 'messages', 'consultation_reads', 'consultation_media', 'media_uploads']) {
      const expected = personalColumns()
        .filter((c) => c.table === table)
        .map((c) => c.column)
        .sort();
      expect([...((columns as Record<string, string[]>)[table] ?? [])].sort(), table).toEqual(expected);
    }
  });

  it('SEC-2: a patient’s export holds their consultations with both sides of the conversation and their files, nothing of another patient', async () => {
    const out = await exportOf(patientA.id);
    for (const canary of Object.values(A)) expect(out.json).toContain(canary);
    for (const canary of Object.values(B)) expect(out.json).not.toContain(canary);
    expect(out.json).not.toContain(patientB.id);
    // The doctor appears by role and public name, not by account id.
    expect(out.json).not.toContain(doctor.id);
    const list = (out.data.consultations as { asPatient: Array<Record<string, unknown>> }).asPatient;
    const c = list.find((x) => x.id === active)!;
    expect(c).toMatchObject({ concern: A.concern, isFollowUp: true, status: 'active', myLastReadSeq: 3 });
    expect((c.messages as Array<{ from: string }>).map((m) => m.from)).toEqual(['patient', 'doctor', 'patient']);
    expect(list.find((x) => x.id === declined)).toMatchObject({ status: 'declined', declineReason: A.declineReason });
    // The image, decrypted, as a file of the export.
    expect(out.files.map((f) => f.name)).toEqual([`consultations/${active}/3-full.jpg`]);
    expect(out.files[0]!.contentType).toBe('image/jpeg');
    expect(Buffer.compare(Buffer.from((await out.files[0]!.open()) as Buffer), image)).toBe(0);

    const b = await exportOf(patientB.id);
    expect(b.json).toContain(B.concern);
    for (const canary of Object.values(A)) expect(b.json).not.toContain(canary);
    expect(b.files).toEqual([]);
  });

  it('SEC-2: a doctor’s export holds their own messages and the metadata, the patient only by case code', async () => {
    const out = await exportOf(doctor.id);
    expect(out.json).toContain(A.doctorMessage);
    expect(out.json).toContain(A.declineReason);
    for (const canary of [A.concern, A.declined, A.patientMessage, ...Object.values(B)])
      expect(out.json).not.toContain(canary);
    expect(out.json).not.toContain(patientA.id);
    expect(out.json).not.toContain(patientB.id);
    expect(out.files).toEqual([]);
    const shown = (await get(t, '/api/consultations', doctor.cookie)).json().consultations as Array<{
      id: string;
      patient: { code: string };
    }>;
    const list = (out.data.consultations as { asDoctor: Array<Record<string, unknown>> }).asDoctor;
    for (const id of [active, other])
      expect(list.find((x) => x.id === id)!.patientCaseCode).toBe(shown.find((s) => s.id === id)!.patient.code);
  });

  it('SEC-2: erasing the patient deletes read positions and the request that never began; the record is kept with its basis', async () => {
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: patientA.id }, 'delete'));
    expect(steps).toContainEqual({ table: 'consultation_reads', action: 'deleted', rows: 1 });
    expect(steps).toContainEqual({ table: 'consultations', action: 'deleted', rows: 1 });
    for (const table of ['consultations', 'messages', 'consultation_media'])
      expect(steps.find((s) => s.table === table && s.action === 'kept')?.basis).toMatch(/15 years/);

    // The request that never began: its row is gone and its key destroyed.
    expect(await t.db.selectFrom('consultations').select('id').where('id', '=', declined).execute()).toEqual([]);
    expect(
      await t.db.selectFrom('subject_keys').select('version').where('subject_id', '=', declined).execute(),
    ).toEqual([]);
    // Read positions: the patient's are gone, the doctor's in the same consultation and B's stay.
    const reads = await t.db.selectFrom('consultation_reads').select(['consultation_id', 'user_id']).execute();
    expect(reads.some((r) => r.user_id === patientA.id)).toBe(false);
    expect(reads).toContainEqual({ consultation_id: active, user_id: doctor.id });
    expect(reads).toContainEqual({ consultation_id: other, user_id: patientB.id });

    // No canary anywhere in the raw rows as plaintext (what is kept stays encrypted).
    const raw = JSON.stringify(
      await Promise.all([
        t.db.selectFrom('consultations').selectAll().execute(),
        t.db.selectFrom('messages').selectAll().execute(),
      ]),
      (_k, v: unknown) => (v && typeof v === 'object' && 'type' in v && v.type === 'Buffer' ? 'bytes' : v),
    );
    for (const canary of [...Object.values(A), ...Object.values(B)]) expect(raw).not.toContain(canary);
    const rawBytes = Buffer.concat(
      (await t.db.selectFrom('messages').select('body_enc').execute()).map((r) => r.body_enc),
    ).toString('latin1');
    for (const canary of Object.values(A)) expect(rawBytes).not.toContain(canary);
    // The declined request's text is unreadable: its row and key are gone. The kept record still reads (by law).
    const after = await exportOf(patientA.id);
    for (const canary of [A.declined, A.declineReason]) expect(after.json).not.toContain(canary);
    expect(after.json).toContain(A.concern);
    // B is untouched.
    const b = await exportOf(patientB.id);
    for (const canary of Object.values(B)) expect(b.json).toContain(canary);
    // The doctor still sees the kept consultation (they remain its doctor of record).
    expect((await get(t, `/api/consultations/${active}`, doctor.cookie)).statusCode).toBe(200);
  });

  it('SEC-2: erasing the doctor keeps the record and its doctor id (licensing), deletes their read positions', async () => {
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: doctor.id }, 'delete'));
    expect(steps).toContainEqual({ table: 'consultation_reads', action: 'deleted', rows: 1 });
    expect(steps.find((s) => s.table === 'consultations' && s.action === 'kept')).toMatchObject({
      rows: 2,
      basis: expect.stringMatching(/responsible doctor/),
    });
    const rows = await t.db
      .selectFrom('consultations')
      .select('doctor_id')
      .where('id', 'in', [active, other])
      .execute();
    expect(rows.map((r) => r.doctor_id)).toEqual([doctor.id, doctor.id]);
    expect(
      await t.db.selectFrom('consultation_reads').select('user_id').where('user_id', '=', doctor.id).execute(),
    ).toEqual([]);
  });
});

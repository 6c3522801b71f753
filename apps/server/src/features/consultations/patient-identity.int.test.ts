import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, post, signIn, type TestApp } from '../../../test/harness.js';
import { staffCookie, submittedDoctor } from '../../../test/onboarding-fixtures.js';
import { approvedDoctor, consentedPatient } from '../../../test/consultation-fixtures.js';

/**
 * How patients and doctors appear on each other's screens: the doctor's own approved name and title, the
 * patient's one stable case code, the age band and sex a patient chose to share (only with the doctors they
 * consult), and the start of the concern on the queue card.
 */
let t: TestApp;
let doctorA: { cookie: string; id: string };
let doctorB: { cookie: string; id: string };

const patch = (url: string, payload: object, cookie: string) =>
  t.app.inject({ method: 'PATCH', url, payload, headers: { cookie, origin: ORIGIN } });

const LONG_CONCERN =
  '最近两个月入睡困难，凌晨三四点就醒，白天注意力很差，\n工作上频繁出错，之前在医院诊断为焦虑障碍，服药后有好转，最近又反复，想和医生讨论一下是否需要调整用药剂量。';

async function requestConsultation(patient: { cookie: string }, doctorId: string, concern = LONG_CONCERN) {
  const res = await post(t, '/api/consultations', { doctorId, concern, isFollowUp: true }, patient.cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as string;
}

type Listed = {
  id: string;
  patient: { id: string; name: string | null; code: string; ageBand: string | null; sex: string | null };
  concernSummary: string;
};
const queueOf = async (cookie: string): Promise<Listed[]> =>
  (await get(t, '/api/consultations', cookie)).json().consultations;

beforeAll(async () => {
  t = await createTestApp();
  const reviewer = await staffCookie(t, ['reviewer']);
  doctorA = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '731');
  doctorB = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '732');
}, 60_000);
afterAll(async () => t.close());

describe('identity on screen', () => {
  it('an approved doctor gets their own name and title from the approved profile; a doctor under review gets none', async () => {
    const me = (await get(t, '/api/me', doctorA.cookie)).json();
    expect(me.doctorProfile).toEqual({ name: '林安心', title: '副主任医师' });
    const pending = await submittedDoctor(t);
    expect((await get(t, '/api/me', pending.cookie)).json().doctorProfile).toBeNull();
    const patient = await signIn(t, 'patient');
    expect((await get(t, '/api/me', patient.cookie)).json()).toMatchObject({
      doctorProfile: null,
      ageBand: null,
      sex: null,
    });
  });

  it('a patient sets and clears an age band and sex in Me: encrypted at rest, audited by field name only', async () => {
    const patient = await consentedPatient(t);
    const set = await patch('/api/me', { ageBand: '20-29', sex: 'female' }, patient.cookie);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ ageBand: '20-29', sex: 'female' });
    const row = await t.db
      .selectFrom('users')
      .select(['age_band_enc', 'sex_enc'])
      .where('id', '=', patient.id)
      .executeTakeFirstOrThrow();
    expect(row.age_band_enc!.toString('latin1')).not.toContain('20-29');
    expect(row.sex_enc!.toString('latin1')).not.toContain('female');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'account.updated')
      .where('subject_id', '=', patient.id)
      .execute();
    expect(JSON.stringify(audit)).toContain('ageBand');
    expect(JSON.stringify(audit)).not.toMatch(/20-29|female/);

    const cleared = await patch('/api/me', { sex: null }, patient.cookie);
    expect(cleared.json()).toMatchObject({ ageBand: '20-29', sex: null });
    expect((await get(t, '/api/me', patient.cookie)).json()).toMatchObject({ ageBand: '20-29', sex: null });

    const bad = await patch('/api/me', { ageBand: '25' }, patient.cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    // A doctor has nothing of the kind to share.
    const doctor = await patch('/api/me', { sex: 'male' }, doctorA.cookie);
    expect(doctor.statusCode).toBe(403);
    expect(doctor.json().error.code).toBe('FORBIDDEN');
  });

  it('the doctor sees one stable case code, the shared age band and sex, and the concern summary — in the queue and in the chat', async () => {
    const patient = await consentedPatient(t);
    expect((await patch('/api/me', { ageBand: '30-39', sex: 'male' }, patient.cookie)).statusCode).toBe(200);
    const first = await requestConsultation(patient, doctorA.id);
    const second = await requestConsultation(patient, doctorA.id, '睡眠问题复诊');
    const queue = (await queueOf(doctorA.cookie)).filter((c) => c.patient.id === patient.id);
    expect(queue.map((c) => c.id).sort()).toEqual([first, second].sort());
    const [a, b] = queue;
    expect(a!.patient.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    // One patient, one code, whichever consultation it comes with.
    expect(b!.patient.code).toBe(a!.patient.code);
    expect(a!.patient).toMatchObject({ name: null, ageBand: '30-39', sex: 'male' });
    const firstCard = queue.find((c) => c.id === first)!;
    expect(firstCard.concernSummary).toMatch(/^最近两个月入睡困难，凌晨三四点就醒，白天注意力很差， 工作上/);
    expect(firstCard.concernSummary.endsWith('…')).toBe(true);
    expect([...firstCard.concernSummary].length).toBeLessThanOrEqual(61);
    expect(queue.find((c) => c.id === second)!.concernSummary).toBe('睡眠问题复诊');

    const detail = (await get(t, `/api/consultations/${first}`, doctorA.cookie)).json();
    expect(detail.patient).toEqual(a!.patient);
    expect(detail.concern).toBe(LONG_CONCERN.trim());

    // The name they chose, once set, is the label everywhere; the code stays the same.
    await patch('/api/me', { displayName: '小周' }, patient.cookie);
    const named = (await queueOf(doctorA.cookie)).find((c) => c.id === first)!;
    expect(named.patient).toMatchObject({ name: '小周', code: a!.patient.code });

    // The patient's own list does not echo what they shared back as if it were a doctor's view.
    const own = (await queueOf(patient.cookie)).find((c) => c.id === first)!;
    expect(own.patient).toMatchObject({ name: null, ageBand: null, sex: null });
    expect(own.concernSummary).toBe(firstCard.concernSummary);
  });

  it('another doctor sees nothing of the patient; with that doctor the patient has a different code', async () => {
    const patient = await consentedPatient(t);
    await patch('/api/me', { ageBand: '40-49', sex: 'female', displayName: '林女士' }, patient.cookie);
    const withA = await requestConsultation(patient, doctorA.id);
    expect((await queueOf(doctorB.cookie)).some((c) => c.patient.id === patient.id)).toBe(false);
    const other = await get(t, `/api/consultations/${withA}`, doctorB.cookie);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toMatch(/40-49|林女士|female|入睡/);

    const withB = await requestConsultation(patient, doctorB.id, '复诊');
    const codeA = (await queueOf(doctorA.cookie)).find((c) => c.id === withA)!.patient.code;
    const atB = (await queueOf(doctorB.cookie)).find((c) => c.id === withB)!;
    expect(atB.patient).toMatchObject({ name: '林女士', ageBand: '40-49', sex: 'female' });
    expect(atB.patient.code).not.toBe(codeA);
    // Doctor B still sees only their own consultation with this patient.
    expect((await queueOf(doctorB.cookie)).filter((c) => c.patient.id === patient.id).map((c) => c.id)).toEqual([
      withB,
    ]);
  });

  it('a patient who shared nothing shows as a case code with neither age band nor sex', async () => {
    const patient = await consentedPatient(t);
    const id = await requestConsultation(patient, doctorA.id, '想复诊');
    const card = (await queueOf(doctorA.cookie)).find((c) => c.id === id)!;
    expect(card.patient).toEqual({ id: patient.id, name: null, code: card.patient.code, ageBand: null, sex: null });
    expect(card.concernSummary).toBe('想复诊');
    expect((await get(t, `/api/consultations/${id}`, doctorA.cookie)).json().patient).toEqual(card.patient);
  });
});

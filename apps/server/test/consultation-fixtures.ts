import { expect } from 'vitest';
import { get, ORIGIN, post, signIn, type TestApp } from './harness.js';
import { completeForm, residentId, submittedDoctor } from './onboarding-fixtures.js';

/** An approved doctor (psychiatrist, or counsellor after one round of requested changes) with a live profile. */
export async function approvedDoctor(
  t: TestApp,
  reviewerCookie: string,
  type: 'psychiatrist' | 'counsellor',
  seq: string,
): Promise<{ cookie: string; id: string; phone: string }> {
  const d = await submittedDoctor(t, residentId('19800808', seq));
  const appId = async () =>
    (await t.db.selectFrom('doctor_applications').select('id').where('user_id', '=', d.me.id).executeTakeFirstOrThrow())
      .id;
  if (type === 'counsellor') {
    await post(
      t,
      `/api/admin/applications/${await appId()}/decision`,
      { decision: 'request_changes', reasonCode: 'other_changes', reasonText: '请改为心理咨询师' },
      reviewerCookie,
    );
    const form = completeForm(d.idNumber, { practitionerType: 'counsellor' });
    form.credentials = { qualificationCertNo: 'XL-2020-7788' };
    await t.app.inject({
      method: 'PUT',
      url: '/api/onboarding/application',
      payload: form,
      headers: { cookie: d.cookie, origin: ORIGIN },
    });
    expect((await post(t, '/api/onboarding/application/submit', {}, d.cookie)).statusCode).toBe(200);
  }
  const decision = await post(
    t,
    `/api/admin/applications/${await appId()}/decision`,
    { decision: 'approve', reasonCode: 'verified', reasonText: '核验通过' },
    reviewerCookie,
  );
  expect(decision.statusCode, decision.body).toBe(200);
  return { cookie: d.cookie, id: d.me.id as string, phone: d.phone };
}

/** A signed-in patient who has given the separate consent for health data. */
export async function consentedPatient(t: TestApp): Promise<{ cookie: string; id: string; phone: string }> {
  const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
  const doc = (await get(t, '/api/consents/sensitive/consultation', p.cookie)).json();
  await post(
    t,
    '/api/consents/sensitive/consultation',
    { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 },
    p.cookie,
  );
  return { cookie: p.cookie, id: p.me.id as string, phone: p.phone };
}

/** A follow-up consultation the doctor has accepted, with a fresh consented patient. */
export async function activeConsultation(
  t: TestApp,
  doctor: { cookie: string; id: string },
): Promise<{ patient: { cookie: string; id: string; phone: string }; id: string }> {
  const patient = await consentedPatient(t);
  const res = await post(
    t,
    '/api/consultations',
    { doctorId: doctor.id, concern: '最近两周失眠加重，想调整用药', isFollowUp: true },
    patient.cookie,
  );
  expect(res.statusCode, res.body).toBe(200);
  const id = res.json().id as string;
  expect((await post(t, `/api/consultations/${id}/accept`, {}, doctor.cookie)).json().status).toBe('active');
  return { patient, id };
}

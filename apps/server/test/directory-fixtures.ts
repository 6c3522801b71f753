import type { ApplicationForm } from '@anxin/contracts';
import { expect } from 'vitest';
import { post, signIn, type TestApp } from './harness.js';
import {
  completeForm,
  DOCUMENT_SLOTS,
  giveOnboardingConsent,
  photoWithGps,
  put,
  residentId,
  uploadPhoto,
} from './onboarding-fixtures.js';

type Professional = Partial<NonNullable<ApplicationForm['professional']>>;

/**
 * A doctor with a live public profile of their own (name, type, title, hospital, department, expertise), through
 * the real application and review: signed in, consent, complete form, document photos, submit, approve.
 * `seq` (three digits) makes their ID and certificate numbers unique.
 */
export async function publishedDoctor(
  t: TestApp,
  reviewerCookie: string,
  seq: string,
  name: string,
  professional: Professional,
): Promise<{ cookie: string; id: string; idNumber: string }> {
  const idNumber = residentId('19790304', seq);
  const doctor = await signIn(t, 'doctor', undefined, { keepSignedIn: true });
  await giveOnboardingConsent(t, doctor.cookie);
  const form = completeForm(idNumber, professional);
  form.basic = { ...form.basic, name };
  const saved = await put(t, '/api/onboarding/application', form, doctor.cookie);
  expect(saved.statusCode, saved.body).toBe(200);
  const jpeg = await photoWithGps();
  for (const slot of DOCUMENT_SLOTS) expect((await uploadPhoto(t, doctor.cookie, slot, jpeg)).statusCode).toBe(200);
  const submitted = await post(t, '/api/onboarding/application/submit', {}, doctor.cookie);
  expect(submitted.statusCode, submitted.body).toBe(200);
  const appId = (
    await t.db
      .selectFrom('doctor_applications')
      .select('id')
      .where('user_id', '=', doctor.me.id)
      .executeTakeFirstOrThrow()
  ).id;
  const decision = await post(
    t,
    `/api/admin/applications/${appId}/decision`,
    { decision: 'approve', reasonCode: 'verified', reasonText: '核验通过' },
    reviewerCookie,
  );
  expect(decision.statusCode, decision.body).toBe(200);
  return { cookie: doctor.cookie, id: doctor.me.id as string, idNumber };
}

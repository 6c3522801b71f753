import * as OTPAuth from 'otpauth';
import sharp from 'sharp';
import { computeResidentIdCheckChar } from '@anxin/domain';
import type { ApplicationForm, PhotoSlot, StaffRole } from '@anxin/contracts';
import { expect } from 'vitest';
import { get, ORIGIN, post, sessionCookie, signIn, testPhone, type TestApp } from './harness.js';

/** A valid resident ID for a given birthday and sequence (computed check character). */
export function residentId(birthday = '19850615', seq = '123', region = '110105'): string {
  const first17 = `${region}${birthday}${seq}`;
  return first17 + computeResidentIdCheckChar(first17);
}

/** A 27-character qualification certificate number embedding the applicant's ID at index 9. */
export const qualificationFor = (id: string) => `201811000${id}`;

/** A 15-digit practice certificate number unique to this ID. */
export const practiceFor = (id: string) => `1104${id.slice(6, 17)}`;

let nextSeq = 300;
export const GPS_CANARY = 'CanaryCam-9f3a';

/** A real JPEG with EXIF: camera make (a canary string) and GPS coordinates in Chengdu. */
export async function photoWithGps(width = 1200, height = 900): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a7d6b' } })
    .jpeg()
    .withExif({
      IFD0: { Make: GPS_CANARY, Artist: 'Dr Canary' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 39/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 4/1 0/1' },
    })
    .toBuffer();
}

export function completeForm(
  id: string,
  overrides: Partial<NonNullable<ApplicationForm['professional']>> = {},
): ApplicationForm {
  return {
    basic: {
      name: '林安心',
      idNumber: id,
      contactPhone: '13912340000',
      email: 'lin.anxin@example.com',
      source: 'colleague',
    },
    credentials: { practiceCertNo: practiceFor(id), qualificationCertNo: qualificationFor(id) },
    professional: {
      practitionerType: 'psychiatrist',
      hospital: '四川大学华西医院',
      province: '四川',
      city: '成都',
      category: '临床',
      clinicalField: '精神科',
      level: '三级甲等',
      employedSpecialty: '精神病学',
      workStartDate: '2010-07',
      staffNumber: 'HX2010-088',
      department: '心理卫生中心',
      title: '副主任医师',
      position: '门诊主任',
      isExpert: true,
      team: '睡眠障碍团队',
      expertise: ['焦虑', '抑郁', '睡眠'],
      biography: {
        education: '四川大学华西临床医学院 医学博士',
        practice: '从事精神科临床工作十余年',
        academic: '发表论文 20 余篇',
        cases: '擅长青少年抑郁的综合治疗',
      },
      ...overrides,
    },
  };
}

export const DOCUMENT_SLOTS: PhotoSlot[] = [
  'avatar',
  'id_front',
  'id_back',
  'practice_cert_cover',
  'practice_cert_personal',
  'qualification_cert_cover',
  'qualification_cert_personal',
];

export function uploadPhoto(t: TestApp, cookie: string, slot: PhotoSlot, bytes: Buffer, contentType = 'image/jpeg') {
  return t.app.inject({
    method: 'POST',
    url: `/api/onboarding/photos/${slot}`,
    payload: bytes,
    headers: { cookie, origin: ORIGIN, 'content-type': contentType },
  });
}

export async function giveOnboardingConsent(t: TestApp, cookie: string) {
  const doc = (await get(t, '/api/consents/sensitive/onboarding', cookie)).json();
  const res = await post(
    t,
    '/api/consents/sensitive/onboarding',
    { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 },
    cookie,
  );
  expect(res.statusCode).toBe(200);
}

export function put(t: TestApp, url: string, payload: unknown, cookie: string) {
  return t.app.inject({ method: 'PUT', url, payload: payload as object, headers: { cookie, origin: ORIGIN } });
}

/** A doctor with a complete, submitted application. */
export async function submittedDoctor(t: TestApp, id = residentId('19850615', String(nextSeq++))) {
  const doctor = await signIn(t, 'doctor', undefined, { keepSignedIn: true });
  await giveOnboardingConsent(t, doctor.cookie);
  expect((await put(t, '/api/onboarding/application', completeForm(id), doctor.cookie)).statusCode).toBe(200);
  const jpeg = await photoWithGps();
  for (const slot of DOCUMENT_SLOTS) expect((await uploadPhoto(t, doctor.cookie, slot, jpeg)).statusCode).toBe(200);
  const submitted = await post(t, '/api/onboarding/application/submit', {}, doctor.cookie);
  expect(submitted.statusCode, submitted.body).toBe(200);
  return { ...doctor, idNumber: id, application: submitted.json() };
}

/** A fully signed-in staff member with the given roles. */
export async function staffCookie(
  t: TestApp,
  roles: StaffRole[],
  phone = testPhone(),
): Promise<{ cookie: string; id: string }> {
  const { enrolmentLink } = await t.app.services.staff.createStaff({ phone, roles, grantedBy: null });
  const token = new URL(enrolmentLink).hash.replace('#token=', '');
  const { secretBase32 } = (await post(t, '/api/auth/enrolment/start', { token })).json();
  const totp = (ahead: number) =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secretBase32) }).generate({
      timestamp: Date.now() + ahead * 30_000,
    });
  await post(t, '/api/auth/enrolment/finish', { token, code: totp(0) });
  await post(t, '/api/auth/code', { phone, app: 'staff' });
  const pending = sessionCookie(
    await post(t, '/api/auth/verify', { phone, app: 'staff', code: t.sms.latestCodeFor(phone) }),
  );
  const full = await post(t, '/api/auth/totp', { code: totp(1) }, pending);
  expect(full.statusCode).toBe(200);
  return { cookie: sessionCookie(full), id: full.json().id };
}

/** A signed-in doctor who has given the separate consent for onboarding (sensitive data). */
export async function consentedDoctor(t: TestApp) {
  const doctor = await signIn(t);
  await giveOnboardingConsent(t, doctor.cookie);
  return doctor;
}

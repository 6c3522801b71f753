import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/db/database.js';
import type { ConsoleSmsProvider } from '../src/features/identity/sms/console-sms.js';

/**
 * Active consultations in bulk, for the messaging benchmark and the crash test: doctors and patients sign in
 * through the public API (each from its own address, so per-network sign-in limits do not bite), patients give
 * the health-data consent and request, doctors accept — all through the API. Only the doctor's approval is
 * seeded directly (a published profile row): the onboarding review with photos and staff two-factor sign-in is
 * not what these tests measure. Works on any app instance (no test runner needed).
 */
export interface SeedContext {
  app: FastifyInstance;
  db: Db;
  sms: ConsoleSmsProvider;
  origin?: string;
}

export interface SeededUser {
  id: string;
  cookie: string;
}

export interface SeededConsultation {
  id: string;
  patient: SeededUser;
  doctor: SeededUser;
}

let phoneCounter = 0;
const nextPhone = () => `137${String(process.pid % 10000).padStart(4, '0')}${String(++phoneCounter).padStart(4, '0')}`;
const nextIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

async function call(ctx: SeedContext, method: 'GET' | 'POST', url: string, payload?: unknown, cookie?: string) {
  const res = await ctx.app.inject({
    method,
    url,
    remoteAddress: nextIp(),
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: { origin: ctx.origin ?? 'http://localhost:3000', ...(cookie ? { cookie } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
  return res;
}

export async function seedUser(ctx: SeedContext, app: 'doctor' | 'patient'): Promise<SeededUser> {
  const policy = (await call(ctx, 'GET', '/api/policy/current?locale=zh-CN')).json();
  const proof = { version: policy.version, locale: 'zh-CN', textSha256: policy.textSha256 };
  const phone = nextPhone();
  await call(ctx, 'POST', '/api/auth/code', { phone, app, policyConsent: proof });
  const code = ctx.sms.latestCodeFor(phone);
  const res = await call(ctx, 'POST', '/api/auth/verify', {
    phone,
    code,
    app,
    policyConsent: proof,
    keepSignedIn: true,
  });
  const session = res.cookies.find((c) => c.name === 'anxin_session');
  if (!session) throw new Error('no session cookie');
  return { id: res.json().id as string, cookie: `anxin_session=${session.value}` };
}

/** A doctor with a published profile (what an approved application leaves behind). */
export async function seedApprovedDoctor(ctx: SeedContext, n = 0): Promise<SeededUser> {
  const doctor = await seedUser(ctx, 'doctor');
  const now = new Date();
  await ctx.db
    .insertInto('doctor_profiles')
    .values({
      user_id: doctor.id,
      name: `压测医生${n}`,
      avatar_blob_id: null,
      title: '主治医师',
      hospital: '示例医院',
      department: '心理科',
      practitioner_type: 'psychiatrist',
      expertise: ['睡眠'],
      biography: JSON.stringify({}),
      verified_at: now,
      updated_at: now,
    })
    .execute();
  return doctor;
}

export async function seedConsentedPatient(ctx: SeedContext): Promise<SeededUser> {
  const patient = await seedUser(ctx, 'patient');
  const doc = (await call(ctx, 'GET', '/api/consents/sensitive/consultation', undefined, patient.cookie)).json();
  await call(
    ctx,
    'POST',
    '/api/consents/sensitive/consultation',
    { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 },
    patient.cookie,
  );
  return patient;
}

/** `count` active consultations, one patient each, spread over `doctors` doctors. */
export async function seedConsultations(
  ctx: SeedContext,
  count: number,
  doctors = count,
): Promise<SeededConsultation[]> {
  const docs: SeededUser[] = [];
  for (let i = 0; i < Math.min(doctors, count); i++) docs.push(await seedApprovedDoctor(ctx, i));
  const out: SeededConsultation[] = [];
  for (let i = 0; i < count; i++) {
    const doctor = docs[i % docs.length]!;
    const patient = await seedConsentedPatient(ctx);
    const created = await call(
      ctx,
      'POST',
      '/api/consultations',
      { doctorId: doctor.id, concern: '复诊：最近睡眠仍然不好', isFollowUp: true },
      patient.cookie,
    );
    const id = created.json().id as string;
    await call(ctx, 'POST', `/api/consultations/${id}/accept`, {}, doctor.cookie);
    out.push({ id, patient, doctor });
  }
  return out;
}

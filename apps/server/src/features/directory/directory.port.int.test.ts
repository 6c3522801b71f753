import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, post, signIn, type TestApp } from '../../../test/harness.js';
import {
  completeForm,
  DOCUMENT_SLOTS,
  giveOnboardingConsent,
  photoWithGps,
  put,
  residentId,
  staffCookie,
  uploadPhoto,
} from '../../../test/onboarding-fixtures.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import { portCoverage } from '../../privacy/subject-data/ports.js';
import { createDirectoryPort } from './directory.port.js';

let t: TestApp;
let reviewer: { cookie: string; id: string };
const port = createDirectoryPort();

/** An approved doctor whose published profile holds a canary made from `tag` in every text field. */
async function approvedDoctor(tag: string, seq: string) {
  const doctor = await signIn(t, 'doctor', undefined, { keepSignedIn: true });
  await giveOnboardingConsent(t, doctor.cookie);
  const form = completeForm(residentId('19850615', seq), {
    hospital: `${tag}Hospital`,
    department: `${tag}Dept`,
    title: `${tag}Title`,
    expertise: [`${tag}Tag`],
    biography: {
      education: `${tag}Education`,
      practice: `${tag}Practice`,
      academic: `${tag}Academic`,
      cases: `${tag}Cases`,
    },
  });
  form.basic = { ...form.basic, name: `${tag}Name` };
  expect((await put(t, '/api/onboarding/application', form, doctor.cookie)).statusCode).toBe(200);
  const jpeg = await photoWithGps();
  for (const slot of DOCUMENT_SLOTS) expect((await uploadPhoto(t, doctor.cookie, slot, jpeg)).statusCode).toBe(200);
  expect((await post(t, '/api/onboarding/application/submit', {}, doctor.cookie)).statusCode).toBe(200);
  const { id: appId } = await t.db
    .selectFrom('doctor_applications')
    .select('id')
    .where('user_id', '=', doctor.me.id)
    .executeTakeFirstOrThrow();
  const decided = await post(
    t,
    `/api/admin/applications/${appId}/decision`,
    { decision: 'approve', reasonCode: 'verified', reasonText: '通过' },
    reviewer.cookie,
  );
  expect(decided.statusCode, decided.body).toBe(200);
  const canaries = ['Name', 'Hospital', 'Dept', 'Title', 'Tag', 'Education', 'Practice', 'Academic', 'Cases'].map(
    (s) => `${tag}${s}`,
  );
  return { userId: doctor.me.id as string, canaries };
}

let a: Awaited<ReturnType<typeof approvedDoctor>>;
let b: Awaited<ReturnType<typeof approvedDoctor>>;

beforeAll(async () => {
  t = await createTestApp();
  reviewer = await staffCookie(t, ['reviewer']);
  a = await approvedDoctor('CanaryDa5', '781');
  b = await approvedDoctor('CanaryDb8', '782');
});
afterAll(async () => t.close());

describe('directory personal-data port', () => {
  it('SEC-2: describe() lists exactly the personal columns of doctor_profiles, under their owner', () => {
    const { owner, columns } = port.describe();
    expect(owner).toBe('features/directory/directory.repo.ts');
    expect([...columns.doctor_profiles!].sort()).toEqual(
      personalColumns()
        .filter((c) => c.table === 'doctor_profiles')
        .map((c) => c.column)
        .sort(),
    );
    expect(Object.keys(columns)).toEqual(['doctor_profiles']);
    const coverage = portCoverage([port]);
    expect(coverage.misowned).toEqual([]);
    expect(coverage.notPersonal).toEqual([]);
    // Profile text is corrected through the onboarding port (the application it is published from).
    expect(port.correct).toBeUndefined();
  });

  it('SEC-2: export gives the doctor their published profile and nothing of another doctor', async () => {
    const out = await port.export(t.db, { userId: a.userId });
    const text = JSON.stringify(out.data);
    for (const c of a.canaries) expect(text, c).toContain(c);
    for (const c of b.canaries) expect(text, c).not.toContain(c);
    expect(out.data).toMatchObject({ publicProfile: { avatarPublished: true, practitionerType: 'psychiatrist' } });
    expect(out.files).toEqual([]);
    expect(await port.export(t.db, { userId: reviewer.id })).toEqual({ data: {}, files: [] });
  });

  it('SEC-2: erase(delete) removes the profile: no canary left in doctor_profiles, the other doctor still listed', async () => {
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.userId }, 'delete'));
    expect(steps).toEqual([{ table: 'doctor_profiles', action: 'deleted', rows: 1 }]);
    expect(await t.db.selectFrom('doctor_profiles').selectAll().where('user_id', '=', a.userId).execute()).toEqual([]);
    const everything = JSON.stringify(await t.db.selectFrom('doctor_profiles').selectAll().execute());
    for (const c of a.canaries) expect(everything, c).not.toContain(c);
    for (const c of b.canaries) expect(everything, c).toContain(c);
    expect((await get(t, `/api/public/doctors/${a.userId}`)).statusCode).toBe(404);
    const other = (await get(t, `/api/public/doctors/${b.userId}`)).json();
    expect(other.name).toBe('CanaryDb8Name');
    expect(await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.userId }, 'anonymise'))).toEqual([
      { table: 'doctor_profiles', action: 'deleted', rows: 0 },
    ]);
  });
});

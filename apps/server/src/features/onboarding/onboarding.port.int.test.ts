import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, post, signIn, type TestApp } from '../../../test/harness.js';
import {
  completeForm,
  DOCUMENT_SLOTS,
  giveOnboardingConsent,
  photoWithGps,
  practiceFor,
  put,
  qualificationFor,
  residentId,
  staffCookie,
  uploadPhoto,
} from '../../../test/onboarding-fixtures.js';
import { LocalBlobStore } from '../../platform/blob-store.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import { portCoverage, type PersonalDataPort } from '../../privacy/subject-data/ports.js';
import { createOnboardingPort } from './onboarding.port.js';

let t: TestApp;
let port: PersonalDataPort;
let reviewer: { cookie: string; id: string };

interface Applicant {
  userId: string;
  cookie: string;
  appId: string;
  canaries: string[];
  width: number;
}

/** An approved doctor whose every personal onboarding field holds a canary made from `tag`. */
async function seedApplicant(tag: string, seq: string, width: number): Promise<Applicant> {
  const doctor = await signIn(t, 'doctor', undefined, { keepSignedIn: true });
  await giveOnboardingConsent(t, doctor.cookie);
  const id = residentId('19850615', seq);
  const form = completeForm(id, {
    hospital: `${tag}Hospital`,
    department: `${tag}Dept`,
    title: `${tag}Title`,
    staffNumber: `${tag}Staff`,
    team: `${tag}Team`,
    expertise: [`${tag}Tag`],
    biography: {
      education: `${tag}Education`,
      practice: `${tag}Practice`,
      academic: `${tag}Academic`,
      cases: `${tag}Cases`,
    },
  });
  form.basic = {
    ...form.basic,
    name: `${tag}Name`,
    email: `${tag.toLowerCase()}@example.com`,
    sourceNote: `${tag}Note`,
  };
  expect((await put(t, '/api/onboarding/application', form, doctor.cookie)).statusCode).toBe(200);
  const jpeg = await photoWithGps(width, 900);
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
  const reveal = await post(
    t,
    `/api/admin/applications/${appId}/reveal`,
    { fields: ['id_number', 'photo:id_front'], purpose: 'credential_verification' },
    reviewer.cookie,
  );
  expect(reveal.statusCode, reveal.body).toBe(200);
  const decided = await post(
    t,
    `/api/admin/applications/${appId}/decision`,
    { decision: 'approve', reasonCode: 'verified', reasonText: `${tag}Reason` },
    reviewer.cookie,
  );
  expect(decided.statusCode, decided.body).toBe(200);
  return {
    userId: doctor.me.id,
    cookie: doctor.cookie,
    appId,
    width,
    canaries: [
      `${tag}Name`,
      `${tag.toLowerCase()}@example.com`,
      `${tag}Note`,
      id,
      practiceFor(id),
      qualificationFor(id),
      `${tag}Hospital`,
      `${tag}Dept`,
      `${tag}Title`,
      `${tag}Staff`,
      `${tag}Team`,
      `${tag}Tag`,
      `${tag}Education`,
      `${tag}Practice`,
      `${tag}Academic`,
      `${tag}Cases`,
      `${tag}Reason`,
    ],
  };
}

let a: Applicant;
let b: Applicant;
let blobStore: LocalBlobStore;

beforeAll(async () => {
  t = await createTestApp();
  reviewer = await staffCookie(t, ['reviewer']);
  const { keys, photos } = t.app.services;
  port = createOnboardingPort({ db: t.db, keys, photos, clock: t.clock });
  blobStore = new LocalBlobStore(path.join(t.config.dataDir, 'blobs'));
  a = await seedApplicant('CanaryAq7', '771', 1210);
  b = await seedApplicant('CanaryBz4', '772', 1300);
});
afterAll(async () => t.close());

const blobIdsOf = async (userId: string) =>
  (await t.db.selectFrom('blobs').select('id').where('owner_id', '=', userId).execute()).map((r) => r.id);

describe('onboarding personal-data port', () => {
  it('SEC-2: describe() lists exactly the personal columns of onboarding’s tables, under their owner', () => {
    const { owner, columns } = port.describe();
    expect(owner).toBe('features/onboarding/onboarding.repo.ts');
    const tables = Object.keys(columns);
    const expected = personalColumns()
      .filter((c) => tables.includes(c.table))
      .map((c) => `${c.table}.${c.column}`)
      .sort();
    const claimed = Object.entries(columns)
      .flatMap(([table, cols]) => (cols ?? []).map((c) => `${table}.${c}`))
      .sort();
    expect(claimed).toEqual(expected);
    expect(tables.sort()).toEqual(
      ['application_events', 'automated_decisions', 'blobs', 'doctor_applications', 'reveal_grants'].sort(),
    );
    const coverage = portCoverage([port]);
    expect(coverage.misowned).toEqual([]);
    expect(coverage.notPersonal).toEqual([]);
  });

  it('SEC-2: export gives the applicant every canary, decrypted, and their photos as files; nothing of the other applicant', async () => {
    const out = await port.export(t.db, { userId: a.userId });
    const text = JSON.stringify(out.data);
    for (const c of a.canaries) expect(text, c).toContain(c);
    for (const c of b.canaries) expect(text, c).not.toContain(c);
    expect(text).not.toContain(reviewer.id);
    const data = out.data as {
      timeline: Array<{ kind: string; by: string }>;
      revealsByStaff: unknown[];
      automatedDecisions: unknown[];
    };
    expect(data.timeline.map((e) => [e.kind, e.by])).toEqual([
      ['submitted', 'you'],
      ['prechecked', 'automated pre-check'],
      ['approved', 'reviewer'],
    ]);
    expect(data.revealsByStaff).toHaveLength(1);
    expect(data.automatedDecisions).toHaveLength(1);
    // Seven photos, full size and thumbnail each, all of them the applicant's own.
    expect(out.files).toHaveLength(DOCUMENT_SLOTS.length * 2);
    expect(out.files.map((f) => f.name)).toContain('onboarding/photos/id_front.jpg');
    const front = out.files.find((f) => f.name === 'onboarding/photos/id_front.jpg')!;
    const bytes = await front.open();
    expect((await sharp(bytes as Buffer).metadata()).width).toBe(a.width);
  });

  it('SEC-2: export of a staff member lists what they did, without the applicants’ data', async () => {
    const out = await port.export(t.db, { userId: reviewer.id });
    const data = out.data as { asReviewer: { reviewDecisions: Array<{ action: string }>; reveals: unknown[] } };
    expect(data.asReviewer.reviewDecisions.map((d) => d.action)).toEqual(['approved', 'approved']);
    expect(data.asReviewer.reveals).toHaveLength(2);
    const text = JSON.stringify(out.data);
    for (const c of [...a.canaries, ...b.canaries]) expect(text, c).not.toContain(c);
    expect(text).not.toContain(a.appId);
    expect(out.files).toEqual([]);
  });

  it('SEC-2: correct() changes expertise and biography in the application and on the live profile, with the draft route’s validation', async () => {
    await t.db.transaction().execute(async (trx) => {
      await port.correct!(trx, { userId: b.userId }, 'expertise', JSON.stringify(['CorrectedTagB']));
      await port.correct!(trx, { userId: b.userId }, 'biography.cases', 'CorrectedCasesB');
    });
    const mine = (await get(t, '/api/onboarding/application', b.cookie)).json();
    expect(mine.status).toBe('approved');
    expect(mine.form.professional.expertise).toEqual(['CorrectedTagB']);
    expect(mine.form.professional.biography.cases).toBe('CorrectedCasesB');
    expect(mine.form.professional.biography.education).toBe('CanaryBz4Education');
    const profile = (await get(t, `/api/public/doctors/${b.userId}`)).json();
    expect(profile.expertise).toEqual(['CorrectedTagB']);
    expect(profile.biography.cases).toBe('CorrectedCasesB');
    await expect(
      port.correct!(t.db, { userId: b.userId }, 'expertise', JSON.stringify(['x'.repeat(21)])),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(port.correct!(t.db, { userId: b.userId }, 'expertise', 'not json')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(port.correct!(t.db, { userId: b.userId }, 'biography.cases', 'x'.repeat(2001))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(port.correct!(t.db, { userId: b.userId }, 'title', 'Professor')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(port.correctable).not.toContain('title');
    // Stored sealed, as the draft route writes it.
    const row = await t.db
      .selectFrom('doctor_applications')
      .select('professional_enc')
      .where('user_id', '=', b.userId)
      .executeTakeFirstOrThrow();
    expect(row.professional_enc!.includes(Buffer.from('CorrectedCasesB'))).toBe(false);
    b.canaries = b.canaries.filter((c) => c !== 'CanaryBz4Tag' && c !== 'CanaryBz4Cases');
  });

  it('SEC-2: erase(delete) leaves no canary of the applicant readable, deletes their photo files, and keeps the other applicant intact', async () => {
    const aBlobs = await blobIdsOf(a.userId);
    const bBlobs = await blobIdsOf(b.userId);
    expect(aBlobs).toHaveLength(DOCUMENT_SLOTS.length * 2);
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.userId }, 'delete'));
    expect(steps).toEqual(
      expect.arrayContaining([
        { table: 'doctor_applications', action: 'deleted', rows: 1 },
        { table: 'automated_decisions', action: 'deleted', rows: 1 },
        { table: 'application_events', action: 'deleted', rows: 3 },
        { table: 'reveal_grants', action: 'deleted', rows: 1 },
        { table: 'blobs', action: 'deleted', rows: DOCUMENT_SLOTS.length * 2 },
      ]),
    );
    expect(steps.every((s) => s.action !== 'kept')).toBe(true);

    // The raw rows: gone.
    expect(await t.db.selectFrom('doctor_applications').selectAll().where('user_id', '=', a.userId).execute()).toEqual(
      [],
    );
    expect(
      await t.db.selectFrom('automated_decisions').selectAll().where('subject_id', '=', a.userId).execute(),
    ).toEqual([]);
    expect(
      await t.db.selectFrom('application_events').selectAll().where('application_id', '=', a.appId).execute(),
    ).toEqual([]);
    expect(await t.db.selectFrom('reveal_grants').selectAll().where('application_id', '=', a.appId).execute()).toEqual(
      [],
    );
    expect(await blobIdsOf(a.userId)).toEqual([]);
    for (const id of aBlobs) expect(await blobStore.get(id)).toBeNull();
    // Nothing of theirs left in clear anywhere in these tables.
    const everything = JSON.stringify([
      await t.db.selectFrom('doctor_applications').selectAll().execute(),
      await t.db.selectFrom('automated_decisions').selectAll().execute(),
      await t.db.selectFrom('application_events').selectAll().execute(),
      await t.db.selectFrom('reveal_grants').selectAll().execute(),
      await t.db.selectFrom('blobs').selectAll().execute(),
    ]);
    for (const c of a.canaries) expect(everything, c).not.toContain(c);
    expect(everything).not.toContain(a.userId);
    expect((await port.export(t.db, { userId: a.userId })).data).toEqual({ automatedDecisions: [], photos: [] });

    // The other applicant: all there and readable.
    const other = await port.export(t.db, { userId: b.userId });
    const text = JSON.stringify(other.data);
    for (const c of b.canaries) expect(text, c).toContain(c);
    expect(await blobIdsOf(b.userId)).toEqual(bBlobs);
    for (const id of bBlobs) expect(await blobStore.get(id)).not.toBeNull();
    const front = other.files.find((f) => f.name === 'onboarding/photos/id_front.jpg')!;
    expect((await sharp((await front.open()) as Buffer).metadata()).width).toBe(b.width);
  });

  it('SEC-2: erase of a staff member cuts their link to the review events, which stay on the applicant’s timeline, and deletes their reveal grants', async () => {
    const before = await t.db
      .selectFrom('application_events')
      .selectAll()
      .where('application_id', '=', b.appId)
      .execute();
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: reviewer.id }, 'anonymise'));
    expect(steps).toEqual(
      expect.arrayContaining([
        { table: 'application_events', action: 'anonymised', rows: 1 },
        { table: 'reveal_grants', action: 'deleted', rows: 1 },
      ]),
    );
    expect(
      await t.db.selectFrom('application_events').select('id').where('actor_id', '=', reviewer.id).execute(),
    ).toEqual([]);
    expect(await t.db.selectFrom('reveal_grants').select('id').where('staff_id', '=', reviewer.id).execute()).toEqual(
      [],
    );
    const after = await t.db
      .selectFrom('application_events')
      .selectAll()
      .where('application_id', '=', b.appId)
      .execute();
    expect(after.map((e) => [e.id, e.kind, e.reason_code])).toEqual(before.map((e) => [e.id, e.kind, e.reason_code]));
    expect(after.find((e) => e.kind === 'approved')!.actor_id).toBeNull();
    // The applicant still reads the reviewer's words to them; the staff member has nothing left here.
    const mine = (await get(t, '/api/onboarding/application', b.cookie)).json();
    expect(mine.timeline.map((e: { reasonText: string | null }) => e.reasonText)).toContain('CanaryBz4Reason');
    expect((await port.export(t.db, { userId: reviewer.id })).data).not.toHaveProperty('asReviewer');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, post, signIn, type TestApp } from '../../../test/harness.js';
import {
  completeForm,
  consentedDoctor,
  DOCUMENT_SLOTS,
  giveOnboardingConsent,
  GPS_CANARY,
  photoWithGps,
  put,
  practiceFor,
  qualificationFor,
  residentId,
  staffCookie,
  submittedDoctor,
  uploadPhoto,
} from '../../../test/onboarding-fixtures.js';

let t: TestApp;

const applicationIdOf = async (t: TestApp, userId: string) =>
  (await t.db.selectFrom('doctor_applications').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow())
    .id;
let reviewer: { cookie: string; id: string };
beforeAll(async () => {
  t = await createTestApp();
  reviewer = await staffCookie(t, ['reviewer']);
});
afterAll(async () => t.close());

describe('the application (doctor side)', () => {
  it('ONB-1: the full application is saved as a draft, encrypted, and birthday/gender/age are derived from the ID number', async () => {
    const { cookie, me } = await consentedDoctor(t);
    const id = residentId('19850615', '124');
    const res = await put(t, '/api/onboarding/application', completeForm(id), cookie);
    expect(res.statusCode).toBe(200);
    const app = res.json();
    expect(app.status).toBe('draft');
    expect(app.derived).toEqual({ birthday: '1985-06-15', gender: 'female', age: expect.any(Number) });
    expect(app.form.professional.biography.cases).toContain('青少年');
    expect(app.fieldErrors).toEqual([]);
    const row = await t.db
      .selectFrom('doctor_applications')
      .selectAll()
      .where('user_id', '=', me.id)
      .executeTakeFirstOrThrow();
    for (const col of [
      'basic_enc',
      'id_number_enc',
      'practice_cert_enc',
      'qualification_cert_enc',
      'professional_enc',
    ] as const) {
      expect(row[col]!.includes(Buffer.from(id))).toBe(false);
      expect(row[col]!.includes(Buffer.from('林安心'))).toBe(false);
    }
  });

  it('ONB-1: an invalid ID is kept in the draft but reported per field; a typed gender that contradicts the ID is an error', async () => {
    const { cookie } = await consentedDoctor(t);
    const id = residentId('19850615', '125');
    const badChecksum = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    const res = (
      await put(t, '/api/onboarding/application', { basic: { name: '王', idNumber: badChecksum } }, cookie)
    ).json();
    expect(res.form.basic.idNumber).toBe(badChecksum);
    expect(res.fieldErrors).toEqual([expect.objectContaining({ field: 'basic.idNumber', code: 'ID_CHECKSUM' })]);
    const male = (
      await put(t, '/api/onboarding/application', { basic: { idNumber: id, gender: 'female' } }, cookie)
    ).json();
    expect(male.fieldErrors[0], JSON.stringify(male)).toMatchObject({
      field: 'basic.idNumber',
      code: 'ID_GENDER_MISMATCH',
    });
    expect(male.fieldErrors[0].message.zh).toMatch(/性别/);
  });

  it('ONB-2: without the separate consent, or with an item missing, submission is refused with the item and its purpose; the rest of the account keeps working', async () => {
    const { cookie } = await signIn(t);
    const noConsent = await post(t, '/api/onboarding/application/submit', {}, cookie);
    expect(noConsent.statusCode).toBe(409);
    expect(noConsent.json().error.code).toBe('SENSITIVE_CONSENT_REQUIRED');
    await giveOnboardingConsent(t, cookie);
    const form = completeForm(residentId('19850615', '126'));
    delete form.basic!.idNumber;
    await put(t, '/api/onboarding/application', form, cookie);
    const missing = await post(t, '/api/onboarding/application/submit', {}, cookie);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'APPLICATION_INCOMPLETE', field: 'basic.idNumber' });
    expect(missing.json().error.message).toMatch(/身份证号.*核验您的真实身份/);
    const en = await post(t, '/api/onboarding/application/submit', {}, cookie, { 'accept-language': 'en' });
    expect(en.json().error.message).toMatch(/Resident ID number.*verify who you are/);
    const mine = (await get(t, '/api/onboarding/application', cookie)).json();
    expect(mine.missing.map((m: { field: string }) => m.field)).toContain('photo:id_front');
    expect((await get(t, '/api/me', cookie)).statusCode).toBe(200);
    expect((await get(t, '/api/me/sessions', cookie)).statusCode).toBe(200);
  });

  it('ONB-2: psychotherapists and counsellors need no physician practice certificate', async () => {
    const { cookie } = await consentedDoctor(t);
    const form = completeForm(residentId('19850615', '127'), { practitionerType: 'counsellor' });
    delete form.credentials!.practiceCertNo;
    form.credentials!.qualificationCertNo = 'XL-2019-0042';
    const mine = (await put(t, '/api/onboarding/application', form, cookie)).json();
    expect(mine.missing.map((m: { field: string }) => m.field)).not.toContain('credentials.practiceCertNo');
    expect(mine.missing.map((m: { field: string }) => m.field)).not.toContain('photo:practice_cert_cover');
    expect(mine.fieldErrors).toEqual([]);
  });

  it('ONB-3 / RIG-6: submission runs the pre-check, recorded as an automated decision with rule set, input hash and explanations; it never rejects on its own', async () => {
    const d = await submittedDoctor(t);
    const app = d.application;
    expect(app.status).toBe('submitted');
    expect(app.precheck).toMatchObject({
      ruleSetVersion: expect.stringMatching(/^onboarding-precheck\//),
      outcome: 'pass',
      humanReviewRequired: true,
    });
    expect(app.precheck.inputsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(app.precheck.rules.map((r: { rule: string }) => r.rule)).toEqual(
      expect.arrayContaining([
        'id_number',
        'certificate_numbers',
        'duplicate_id_number',
        'duplicate_certificate',
        'photo_readability',
        'required_items',
      ]),
    );
    for (const rule of app.precheck.rules) {
      expect(rule.explanation.zh.length).toBeGreaterThan(5);
      expect(rule.explanation.en.length).toBeGreaterThan(5);
      expect(JSON.stringify(rule)).not.toContain(d.idNumber);
    }
    const stored = await t.db
      .selectFrom('automated_decisions')
      .selectAll()
      .where('id', '=', app.precheck.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: 'onboarding_precheck', outcome: 'pass' });
    expect(app.timeline.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'prechecked']);
    // Submitted applications cannot be changed until a reviewer has decided.
    expect((await put(t, '/api/onboarding/application', completeForm(d.idNumber), d.cookie)).json().error.code).toBe(
      'APPLICATION_NOT_EDITABLE',
    );
  });

  it('ONB-3: the same ID number in another account is flagged with an explanation, but the application still goes to a person', async () => {
    const first = await submittedDoctor(t, residentId('19800101', '555'));
    const second = await submittedDoctor(t, first.idNumber);
    const flag = second.application.precheck.rules.find((r: { rule: string }) => r.rule === 'duplicate_id_number');
    expect(flag.outcome).toBe('flag');
    expect(flag.explanation.zh).toMatch(/另一个账号/);
    expect(second.application.precheck.outcome).toBe('flags');
    expect(second.application.status).toBe('submitted');
    const certFlag = second.application.precheck.rules.find(
      (r: { rule: string }) => r.rule === 'duplicate_certificate',
    );
    expect(certFlag.outcome).toBe('flag');
  });

  it('ONB-3: a qualification certificate embedding someone else’s ID number is an error', async () => {
    const { cookie } = await consentedDoctor(t);
    const form = completeForm(residentId('19850615', '128'));
    form.credentials!.qualificationCertNo = qualificationFor(residentId('19900101', '222'));
    const mine = (await put(t, '/api/onboarding/application', form, cookie)).json();
    expect(mine.fieldErrors).toEqual([
      expect.objectContaining({ field: 'credentials.qualificationCertNo', code: 'QUALIFICATION_CERT_ID_MISMATCH' }),
    ]);
  });
});

describe('separate consent for sensitive data', () => {
  it('ONB-2: nothing of the application is stored before the separate consent: no draft, no photo', async () => {
    const { cookie, me } = await signIn(t);
    const saved = await put(t, '/api/onboarding/application', completeForm(residentId('19850615', '141')), cookie);
    expect(saved.statusCode).toBe(409);
    expect(saved.json().error.code).toBe('SENSITIVE_CONSENT_REQUIRED');
    const photo = await uploadPhoto(t, cookie, 'id_front', await photoWithGps());
    expect(photo.json().error.code).toBe('SENSITIVE_CONSENT_REQUIRED');
    expect(
      await t.db.selectFrom('doctor_applications').select('id').where('user_id', '=', me.id).executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await t.db.selectFrom('blobs').select('id').where('owner_id', '=', me.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('RIG-4: after the applicant withdraws the consent, reviewers can no longer reveal documents or approve', async () => {
    const d = await submittedDoctor(t);
    const appId = await applicationIdOf(t, d.me.id);
    const withdrawn = await t.app.inject({
      method: 'DELETE',
      url: '/api/consents/sensitive/onboarding',
      headers: { cookie: d.cookie, origin: ORIGIN },
    });
    expect(withdrawn.statusCode).toBe(200);
    const reveal = await post(
      t,
      `/api/admin/applications/${appId}/reveal`,
      { fields: ['id_number'], purpose: 'credential_verification' },
      reviewer.cookie,
    );
    expect(reveal.json().error.code).toBe('APPLICANT_CONSENT_WITHDRAWN');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/admin/applications/${appId}/photos/id_front?variant=blurred`,
          headers: { cookie: reviewer.cookie },
        })
      ).statusCode,
    ).toBe(409);
    const approve = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'approve', reasonCode: 'verified', reasonText: '通过' },
      reviewer.cookie,
    );
    expect(approve.json().error.code).toBe('APPLICANT_CONSENT_WITHDRAWN');
    // Declining stays possible, so the application can be closed.
    const reject = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'reject', reasonCode: 'invalid_documents', reasonText: '申请人已撤回同意' },
      reviewer.cookie,
    );
    expect(reject.statusCode).toBe(200);
  });
});

describe('photos', () => {
  it('CON-3: EXIF and GPS are removed by re-encoding, and the stored file is ciphertext', async () => {
    const { cookie, me } = await consentedDoctor(t);
    const original = await photoWithGps();
    expect(original.includes(Buffer.from(GPS_CANARY))).toBe(true);
    const up = await uploadPhoto(t, cookie, 'id_front', original);
    expect(up.statusCode).toBe(200);
    expect(up.json().photos.id_front).toMatchObject({ width: 1200, height: 900 });
    const full = await t.app.inject({
      method: 'GET',
      url: '/api/onboarding/photos/id_front?variant=full',
      headers: { cookie },
    });
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.headers['cache-control']).toBe('no-store');
    expect(full.headers['x-content-type-options']).toBe('nosniff');
    expect(full.headers['content-disposition']).toBe('inline; filename="photo.jpg"');
    const meta = await sharp(full.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(full.rawPayload.includes(Buffer.from(GPS_CANARY))).toBe(false);
    const blobs = await t.db.selectFrom('blobs').select('id').where('owner_id', '=', me.id).execute();
    expect(blobs).toHaveLength(2);
    for (const b of blobs) {
      const onDisk = fs.readFileSync(path.join(t.config.dataDir, 'blobs', b.id.slice(0, 2), b.id));
      expect(onDisk.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
      expect(onDisk.includes(Buffer.from('JFIF'))).toBe(false);
    }
    // Replacing a photo removes the old one everywhere.
    await uploadPhoto(t, cookie, 'id_front', await photoWithGps(1000, 800));
    for (const b of blobs)
      expect(fs.existsSync(path.join(t.config.dataDir, 'blobs', b.id.slice(0, 2), b.id))).toBe(false);
  });

  it('CON-3: anything appended after the image data (a script) is gone after upload', async () => {
    const { cookie } = await consentedDoctor(t);
    const payload = Buffer.concat([await photoWithGps(), Buffer.from('<script>alert(document.cookie)</script>')]);
    expect((await uploadPhoto(t, cookie, 'avatar', payload)).statusCode).toBe(200);
    const full = await t.app.inject({
      method: 'GET',
      url: '/api/onboarding/photos/avatar?variant=full',
      headers: { cookie },
    });
    expect(full.rawPayload.includes(Buffer.from('<script>'))).toBe(false);
  });

  it.each([
    [
      'an SVG',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="900" height="900"/></svg>'),
      'image/svg+xml',
      415,
      'PHOTO_TYPE_UNSUPPORTED',
    ],
    [
      'random bytes called a JPEG',
      Buffer.from('this is not an image at all, just text'),
      'image/jpeg',
      415,
      'PHOTO_TYPE_UNSUPPORTED',
    ],
    ['a PDF', Buffer.from('%PDF-1.4\n%âãÏÓ\n'), 'application/pdf', 415, 'PHOTO_TYPE_UNSUPPORTED'],
  ])('CON-3: %s is refused with a clear error', async (_name, bytes, type, status, code) => {
    const { cookie } = await consentedDoctor(t);
    const res = await uploadPhoto(t, cookie, 'id_front', bytes, type);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toMatch(/JPEG/);
  });

  it('CON-3: a truncated JPEG, a tiny image and an oversize file each get their own error', async () => {
    const { cookie } = await consentedDoctor(t);
    const jpeg = await photoWithGps();
    const truncated = await uploadPhoto(t, cookie, 'id_front', jpeg.subarray(0, 400));
    expect(truncated.json().error.code).toBe('PHOTO_UNREADABLE');
    const tiny = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const small = await uploadPhoto(t, cookie, 'id_front', tiny, 'image/png');
    expect(small.statusCode).toBe(400);
    expect(small.json().error.code).toBe('PHOTO_TOO_SMALL');
    const big = Buffer.concat([jpeg, Buffer.alloc(10.5 * 1024 * 1024, 1)]);
    const tooLarge = await uploadPhoto(t, cookie, 'id_front', big);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('PHOTO_TOO_LARGE');
    const hugeRes = await uploadPhoto(t, cookie, 'id_front', Buffer.concat([big, Buffer.alloc(3 * 1024 * 1024)]));
    expect(hugeRes.statusCode).toBe(413);
  });

  it('CON-3: the declared type is not trusted either way: a JPEG sent as text/plain is processed, a 30000×300 strip is refused', async () => {
    const { cookie } = await consentedDoctor(t);
    expect((await uploadPhoto(t, cookie, 'id_front', await photoWithGps(), 'text/plain')).statusCode).toBe(200);
    const strip = await sharp({ create: { width: 6000, height: 300, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    const res = await uploadPhoto(t, cookie, 'id_back', strip, 'image/png');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PHOTO_UNREADABLE');
  });

  it('SEC-1: only the upload route accepts raw bodies; other routes refuse them without buffering', async () => {
    const { cookie } = await consentedDoctor(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/onboarding/application/submit',
      payload: Buffer.alloc(200_000, 7),
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/octet-stream' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('SEC-1: photos are served only to their owner (another doctor cannot see them) and never to patients', async () => {
    const a = await consentedDoctor(t);
    const b = await signIn(t);
    const patient = await signIn(t, 'patient');
    await uploadPhoto(t, a.cookie, 'id_front', await photoWithGps());
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/onboarding/photos/id_front', headers: { cookie: b.cookie } }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/onboarding/photos/id_front',
          headers: { cookie: patient.cookie },
        })
      ).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/onboarding/photos/id_front' })).statusCode).toBe(401);
  });
});

describe('review (staff side)', () => {
  it('ONB-4: the queue and the detail show ID and certificate numbers masked, never in full', async () => {
    const d = await submittedDoctor(t);
    const queue = (await get(t, '/api/admin/applications', reviewer.cookie)).json();
    const item =
      queue.items.find((i: { id: string }) => i.id === d.application.precheck && false) ?? queue.items.at(-1);
    expect(item).toMatchObject({
      status: 'submitted',
      name: '林安心',
      practitionerType: 'psychiatrist',
      flags: expect.any(Number),
    });
    expect(item.waitingHours).toBeGreaterThanOrEqual(0);
    const appId = await applicationIdOf(t, d.me.id);
    const detail = await get(t, `/api/admin/applications/${appId}`, reviewer.cookie);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.masked.idNumber).toBe(`${d.idNumber.slice(0, 4)}**********${d.idNumber.slice(-4)}`);
    expect(detail.body).not.toContain(d.idNumber);
    expect(detail.body).not.toContain(practiceFor(d.idNumber));
    expect(JSON.stringify(queue)).not.toContain(d.idNumber);
    expect(body.photoSlots).toEqual(DOCUMENT_SLOTS);
    // Opening the detail is itself an audited read of personal data, with the review purpose.
    const read = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staff.viewed_personal_data')
      .where('subject_id', '=', d.me.id)
      .execute();
    expect(read).toEqual([expect.objectContaining({ actor_id: reviewer.id, purpose: 'application_review' })]);
  });

  it('ONB-4: full photos need a reveal with a purpose; the reveal and each view are audited with reviewer, purpose and fields', async () => {
    const d = await submittedDoctor(t);
    const appId = await applicationIdOf(t, d.me.id);
    const blurred = await t.app.inject({
      method: 'GET',
      url: `/api/admin/applications/${appId}/photos/id_front?variant=blurred`,
      headers: { cookie: reviewer.cookie },
    });
    expect(blurred.statusCode).toBe(200);
    expect((await sharp(blurred.rawPayload).metadata()).width).toBeLessThanOrEqual(240);
    const denied = await t.app.inject({
      method: 'GET',
      url: `/api/admin/applications/${appId}/photos/id_front?variant=full`,
      headers: { cookie: reviewer.cookie },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('REVEAL_REQUIRED');
    const noPurpose = await post(
      t,
      `/api/admin/applications/${appId}/reveal`,
      { fields: ['id_number'] },
      reviewer.cookie,
    );
    expect(noPurpose.statusCode).toBe(400);
    const reveal = await post(
      t,
      `/api/admin/applications/${appId}/reveal`,
      { fields: ['id_number', 'photo:id_front'], purpose: 'credential_verification' },
      reviewer.cookie,
    );
    expect(reveal.statusCode).toBe(200);
    expect(reveal.json()).toMatchObject({ idNumber: d.idNumber, photoSlots: ['id_front'] });
    expect(reveal.json().practiceCertNo).toBeUndefined();
    const full = await t.app.inject({
      method: 'GET',
      url: `/api/admin/applications/${appId}/photos/id_front?variant=full`,
      headers: { cookie: reviewer.cookie },
    });
    expect(full.statusCode).toBe(200);
    expect(full.headers['cache-control']).toBe('no-store');
    // Only the revealed slot: the ID back stays closed.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/admin/applications/${appId}/photos/id_back?variant=full`,
          headers: { cookie: reviewer.cookie },
        })
      ).statusCode,
    ).toBe(403);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staff.viewed_personal_data')
      .where('subject_id', '=', d.me.id)
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor_id: reviewer.id, purpose: 'credential_verification' });
    expect(audit[0]!.details).toMatchObject({ fields: ['id_number', 'photo:id_front'], via: 'reveal' });
    expect(audit[1]!.details).toMatchObject({ fields: ['photo:id_front'], via: 'photo' });
    expect(JSON.stringify(audit)).not.toContain(d.idNumber);
    // The grant ends after ten minutes.
    t.clock.advance(11 * 60_000);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/admin/applications/${appId}/photos/id_front?variant=full`,
          headers: { cookie: reviewer.cookie },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('ONB-4: a reviewer cannot decide on an application made with their own phone number', async () => {
    const phone = '13512340987';
    const doctor = await signIn(t, 'doctor', phone, { keepSignedIn: true });
    await giveOnboardingConsent(t, doctor.cookie);
    const id = residentId('19790101', '808');
    await put(t, '/api/onboarding/application', completeForm(id), doctor.cookie);
    for (const slot of DOCUMENT_SLOTS) await uploadPhoto(t, doctor.cookie, slot, await photoWithGps());
    expect((await post(t, '/api/onboarding/application/submit', {}, doctor.cookie)).statusCode).toBe(200);
    const appId = await applicationIdOf(t, doctor.me.id);
    t.clock.advance(61_000); // the per-number resend limit spans apps
    const self = await staffCookie(t, ['reviewer'], phone);
    const res = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'approve', reasonCode: 'verified', reasonText: '通过审核' },
      self.cookie,
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('REVIEW_CONFLICT_OF_INTEREST');
  });

  it('ONB-4: a reason made of spaces is not a reason', async () => {
    const d = await submittedDoctor(t);
    const appId = await applicationIdOf(t, d.me.id);
    const res = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'request_changes', reasonCode: 'other_changes', reasonText: '    ' },
      reviewer.cookie,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reasonText' });
  });

  it('ONB-4: only reviewers and admins review: other doctors, patients and the support role are refused', async () => {
    const d = await submittedDoctor(t);
    const appId = await applicationIdOf(t, d.me.id);
    const otherDoctor = await signIn(t);
    const patient = await signIn(t, 'patient');
    const support = await staffCookie(t, ['support']);
    const admin = await staffCookie(t, ['admin']);
    for (const cookie of [otherDoctor.cookie, patient.cookie, support.cookie]) {
      expect((await get(t, '/api/admin/applications', cookie)).statusCode).toBe(403);
      expect((await get(t, `/api/admin/applications/${appId}`, cookie)).statusCode).toBe(403);
      expect(
        (
          await post(
            t,
            `/api/admin/applications/${appId}/reveal`,
            { fields: ['id_number'], purpose: 'credential_verification' },
            cookie,
          )
        ).statusCode,
      ).toBe(403);
    }
    expect((await get(t, `/api/admin/applications/${appId}`, admin.cookie)).statusCode).toBe(200);
    // A doctor's own application endpoint only ever returns their own.
    expect((await get(t, '/api/onboarding/application', otherDoctor.cookie)).json().form).toEqual({});
  });

  it('ONB-4: ask for changes with a reason → the doctor sees status, reason, timeline and a notice, fixes it and resubmits; a decided application cannot be decided again', async () => {
    const d = await submittedDoctor(t);
    const appId = await applicationIdOf(t, d.me.id);
    const noReason = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'request_changes', reasonCode: 'photo_unclear', reasonText: '' },
      reviewer.cookie,
    );
    expect(noReason.statusCode).toBe(400);
    const wrongTemplate = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'approve', reasonCode: 'photo_unclear', reasonText: '好的' },
      reviewer.cookie,
    );
    expect(wrongTemplate.json().error.code).toBe('REASON_TEMPLATE_UNKNOWN');
    const decided = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'request_changes', reasonCode: 'photo_unclear', reasonText: '身份证国徽面反光，请重新拍摄。' },
      reviewer.cookie,
    );
    expect(decided.statusCode).toBe(200);
    expect(
      (
        await post(
          t,
          `/api/admin/applications/${appId}/decision`,
          { decision: 'approve', reasonCode: 'verified', reasonText: '通过' },
          reviewer.cookie,
        )
      ).json().error.code,
    ).toBe('APPLICATION_NOT_PENDING');
    const mine = (await get(t, '/api/onboarding/application', d.cookie)).json();
    expect(mine.status).toBe('changes_requested');
    expect(mine.timeline.at(-1)).toMatchObject({
      kind: 'changes_requested',
      reasonCode: 'photo_unclear',
      reasonText: '身份证国徽面反光，请重新拍摄。',
      reasonLabel: { zh: '证件照片不清晰', en: 'Document photo unclear' },
    });
    const notices = (await get(t, '/api/me/notices', d.cookie)).json();
    expect(notices.unread).toBe(1);
    expect(notices.notices[0].title.zh).toBe('入驻申请需要修改');
    await post(t, `/api/me/notices/${notices.notices[0].id}/read`, {}, d.cookie);
    expect((await get(t, '/api/me/notices', d.cookie)).json().unread).toBe(0);
    // The reviewer's words are stored encrypted.
    const ev = await t.db
      .selectFrom('application_events')
      .selectAll()
      .where('application_id', '=', appId)
      .where('kind', '=', 'changes_requested')
      .executeTakeFirstOrThrow();
    expect(ev.reason_text_enc!.includes(Buffer.from('反光'))).toBe(false);
    expect((await uploadPhoto(t, d.cookie, 'id_back', await photoWithGps(1300, 1000))).statusCode).toBe(200);
    const again = await post(t, '/api/onboarding/application/submit', {}, d.cookie);
    expect(again.json().status).toBe('submitted');
    const queue = (await get(t, '/api/admin/applications', reviewer.cookie)).json();
    expect(queue.items.find((i: { id: string }) => i.id === appId).resubmission).toBe(true);
  });
});

describe('public profile', () => {
  async function approved() {
    const d = await submittedDoctor(t);
    const appId = await applicationIdOf(t, d.me.id);
    const res = await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'approve', reasonCode: 'verified', reasonText: '资质核验通过' },
      reviewer.cookie,
    );
    expect(res.statusCode).toBe(200);
    return { ...d, appId };
  }

  it('ONB-5: an approved doctor’s public profile carries only public fields — never ID, certificate numbers, photos of documents, phone, email or birthday', async () => {
    const d = await approved();
    const res = await get(t, `/api/public/doctors/${d.me.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual([
      'avatarUrl',
      'biography',
      'department',
      'expertise',
      'hospital',
      'id',
      'name',
      'practitionerType',
      'title',
      'verified',
      'verifiedAt',
    ]);
    expect(Object.keys(body.biography).sort()).toEqual(['academic', 'cases', 'education', 'practice']);
    expect(body).toMatchObject({
      name: '林安心',
      title: '副主任医师',
      hospital: '四川大学华西医院',
      department: '心理卫生中心',
      practitionerType: 'psychiatrist',
      verified: true,
    });
    for (const secret of [
      d.idNumber,
      practiceFor(d.idNumber),
      '13912340000',
      'lin.anxin@example.com',
      '1985-06-15',
      d.phone,
      'HX2010-088',
    ]) {
      expect(res.body).not.toContain(secret);
    }
    const list = await get(t, '/api/public/doctors?expertise=焦虑');
    expect(list.json().doctors.map((x: { id: string }) => x.id)).toContain(d.me.id);
    for (const secret of [d.idNumber, practiceFor(d.idNumber)]) expect(list.body).not.toContain(secret);
    const avatar = await get(t, body.avatarUrl);
    expect(avatar.statusCode).toBe(200);
    // A disabled account disappears from every public route, avatar included.
    await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', d.me.id).execute();
    expect((await get(t, body.avatarUrl)).statusCode).toBe(404);
    expect((await get(t, `/api/public/doctors/${d.me.id}`)).statusCode).toBe(404);
    await t.db.updateTable('users').set({ status: 'active' }).where('id', '=', d.me.id).execute();
    expect(avatar.headers['content-type']).toBe('image/jpeg');
    // Unapproved doctors do not exist publicly.
    const pending = await submittedDoctor(t);
    expect((await get(t, `/api/public/doctors/${pending.me.id}`)).statusCode).toBe(404);
    expect((await get(t, '/api/public/doctors')).body).not.toContain(pending.me.id);
  });

  it('ONB-6: biography and expertise edits go live at once; a credential change goes back to review while the approved profile stays live', async () => {
    const d = await approved();
    const form = completeForm(d.idNumber, {
      expertise: ['创伤', '家庭'],
      biography: { education: '新的教育背景', practice: '新的从业经历' },
    });
    const edited = (await put(t, '/api/onboarding/application', form, d.cookie)).json();
    expect(edited.status).toBe('approved');
    expect((await get(t, `/api/public/doctors/${d.me.id}`)).json()).toMatchObject({
      expertise: ['创伤', '家庭'],
      biography: { education: '新的教育背景' },
    });

    const moved = completeForm(d.idNumber, {
      expertise: ['创伤', '家庭'],
      biography: { education: '新的教育背景', practice: '新的从业经历' },
      hospital: '成都市第四人民医院',
    });
    const reopened = (await put(t, '/api/onboarding/application', moved, d.cookie)).json();
    expect(reopened.status).toBe('draft');
    expect(reopened.profileLive).toBe(true);
    expect((await get(t, `/api/public/doctors/${d.me.id}`)).json().hospital).toBe('四川大学华西医院');
    expect((await post(t, '/api/onboarding/application/submit', {}, d.cookie)).json().status).toBe('submitted');
    await post(
      t,
      `/api/admin/applications/${d.appId}/decision`,
      { decision: 'approve', reasonCode: 'verified', reasonText: '新执业地点已核验' },
      reviewer.cookie,
    );
    expect((await get(t, `/api/public/doctors/${d.me.id}`)).json().hospital).toBe('成都市第四人民医院');
  });

  it('ONB-6: an approved application cannot be resubmitted unchanged, and a rejected re-review takes the profile down', async () => {
    const d = await approved();
    const again = await post(t, '/api/onboarding/application/submit', {}, d.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('APPLICATION_NOTHING_TO_SUBMIT');
    await put(t, '/api/onboarding/application', completeForm(d.idNumber, { hospital: '某民营诊所' }), d.cookie);
    expect((await post(t, '/api/onboarding/application/submit', {}, d.cookie)).json().status).toBe('submitted');
    expect((await get(t, `/api/public/doctors/${d.me.id}`)).statusCode).toBe(200);
    await post(
      t,
      `/api/admin/applications/${d.appId}/decision`,
      { decision: 'reject', reasonCode: 'not_qualified', reasonText: '新执业机构无法核验' },
      reviewer.cookie,
    );
    expect((await get(t, `/api/public/doctors/${d.me.id}`)).statusCode).toBe(404);
    const actions = (
      await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', d.me.id).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['onboarding.reopened', 'profile.unpublished']));
  });

  it('ONB-6: a new avatar replaces the public one at once', async () => {
    const d = await approved();
    const before = (await get(t, `/api/public/doctors/${d.me.id}/avatar`)).rawPayload;
    const newer = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#c33' } })
      .jpeg()
      .toBuffer();
    expect((await uploadPhoto(t, d.cookie, 'avatar', newer)).json().status).toBe('approved');
    const after = (await get(t, `/api/public/doctors/${d.me.id}/avatar`)).rawPayload;
    expect(after.equals(before)).toBe(false);
  });
});

describe('inventory and audit of onboarding', () => {
  it('SEC-1: every onboarding step that matters is in the audit chain', async () => {
    const d = await submittedDoctor(t);
    const actions = (
      await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', d.me.id).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'consent.sensitive_given',
        'onboarding.photo_uploaded',
        'onboarding.submitted',
        'onboarding.prechecked',
      ]),
    );
    const { verifyAuditChain } = await import('../../privacy/audit/audit.js');
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    void ORIGIN;
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, post, signIn, type TestApp } from '../../../test/harness.js';
import { staffCookie } from '../../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../../../test/consultation-fixtures.js';
import { runRetention } from './retention.js';

let t: TestApp;
const DAY = 86_400_000;
const deps = () => ({ ...t.app.services, db: t.db, clock: t.clock });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the retention engine (SEC-2), with a fake clock', () => {
  // First: the tombstone's time is the database's (real) time, so this runs before the clock moves far.
  it('SEC-2: the consent records of an erased account are kept 3 years after the erasure, then deleted', async () => {
    const p = await signIn(t, 'patient');
    await t.db.transaction().execute(async (trx) => {
      for (const port of t.app.services.personalData.ports()) await port.erase(trx, { userId: p.me.id }, 'delete');
    });
    const consents = () => t.db.selectFrom('consents').select('id').where('user_id', '=', p.me.id).execute();
    expect((await consents()).length).toBeGreaterThan(0);
    t.clock.advance(2 * 365 * DAY);
    await runRetention(deps());
    expect((await consents()).length).toBeGreaterThan(0);
    t.clock.advance(365 * DAY + 2 * DAY);
    const r = await runRetention(deps());
    expect(r.consents).toBeGreaterThan(0);
    expect(await consents()).toHaveLength(0);
  });

  it('SEC-2: a consultation (medical record) keeps its key 15 years after it ended, then the key is destroyed', async () => {
    const reviewer = await staffCookie(t, ['reviewer']);
    const doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '521');
    const { id } = await activeConsultation(t, doctor);
    expect((await post(t, `/api/consultations/${id}/end`, {}, doctor.cookie)).statusCode).toBe(200);
    const key = () => t.db.selectFrom('subject_keys').select('subject_id').where('subject_id', '=', id).execute();
    t.clock.advance(14 * 365 * DAY);
    await runRetention(deps());
    expect(await key()).toHaveLength(1);
    t.clock.advance(1 * 365 * DAY + DAY);
    const r = await runRetention(deps());
    expect(r.medicalRecords).toBeGreaterThanOrEqual(1);
    expect(await key()).toHaveLength(0);
  });

  it('SEC-2: the audit log is kept 3 years, then its oldest part leaves with the chain still verifiable', async () => {
    await signIn(t, 'patient');
    const before = await t.db.selectFrom('audit_log').select('id').execute();
    t.clock.advance(4 * 365 * DAY);
    // The purge compares with real entry times; entries written "now" by the fake clock are years old by now.
    const r = await runRetention(deps());
    expect(r.audit).toBeGreaterThan(0);
    const after = await t.db.selectFrom('audit_log').select('id').execute();
    expect(after.length).toBeLessThan(before.length);
    const officer = await staffCookie(t, ['security_officer']);
    expect((await post(t, '/api/admin/audit/verify', {}, officer.cookie)).json()).toMatchObject({ ok: true });
  });
});

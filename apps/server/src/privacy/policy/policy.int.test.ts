import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, policyProof, post, signIn, type TestApp } from '../../../test/harness.js';
import { PolicyService } from './policy.service.js';
import { sha256Hex } from './policy-text.js';
import { TERMS } from './terms-text.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('privacy policy and consent', () => {
  it('POL-1: a published policy exists from the first start, generated from the inventory with the operator contact', async () => {
    const zh = (await get(t, '/api/policy/current?locale=zh-CN')).json();
    const en = (await get(t, '/api/policy/current?locale=en')).json();
    expect(zh.version).toBe(1);
    expect(zh.text).toContain(t.config.operator.hotline);
    expect(zh.text).toContain('手机号码');
    expect(en.text).toContain('Mobile number');
    expect(zh.textSha256).toBe(sha256Hex(zh.text));
    expect(en.textSha256).toBe(sha256Hex(en.text));
    expect(zh.summary.length).toBeGreaterThan(20);
  });

  it('POL-1: the user agreement is its own public document, not the policy again, with the operator contact', async () => {
    const policyZh = (await get(t, '/api/policy/current?locale=zh-CN')).json();
    const zh = await get(t, '/api/policy/terms?locale=zh-CN');
    expect(zh.statusCode).toBe(200);
    const terms = zh.json();
    expect(terms.title).toBe('安心用户协议');
    expect(terms.title).not.toBe(policyZh.title);
    expect(terms.text).not.toBe(policyZh.text);
    expect(terms.textSha256).toBe(sha256Hex(terms.text));
    // Not an emergency service, the follow-up-only rule for doctors, PRC law, the operator from config.
    for (const needle of ['120', '110', '12356', '复诊', '中华人民共和国法律', t.config.operator.hotline])
      expect(terms.text).toContain(needle);
    expect(terms.text).toContain(t.config.operator.email);
    expect(terms.operator).toEqual(t.config.operator);
    const en = (await get(t, '/api/policy/terms', undefined, { 'accept-language': 'en' })).json();
    expect(en.locale).toBe('en');
    expect(en.text).toMatch(/not an emergency service/);
    expect(en.text).toContain(t.config.operator.name);
    expect(en.text).not.toBe(terms.text);
  });

  it('POL-1: the one consent step records the user agreement in force with the policy consent, in its audit entry', async () => {
    const { me } = await signIn(t);
    const entry = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'consent.policy_accepted')
      .where('subject_id', '=', me.id)
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ termsVersion: TERMS.version });
    expect((await get(t, '/api/policy/terms')).json().version).toBe(TERMS.version);
  });

  it('POL-1: the policy is public, but nothing else answers before sign-in', async () => {
    expect((await get(t, '/api/policy/current')).statusCode).toBe(200);
    expect((await get(t, '/api/me')).statusCode).toBe(401);
    expect((await get(t, '/api/me/privacy')).statusCode).toBe(401);
  });

  it('POL-1: a changed policy takes effect 7 days after notice; then a signed-in user must accept it before continuing', async () => {
    const { cookie } = await signIn(t, 'doctor', undefined, { keepSignedIn: true });
    // The operator changes the hotline: the generated text changes, so a new version is published.
    const next = new PolicyService({
      db: t.db,
      keys: t.app.services.keys,
      clock: t.clock,
      operator: { ...t.config.operator, hotline: '400-123-4567' },
    });
    const published = await next.ensurePublished();
    expect(published).toEqual({ version: 2, published: true });
    expect((await next.ensurePublished()).published).toBe(false);

    t.clock.advance(6 * 86_400_000);
    expect((await get(t, '/api/policy/current', cookie)).json().version).toBe(1);
    expect((await get(t, '/api/me/sessions', cookie)).statusCode).toBe(200);

    t.clock.advance(86_400_000 + 1000);
    const current = (await get(t, '/api/policy/current')).json();
    expect(current.version).toBe(2);
    expect(current.text).toContain('400-123-4567');
    const me = (await get(t, '/api/me', cookie)).json();
    expect(me.policy).toEqual({ acceptedVersion: 1, currentVersion: 2, needsAcceptance: true });
    const blocked = await get(t, '/api/me/sessions', cookie);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('POLICY_ACCEPTANCE_REQUIRED');

    expect(
      (await post(t, '/api/consents/policy', { version: 1, locale: 'zh-CN', textSha256: sha256Hex('old') }, cookie))
        .statusCode,
    ).toBe(409);
    expect((await post(t, '/api/consents/policy', await policyProof(t), cookie)).statusCode).toBe(200);
    expect((await get(t, '/api/me/sessions', cookie)).statusCode).toBe(200);
    const overview = (await get(t, '/api/me/privacy', cookie)).json();
    expect(
      overview.consents.filter((c: { kind: string }) => c.kind === 'policy').map((c: { version: number }) => c.version),
    ).toEqual([2, 1]);
    // What the apps show instead of a version number: the date each accepted version took effect.
    expect(overview.consents.find((c: { version: number }) => c.version === 2).policyEffectiveAt).toBe(
      current.effectiveAt,
    );
  });

  it('POL-1: sensitive data needs its own consent, recorded separately with the hash of the text shown', async () => {
    const { cookie, me } = await signIn(t, 'doctor');
    const doc = (await get(t, '/api/consents/sensitive/onboarding?locale=en', cookie)).json();
    expect(doc).toMatchObject({ purpose: 'onboarding', given: false, locale: 'en' });
    expect(doc.text).toMatch(/resident ID/);
    const bad = await post(
      t,
      '/api/consents/sensitive/onboarding',
      { version: doc.version, locale: 'en', textSha256: sha256Hex('something else') },
      cookie,
    );
    expect(bad.json().error.code).toBe('CONSENT_TEXT_MISMATCH');
    const ok = await post(
      t,
      '/api/consents/sensitive/onboarding',
      { version: doc.version, locale: 'en', textSha256: doc.textSha256 },
      cookie,
    );
    expect(ok.statusCode).toBe(200);
    expect((await get(t, '/api/consents/sensitive/onboarding', cookie)).json().given).toBe(true);
    expect((await get(t, '/api/me', cookie)).json().sensitiveConsents).toEqual(['onboarding']);
    const rows = await t.db
      .selectFrom('consents')
      .selectAll()
      .where('user_id', '=', me.id)
      .where('kind', '=', 'sensitive')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ purpose: 'onboarding', text_sha256: doc.textSha256, locale: 'en' });
    const audit = await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', me.id).execute();
    expect(audit.map((a) => a.action)).toContain('consent.sensitive_given');
  });

  it('RIG-4: a sensitive-data consent can be withdrawn at any time; the record of it stays, marked withdrawn', async () => {
    const { cookie, me } = await signIn(t, 'patient');
    const doc = (await get(t, '/api/consents/sensitive/consultation', cookie)).json();
    await post(
      t,
      '/api/consents/sensitive/consultation',
      { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 },
      cookie,
    );
    const del = (c?: string) =>
      t.app.inject({
        method: 'DELETE',
        url: '/api/consents/sensitive/consultation',
        headers: { cookie: c ?? cookie, origin: 'http://localhost:3000' },
      });
    expect((await del()).statusCode).toBe(200);
    expect((await get(t, '/api/consents/sensitive/consultation', cookie)).json().given).toBe(false);
    expect((await get(t, '/api/me', cookie)).json().sensitiveConsents).toEqual([]);
    const overview = (await get(t, '/api/me/privacy', cookie)).json();
    const record = overview.consents.find((c: { purpose: string | null }) => c.purpose === 'consultation');
    expect(record.withdrawnAt).not.toBeNull();
    const again = await del();
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONSENT_NOT_GIVEN');
    const actions = (await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', me.id).execute()).map(
      (a) => a.action,
    );
    expect(actions).toContain('consent.sensitive_withdrawn');
    // It can be given again later, as a new record.
    await post(
      t,
      '/api/consents/sensitive/consultation',
      { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 },
      cookie,
    );
    expect((await get(t, '/api/consents/sensitive/consultation', cookie)).json().given).toBe(true);
  });

  it('POL-1: unknown consent purposes are rejected with a clear error', async () => {
    const { cookie } = await signIn(t);
    const res = await get(t, '/api/consents/sensitive/marketing', cookie);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  get,
  policyProof,
  post,
  sessionCookie,
  testPhone,
  type TestApp,
} from '../../../test/harness.js';
import { personalColumns } from '../inventory/inventory.js';
import type { PersonalDataPort } from '../subject-data/ports.js';
import { createPolicyPort } from './policy.port.js';
import * as repo from './policy.repo.js';

let t: TestApp;
let port: PersonalDataPort;
beforeAll(async () => {
  t = await createTestApp();
  port = createPolicyPort({ keys: t.app.services.keys });
});
afterAll(async () => t.close());

/**
 * A patient signs in from one browser and address (the policy consent) and gives the separate consultation consent
 * from another (a sensitive consent), so both consents carry their own canaries.
 */
async function patient(signInFrom: { ua: string; ip: string }, consentFrom: { ua: string; ip: string }) {
  const phone = testPhone();
  const proof = await policyProof(t);
  const headers = { 'user-agent': signInFrom.ua };
  await post(t, '/api/auth/code', { phone, app: 'patient', policyConsent: proof }, undefined, headers, signInFrom.ip);
  const code = t.sms.latestCodeFor(phone);
  const res = await post(
    t,
    '/api/auth/verify',
    { phone, code, app: 'patient', policyConsent: proof },
    undefined,
    headers,
    signInFrom.ip,
  );
  expect(res.statusCode).toBe(200);
  const cookie = sessionCookie(res);
  t.clock.advance(1000);
  const doc = (await get(t, '/api/consents/sensitive/consultation?locale=en', cookie)).json();
  const given = await post(
    t,
    '/api/consents/sensitive/consultation',
    { version: doc.version, locale: 'en', textSha256: doc.textSha256 },
    cookie,
    { 'user-agent': consentFrom.ua },
    consentFrom.ip,
  );
  expect(given.statusCode).toBe(200);
  return { userId: res.json().id as string, cookie };
}

/** A policy version published by a staff member (no route sets published_by yet: through the repository). */
async function publishAs(userId: string, version: number) {
  const text = `policy text ${version}`;
  await repo.insertPolicyVersion(t.db, {
    version,
    published_at: t.clock.now(),
    effective_at: new Date('2100-01-01T00:00:00Z'),
    title_zh: text,
    title_en: text,
    summary_zh: text,
    summary_en: text,
    text_zh: text,
    text_en: text,
    sha256_zh: 'x',
    sha256_en: 'x',
    published_by: userId,
  });
}

const consentsOf = (id: string) => t.db.selectFrom('consents').selectAll().where('user_id', '=', id).execute();
const versions = () =>
  t.db.selectFrom('policy_versions').select(['version', 'published_by']).orderBy('version').execute();

describe('policy personal-data port', () => {
  it('SEC-2: describe() claims exactly the personal columns of consents and policy_versions', () => {
    const expected = personalColumns()
      .filter((c) => c.table === 'consents' || c.table === 'policy_versions')
      .map((c) => `${c.table}.${c.column}`)
      .sort();
    const { owner, columns } = port.describe();
    expect(owner).toBe('privacy/policy/policy.repo.ts');
    expect(
      Object.entries(columns)
        .flatMap(([table, cols]) => cols!.map((c) => `${table}.${c}`))
        .sort(),
    ).toEqual(expected);
  });

  it('SEC-2: consents are exported with their address and browser; erasure keeps the proof without them', async () => {
    const a = await patient(
      { ua: 'CanaryPolicyAgentA1/1.0', ip: '203.0.113.11' },
      { ua: 'CanaryConsentAgentA2/1.0', ip: '203.0.113.12' },
    );
    const b = await patient(
      { ua: 'CanaryPolicyAgentB1/1.0', ip: '203.0.113.21' },
      { ua: 'CanaryConsentAgentB2/1.0', ip: '203.0.113.22' },
    );
    await publishAs(a.userId, 2);
    await publishAs(b.userId, 3);

    const exported = await port.export(t.db, { userId: a.userId });
    const text = JSON.stringify(exported.data);
    for (const canary of ['CanaryPolicyAgentA1/1.0', '203.0.113.11', 'CanaryConsentAgentA2/1.0', '203.0.113.12'])
      expect(text).toContain(canary);
    expect(exported.data.consents).toEqual([
      expect.objectContaining({ kind: 'policy', purpose: null, version: 1, acceptedAt: expect.any(String) }),
      expect.objectContaining({ kind: 'sensitive', purpose: 'consultation', withdrawnAt: null }),
    ]);
    expect(exported.data.policyVersionsPublished).toEqual([expect.objectContaining({ version: 2 })]);
    for (const canary of ['AgentB1', 'AgentB2', '203.0.113.21', '203.0.113.22', b.userId])
      expect(text).not.toContain(canary);

    const before = await consentsOf(a.userId);
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.userId }, 'delete'));
    expect(steps).toEqual([
      expect.objectContaining({ table: 'consents', action: 'kept', rows: 2, basis: expect.stringMatching(/3 years/) }),
      expect.objectContaining({ table: 'policy_versions', action: 'anonymised', rows: 1 }),
    ]);

    // The proof stays (what, which text, when); the address and browser are gone from it.
    const after = await consentsOf(a.userId);
    expect(after.map((c) => [c.id, c.kind, c.version, c.text_sha256, c.accepted_at])).toEqual(
      before.map((c) => [c.id, c.kind, c.version, c.text_sha256, c.accepted_at]),
    );
    for (const c of after) expect(c).toMatchObject({ ip_enc: null, user_agent_enc: null });
    expect(JSON.stringify((await port.export(t.db, { userId: a.userId })).data)).not.toMatch(
      /CanaryPolicy|203\.0\.113/,
    );
    expect(await versions()).toEqual([
      { version: 1, published_by: null },
      { version: 2, published_by: null },
      { version: 3, published_by: b.userId },
    ]);

    // The other patient's records are untouched and still readable.
    const other = JSON.stringify((await port.export(t.db, { userId: b.userId })).data);
    for (const canary of ['CanaryPolicyAgentB1/1.0', '203.0.113.21', 'CanaryConsentAgentB2/1.0', '203.0.113.22'])
      expect(other).toContain(canary);
    expect((await consentsOf(b.userId)).every((c) => c.ip_enc !== null && c.user_agent_enc !== null)).toBe(true);
  });
});

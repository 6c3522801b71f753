import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../../test/harness.js';
import { appendAudit, appendAuditEntries, purgeAuditBefore, verifyAuditChain } from './audit.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (let i = 0; i < 3; i++) await signIn(t);
});
afterAll(async () => t.close());

/** Tampering as a database superuser would: with triggers switched off for this session only. */
async function tamper(statement: ReturnType<typeof sql>) {
  await t.db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    try {
      await statement.execute(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
    }
  });
}

describe('hash-chained audit log', () => {
  it('SEC-1: sign-ins, account creation and consents are audited without personal data in clear', async () => {
    const { me, phone } = await signIn(t);
    const rows = await t.db.selectFrom('audit_log').selectAll().where('subject_id', '=', me.id).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['account.created', 'consent.policy_accepted', 'auth.sign_in']);
    expect(JSON.stringify(rows)).not.toContain(phone);
  });

  it('SEC-1: the chain verifies when nobody touched it', async () => {
    const result = await verifyAuditChain(t.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(5);
  });

  it('SEC-1: the database refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
    await expect(sql`update audit_log set action = 'x' where id = 1`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = 1`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('SEC-1: changing any stored entry is detected and the first broken entry is named', async () => {
    const target = await t.db
      .selectFrom('audit_log')
      .select(['id', 'action'])
      .where('id', '=', 3)
      .executeTakeFirstOrThrow();
    await tamper(sql`update audit_log set action = 'auth.sign_out' where id = 3`);
    const broken = await verifyAuditChain(t.db);
    expect(broken).toMatchObject({ ok: false, firstBroken: { id: 3 } });
    expect(broken.firstBroken!.reason).toMatch(/hash/);
    await tamper(sql`update audit_log set action = ${target.action} where id = 3`);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('SEC-1: recomputing a tampered entry’s own hash still breaks the link to the next one', async () => {
    const row = await t.db.selectFrom('audit_log').selectAll().where('id', '=', 4).executeTakeFirstOrThrow();
    await tamper(sql`update audit_log set details = '{"forged":true}'::jsonb, hash = ${'f'.repeat(64)} where id = 4`);
    const broken = await verifyAuditChain(t.db);
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken!.id).toBe(4);
    await tamper(
      sql`update audit_log set details = ${JSON.stringify(row.details)}::jsonb, hash = ${row.hash} where id = 4`,
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('SEC-1: a deleted entry is detected', async () => {
    const row = await t.db.selectFrom('audit_log').selectAll().where('id', '=', 5).executeTakeFirstOrThrow();
    await tamper(sql`delete from audit_log where id = 5`);
    const broken = await verifyAuditChain(t.db);
    expect(broken).toMatchObject({ ok: false, firstBroken: { id: 6 } });
    expect(broken.firstBroken!.reason).toMatch(/missing/);
    await tamper(
      sql`insert into audit_log (id, at, actor_id, actor_role, action, subject_id, purpose, request_id, details, prev_hash, hash)
          values (${row.id}, ${row.at}, ${row.actor_id}, ${row.actor_role}, ${row.action}, ${row.subject_id}, ${row.purpose}, ${row.request_id}, ${JSON.stringify(row.details)}::jsonb, ${row.prev_hash}, ${row.hash})`,
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('SEC-1: concurrent appends keep one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db
          .transaction()
          .execute((trx) =>
            appendAudit(trx, { action: 'audit.verified', actorId: null, actorRole: 'test', details: { i } }),
          ),
      ),
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('SEC-1: entries appended together are chained one after another, and verification reads the chain in pages', async () => {
    const before = await verifyAuditChain(t.db);
    const ids = await t.db.transaction().execute((trx) =>
      appendAuditEntries(
        trx,
        Array.from({ length: 25 }, (_, i) => ({
          action: 'audit.verified' as const,
          actorId: null,
          actorRole: 'test',
          purpose: i % 2 ? '换行\n"引号"\u0001' : null,
          details: { i, fields: ['a', 'b'] },
        })),
      ),
    );
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => before.checked + 1 + i));
    // Pages of 4: the chain is checked across page boundaries, with the next page read while one is checked.
    expect(await verifyAuditChain(t.db, 4)).toEqual({ ok: true, checked: before.checked + 25, firstBroken: null });
    const target = ids[17]!;
    const row = await t.db.selectFrom('audit_log').selectAll().where('id', '=', target).executeTakeFirstOrThrow();
    await tamper(sql`update audit_log set request_id = 'forged' where id = ${target}`);
    expect(await verifyAuditChain(t.db, 4)).toMatchObject({
      ok: false,
      checked: target - 1,
      firstBroken: { id: target, reason: 'contents do not match the stored hash' },
    });
    await tamper(sql`update audit_log set request_id = ${row.request_id} where id = ${target}`);
    expect((await verifyAuditChain(t.db, 4)).ok).toBe(true);
  });

  it('SEC-2: the retention path removes old entries and the rest still verifies from the anchor', async () => {
    const before = await verifyAuditChain(t.db);
    t.clock.advance(200 * 86_400_000);
    await t.db
      .transaction()
      .execute((trx) =>
        appendAudit(trx, { action: 'audit.verified', actorId: null, actorRole: 'test' }, t.clock.now()),
      );
    const removed = await purgeAuditBefore(t.db, new Date(t.clock.now().getTime() - 180 * 86_400_000));
    expect(removed).toBe(before.checked);
    const after = await verifyAuditChain(t.db);
    expect(after).toMatchObject({ ok: true, checked: 1 });
    await t.db
      .transaction()
      .execute((trx) =>
        appendAudit(trx, { action: 'audit.verified', actorId: null, actorRole: 'test' }, t.clock.now()),
      );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('SEC-1: npm run audit:verify exits non-zero and names the broken entry', async () => {
    const last = await t.db
      .selectFrom('audit_log')
      .select('id')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/audit-verify.ts'], {
        env: { ...process.env, DATABASE_URL: t.dbUrl, ANXIN_DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        cwd: new URL('../../../../../', import.meta.url).pathname,
      });
    const good = run();
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/intact/);
    await tamper(sql`update audit_log set purpose = 'forged' where id = ${last.id}`);
    const bad = run();
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`#${last.id}`);
  });
});

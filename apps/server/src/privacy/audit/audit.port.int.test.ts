import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, testPhone, type TestApp } from '../../../test/harness.js';
import { personalColumns } from '../inventory/inventory.js';
import type { PersonalDataPort } from '../subject-data/ports.js';
import { appendAudit, verifyAuditChain } from './audit.js';
import { createAuditPort } from './audit.port.js';

let t: TestApp;
const port: PersonalDataPort = createAuditPort();
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const entriesOf = (id: string) =>
  t.db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) => eb.or([eb('actor_id', '=', id), eb('subject_id', '=', id)]))
    .orderBy('id')
    .execute();

describe('audit personal-data port', () => {
  it('SEC-2: describe() claims exactly the personal columns of the audit log', () => {
    const expected = personalColumns()
      .filter((c) => c.table === 'audit_log' || c.table === 'audit_anchor')
      .map((c) => `${c.table}.${c.column}`)
      .sort();
    const { owner, columns } = port.describe();
    expect(owner).toBe('privacy/audit/audit.repo.ts');
    expect(
      Object.entries(columns)
        .flatMap(([table, cols]) => cols!.map((c) => `${table}.${c}`))
        .sort(),
    ).toEqual(expected);
  });

  it("SEC-2: the person's entries are exported without the other party's id, and kept on erasure with their basis", async () => {
    const a = await signIn(t, 'patient');
    const b = await signIn(t, 'patient');
    const staff = await t.app.services.staff.createStaff({ phone: testPhone(), roles: ['support'], grantedBy: null });
    // A staff member looked at the patient's data: the patient is the subject, someone else the actor.
    await t.db.transaction().execute((trx) =>
      appendAudit(
        trx,
        {
          action: 'staff.viewed_personal_data',
          actorId: staff.userId,
          actorRole: 'support',
          subjectId: a.me.id,
          purpose: 'support_ticket',
          details: { fields: ['phone'] },
        },
        t.clock.now(),
      ),
    );

    const rows = await entriesOf(a.me.id);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const exported = await port.export(t.db, { userId: a.me.id });
    const entries = exported.data.auditEntries as Array<Record<string, unknown>>;
    expect(entries.map((e) => e.id)).toEqual(rows.map((r) => r.id));
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['account.created', 'auth.sign_in', 'consent.policy_accepted']),
    );
    expect(entries.at(-1)).toMatchObject({
      action: 'staff.viewed_personal_data',
      actor: 'someone else',
      actorRole: 'support',
      subject: 'you',
      purpose: 'support_ticket',
    });
    const text = JSON.stringify(exported.data);
    for (const other of [b.me.id, staff.userId]) expect(text).not.toContain(other);
    for (const r of await entriesOf(b.me.id)) expect(entries.map((e) => e.id)).not.toContain(r.id);

    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.me.id }, 'delete'));
    expect(steps).toEqual([
      {
        table: 'audit_log',
        action: 'kept',
        rows: rows.length,
        basis: expect.stringMatching(/At least 6 months \(Cybersecurity Law\)/),
      },
    ]);
    // Nothing changed: the ids are pseudonymous and the chain still verifies; the other patient's entries too.
    expect(await entriesOf(a.me.id)).toEqual(rows);
    expect((await entriesOf(b.me.id)).length).toBeGreaterThanOrEqual(3);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});

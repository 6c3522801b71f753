import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, signIn, type TestApp } from '../../../test/harness.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import { TABLE_OWNERS } from '../../privacy/inventory/owners.js';
import { createNoticesPort } from './notices.port.js';
import type { NoticeKind } from './notices.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const port = createNoticesPort();

/** A person with notices made by the notice service and one of them read through the API. */
async function personWithNotices(kinds: NoticeKind[]) {
  const user = await signIn(t, 'patient');
  const id = user.me.id as string;
  // Notices hold ids only: the canary is a consultation id nobody else has.
  const consultationId = crypto.randomUUID();
  await t.db.transaction().execute(async (trx) => {
    for (const kind of kinds) await t.app.services.notices.create(trx, id, kind, { consultationId });
  });
  const list = (await get(t, '/api/me/notices', user.cookie)).json() as { notices: Array<{ id: string }> };
  return { ...user, id, consultationId, noticeIds: list.notices.map((n) => n.id) };
}

/** Reads the notice through the API at a distinctive instant; returns that instant (the read_at canary). */
async function readAt(cookie: string, id: string, advanceMs: number): Promise<string> {
  t.clock.advance(advanceMs);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/me/notices/${id}/read`,
    headers: { cookie, origin: ORIGIN },
  });
  expect(res.statusCode, res.body).toBe(200);
  return t.clock.now().toISOString();
}

const rawNotices = () => t.db.selectFrom('notices').selectAll().execute();

describe('notices personal-data port', () => {
  it('SEC-2: the notices port answers for exactly the personal columns of notices, as their owner', () => {
    const { owner, columns } = port.describe();
    expect(owner).toBe(TABLE_OWNERS.notices);
    const personal = personalColumns()
      .filter((c) => c.table === 'notices')
      .map((c) => c.column)
      .sort();
    expect(Object.keys(columns)).toEqual(['notices']);
    expect([...columns.notices!].sort()).toEqual(personal);
  });

  it("SEC-2: export holds every notice of the person and none of another's; erase deletes them, the other's stay", async () => {
    const a = await personWithNotices(['consultation.accepted', 'call.missed']);
    const b = await personWithNotices(['consultation.declined']);
    const aReadAt = await readAt(a.cookie, a.noticeIds[0]!, 61_111);
    const bReadAt = await readAt(b.cookie, b.noticeIds[0]!, 7_777);

    const exported = await port.export(t.db, { userId: a.id });
    expect(exported.files).toEqual([]);
    const text = JSON.stringify(exported.data);
    // The first person's canaries: each notice (user_id), what it is about, and when it was read (read_at).
    for (const id of a.noticeIds) expect(text).toContain(id);
    expect(text).toContain(a.consultationId);
    expect(text).toContain(aReadAt);
    expect(text).toContain('consultation.accepted');
    expect(text).toContain('call.missed');
    // None of the second person's.
    for (const needle of [...b.noticeIds, b.consultationId, bReadAt, b.id, 'consultation.declined'])
      expect(text).not.toContain(needle);
    const notices = exported.data.notices as Array<{ id: string; readAt: string | null }>;
    expect(notices).toHaveLength(2);
    expect(notices.find((n) => n.id === a.noticeIds[0])!.readAt).toBe(aReadAt);

    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.id }, 'delete'));
    expect(steps).toEqual([{ table: 'notices', action: 'deleted', rows: 2 }]);

    // Raw rows: nothing of the first person is left, not even in the push outbox the notices fed.
    const after = await rawNotices();
    const raw = JSON.stringify(after);
    for (const needle of [...a.noticeIds, a.consultationId, aReadAt, a.id]) expect(raw).not.toContain(needle);
    const outbox = await t.db.selectFrom('push_outbox').selectAll().where('notice_id', 'in', a.noticeIds).execute();
    expect(outbox).toEqual([]);
    // The second person's notice is intact, read time included.
    const bRows = after.filter((r) => r.user_id === b.id);
    expect(bRows.map((r) => r.id)).toEqual(b.noticeIds);
    expect(new Date(bRows[0]!.read_at!).toISOString()).toBe(bReadAt);
    expect(bRows[0]!.data).toEqual({ consultationId: b.consultationId });
    expect((await port.export(t.db, { userId: a.id })).data).toEqual({ notices: [] });
  });

  it('SEC-2: anonymising deletes the notices too (nobody else reads them), and erasing again finds nothing', async () => {
    const a = await personWithNotices(['consultation.ended']);
    const b = await personWithNotices(['consultation.ended']);
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.id }, 'anonymise'));
    expect(steps).toEqual([{ table: 'notices', action: 'deleted', rows: 1 }]);
    expect(await port.erase(t.db, { userId: a.id }, 'delete')).toEqual([
      { table: 'notices', action: 'deleted', rows: 0 },
    ]);
    const raw = await rawNotices();
    expect(raw.filter((r) => r.user_id === a.id)).toEqual([]);
    expect(raw.filter((r) => r.user_id === b.id).map((r) => r.id)).toEqual(b.noticeIds);
  });
});

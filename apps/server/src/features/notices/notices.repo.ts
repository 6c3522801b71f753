import { sql, type Insertable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { NoticesTable } from '../../db/schema.js';

/** Inserts one notice row. */
export function insert(db: Queryable, row: Insertable<NoticesTable>) {
  return db.insertInto('notices').values(row).execute();
}

/** The id of the person's unread notice of this kind about this consultation, if there is one. */
export function findUnread(db: Queryable, userId: string, kind: string, consultationId: string) {
  return db
    .selectFrom('notices')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('read_at', 'is', null)
    .where(sql<string>`data->>'consultationId'`, '=', consultationId)
    .executeTakeFirst();
}

/** The person's newest notices, newest first, at most `limit`. */
export function listForUser(db: Queryable, userId: string, limit: number) {
  return db
    .selectFrom('notices')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Marks the notice read, only if it is the person's own (ownership in the WHERE); the update result. */
export function markRead(db: Queryable, userId: string, id: string, now: Date) {
  return db
    .updateTable('notices')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** For push (outbox drain): owner and kind of each of these notices; ids not found are left out. */
export function ownersAndKinds(db: Queryable, ids: readonly string[]) {
  return db.selectFrom('notices').select(['id', 'user_id', 'kind']).where('id', 'in', ids).execute();
}

/** For push (delivery): the notice's owner, kind, data (ids only) and read time, if it still exists. */
export function forPushDelivery(db: Queryable, id: string) {
  return db
    .selectFrom('notices')
    .select(['id', 'user_id', 'kind', 'data', 'read_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---- personal-data port (export, erasure) -------------------------------------------------------------------

/** Every notice of the person, oldest first (for their data export). */
export function allForUser(db: Queryable, userId: string) {
  return db
    .selectFrom('notices')
    .select(['id', 'kind', 'data', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** How many notices were deleted: every notice of the person (their push outbox rows go too, on delete cascade). */
export async function deleteAllForUser(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('notices').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

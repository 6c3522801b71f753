import type { Queryable } from '../../db/database.js';
import type { PhotoColumn } from '../../db/schema.js';
import type { PhotoSlot } from '@anxin/contracts';

export const photoColumn = (slot: PhotoSlot): PhotoColumn => `photo_${slot}` as PhotoColumn;

export function findApplicationByUser(db: Queryable, userId: string) {
  return db.selectFrom('doctor_applications').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export function findApplicationById(db: Queryable, id: string) {
  return db.selectFrom('doctor_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockApplicationByUser(db: Queryable, userId: string) {
  return db.selectFrom('doctor_applications').selectAll().where('user_id', '=', userId).forUpdate().executeTakeFirst();
}

export function lockApplicationById(db: Queryable, id: string) {
  return db.selectFrom('doctor_applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findBlobs(db: Queryable, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('blobs').selectAll().where('id', 'in', ids).execute();
}

export function findThumbOf(db: Queryable, parentId: string) {
  return db.selectFrom('blobs').selectAll().where('parent_id', '=', parentId).executeTakeFirst();
}

export function latestPrecheck(db: Queryable, applicationId: string) {
  return db
    .selectFrom('automated_decisions')
    .selectAll()
    .where('ref_id', '=', applicationId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listEvents(db: Queryable, applicationId: string) {
  return db
    .selectFrom('application_events')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('seq')
    .execute();
}

/** Another account's application with the same blind index (ID number or a certificate). */
export async function hasOtherWithIndex(
  db: Queryable,
  userId: string,
  column: 'id_number_bidx' | 'practice_cert_bidx' | 'qualification_cert_bidx',
  bidx: Buffer | null,
) {
  if (!bidx) return false;
  const row = await db
    .selectFrom('doctor_applications')
    .select('id')
    .where(column, '=', bidx)
    .where('user_id', '!=', userId)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

export function listQueue(db: Queryable, statuses: string[]) {
  return db
    .selectFrom('doctor_applications')
    .selectAll()
    .where('status', 'in', statuses as never[])
    .orderBy('submitted_at', 'asc')
    .limit(500)
    .execute();
}

export function liveGrantFor(db: Queryable, staffId: string, applicationId: string, field: string, now: Date) {
  return db
    .selectFrom('reveal_grants')
    .select(['id', 'purpose'])
    .where('staff_id', '=', staffId)
    .where('application_id', '=', applicationId)
    .where('expires_at', '>', now)
    .where((eb) => eb(eb.val(field), '=', eb.fn.any('fields')))
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

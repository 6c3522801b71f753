import type { Queryable } from '../db/database.js';

/** The subject's newest key version and its wrapped key, if the subject has a key. */
export function findCurrentKey(db: Queryable, subjectId: string) {
  return db
    .selectFrom('subject_keys')
    .select(['version', 'wrapped_key'])
    .where('subject_id', '=', subjectId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Whether the subject's keys were destroyed (a tombstone exists). */
export async function hasTombstone(db: Queryable, subjectId: string): Promise<boolean> {
  const tomb = await db
    .selectFrom('key_tombstones')
    .select('subject_id')
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return tomb !== undefined;
}

/** Whether this call inserted the subject's key version 1 (false: someone else created it concurrently). */
export async function insertFirstKey(db: Queryable, subjectId: string, wrappedKey: Buffer): Promise<boolean> {
  const inserted = await db
    .insertInto('subject_keys')
    .values({ subject_id: subjectId, version: 1, wrapped_key: wrappedKey })
    .onConflict((oc) => oc.doNothing())
    .returning('version')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The wrapped key of one version of the subject's key, if it still exists. */
export function findWrappedKey(db: Queryable, subjectId: string, version: number) {
  return db
    .selectFrom('subject_keys')
    .select('wrapped_key')
    .where('subject_id', '=', subjectId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Nothing: deletes every key of the subject and records a tombstone (kept if one exists already). */
export async function destroyKeys(db: Queryable, subjectId: string, reason: string): Promise<void> {
  await db.deleteFrom('subject_keys').where('subject_id', '=', subjectId).execute();
  await db
    .insertInto('key_tombstones')
    .values({ subject_id: subjectId, reason })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The subject's key versions with their creation time and KEK version, oldest first; never the key bytes. */
export function keyVersions(db: Queryable, subjectId: string) {
  return db
    .selectFrom('subject_keys')
    .select(['version', 'kek_version', 'created_at'])
    .where('subject_id', '=', subjectId)
    .orderBy('version')
    .execute();
}

/** When and why the subject's keys were destroyed, if they were (its tombstone). */
export function findTombstone(db: Queryable, subjectId: string) {
  return db
    .selectFrom('key_tombstones')
    .select(['destroyed_at', 'reason'])
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

/** Subjects whose keys were destroyed before the cutoff for this reason (at most `limit`). */
export async function destroyedBefore(db: Queryable, reason: string, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('key_tombstones')
    .select('subject_id')
    .where('reason', '=', reason)
    .where('destroyed_at', '<', cutoff)
    .orderBy('destroyed_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.subject_id);
}

import { sql, type Insertable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { AuditLogTable } from '../../db/schema.js';
import { preparedAs } from '../../db/prepared.js';

/** Nothing: takes the transaction-scoped advisory lock that serialises appends to (and purges of) the chain. */
export async function lockChain(trx: Queryable): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('anxin.audit'))`.execute(trx);
}

/** The id and hash of the newest entry, if there is one. */
export function findLastEntry(db: Queryable) {
  return db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The retention anchor (the last removed entry's id and hash), if entries were ever purged. */
export function findAnchor(db: Queryable) {
  return db.selectFrom('audit_anchor').selectAll().executeTakeFirst();
}

/** Nothing: inserts the entries, 1,000 rows a statement (11 parameters a row: well below PostgreSQL's 65,535). */
export async function insertEntries(trx: Queryable, rows: Insertable<AuditLogTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await trx
      .insertInto('audit_log')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** The id of the oldest entry, if there is one. */
export function findFirstEntryId(db: Queryable) {
  return db.selectFrom('audit_log').select('id').orderBy('id').limit(1).executeTakeFirst();
}

/**
 * One page of the chain in id order from `fromId`, as the verifier needs it: `at` already in the ISO-8601 form the
 * body uses and `details` as JSON text, so no dates or row objects are built for them.
 */
export function chainPage(db: Queryable, fromId: number, limit: number) {
  return sql<{
    id: number;
    at: string;
    actor_id: string | null;
    actor_role: string | null;
    action: string;
    subject_id: string | null;
    purpose: string | null;
    request_id: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  }>`${sql.raw(preparedAs('audit.chain-page'))}
    select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, actor_id, actor_role, action,
      subject_id, purpose, request_id, details::text as details, prev_hash, hash
    from audit_log where id >= ${fromId} order by id limit ${limit}`
    .execute(db)
    .then((r) => r.rows);
}

/** The id and hash of the newest entry older than `cutoff`, if there is one. */
export function findLastEntryBefore(db: Queryable, cutoff: Date) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'hash'])
    .where('at', '<', cutoff)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The number of entries removed: deletes every entry up to `lastId`, with the transaction-local setting the trigger
 * requires switched on just for that statement (call in a transaction holding `lockChain`).
 */
export async function deleteEntriesThrough(trx: Queryable, lastId: number): Promise<number> {
  await sql`select set_config('anxin.audit_retention', 'on', true)`.execute(trx);
  const removed = await trx.deleteFrom('audit_log').where('id', '<=', lastId).executeTakeFirst();
  await sql`select set_config('anxin.audit_retention', 'off', true)`.execute(trx);
  return Number(removed.numDeletedRows);
}

/** Nothing: records the last removed entry as the (single) retention anchor, replacing the previous one. */
export async function saveAnchor(trx: Queryable, lastRemoved: { id: number; hash: string }, now: Date): Promise<void> {
  await trx
    .insertInto('audit_anchor')
    .values({ last_removed_id: lastRemoved.id, last_removed_hash: lastRemoved.hash })
    .onConflict((oc) =>
      oc
        .column('singleton')
        .doUpdateSet({ last_removed_id: lastRemoved.id, last_removed_hash: lastRemoved.hash, updated_at: now }),
    )
    .execute();
}

/** The newest `limit` entries, newest first, with the columns the admin listing shows. */
export function listLatest(db: Queryable, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_id', 'action', 'subject_id', 'purpose', 'hash'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Every entry where the person is the actor or the subject, in chain order (hashes left out). */
export function listEntriesOfPerson(db: Queryable, userId: string) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_id', 'actor_role', 'action', 'subject_id', 'purpose', 'request_id', 'details'])
    .where((eb) => eb.or([eb('actor_id', '=', userId), eb('subject_id', '=', userId)]))
    .orderBy('id')
    .execute();
}

/** The number of entries where the person is the actor or the subject. */
export async function countEntriesOfPerson(db: Queryable, userId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => eb.or([eb('actor_id', '=', userId), eb('subject_id', '=', userId)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

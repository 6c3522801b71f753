import { sql, type Insertable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { ConsentsTable, PolicyVersionsTable } from '../../db/schema.js';

/** Nothing: takes the transaction-scoped advisory lock that serialises publishing a policy version. */
export async function lockPublishing(trx: Queryable): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('anxin.policy'))`.execute(trx);
}

/** Nothing: inserts a published policy version. */
export async function insertPolicyVersion(trx: Queryable, row: Insertable<PolicyVersionsTable>): Promise<void> {
  await trx.insertInto('policy_versions').values(row).execute();
}

/** Nothing: inserts a consent record. */
export async function insertConsent(trx: Queryable, row: Insertable<ConsentsTable>): Promise<void> {
  await trx.insertInto('consents').values(row).execute();
}

/** The number of consents marked withdrawn: the user's active sensitive consents for `purpose`, as of `now`. */
export async function withdrawSensitiveConsents(
  trx: Queryable,
  userId: string,
  purpose: NonNullable<ConsentsTable['purpose']>,
  now: Date,
): Promise<number> {
  const res = await trx
    .updateTable('consents')
    .set({ withdrawn_at: now })
    .where('user_id', '=', userId)
    .where('kind', '=', 'sensitive')
    .where('purpose', '=', purpose)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The newest version whose effective time has come, if any. */
export function findEffectivePolicy(db: Queryable, now: Date) {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('effective_at', '<=', now)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest published version (in effect or pending), if any. */
export function findLatestPolicy(db: Queryable) {
  return db.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** The version and time of the user's newest policy consent, if any. */
export function findLatestPolicyConsent(db: Queryable, userId: string) {
  return db
    .selectFrom('consents')
    .select(['version', 'accepted_at'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'policy')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every consent of the user, newest first, with the effective time of the policy version it was given for. */
export function listConsentsForUser(db: Queryable, userId: string) {
  return db
    .selectFrom('consents')
    .leftJoin('policy_versions', (join) =>
      join.onRef('policy_versions.version', '=', 'consents.version').on('consents.kind', '=', 'policy'),
    )
    .select([
      'consents.id',
      'consents.kind',
      'consents.purpose',
      'consents.version',
      'consents.locale',
      'consents.text_sha256',
      'consents.accepted_at',
      'consents.withdrawn_at',
      'policy_versions.effective_at as policy_effective_at',
    ])
    .where('consents.user_id', '=', userId)
    .orderBy('consents.accepted_at', 'desc')
    .execute();
}

/** The purpose and text version of each of the user's sensitive consents that is not withdrawn. */
export function listActiveSensitivePurposes(db: Queryable, userId: string) {
  return db
    .selectFrom('consents')
    .select(['purpose', 'version'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'sensitive')
    .where('withdrawn_at', 'is', null)
    .execute();
}

/** When the next already-published version takes effect, if one is pending. */
export async function findNextPolicyEffectiveAt(db: Queryable, now: Date) {
  const row = await db
    .selectFrom('policy_versions')
    .select('effective_at')
    .where('effective_at', '>', now)
    .orderBy('effective_at')
    .limit(1)
    .executeTakeFirst();
  return row?.effective_at ?? null;
}

// ---- personal-data port (export, erasure) ----

/** Every consent record of the user with its encrypted network address and browser, oldest first. */
export function listConsentRecords(db: Queryable, userId: string) {
  return db
    .selectFrom('consents')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('accepted_at')
    .orderBy('id')
    .execute();
}

/** The policy versions the user published (number and times), oldest first. */
export function listVersionsPublishedBy(db: Queryable, userId: string) {
  return db
    .selectFrom('policy_versions')
    .select(['version', 'published_at', 'effective_at'])
    .where('published_by', '=', userId)
    .orderBy('version')
    .execute();
}

/** The number of the user's consent records kept: all of them, with their network address and browser removed. */
export async function clearConsentDevices(db: Queryable, userId: string): Promise<number> {
  const res = await db
    .updateTable('consents')
    .set({ ip_enc: null, user_agent_enc: null })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The number of policy versions whose publisher (this user) was cleared to null. */
export async function clearPublishedBy(db: Queryable, userId: string): Promise<number> {
  const res = await db
    .updateTable('policy_versions')
    .set({ published_by: null })
    .where('published_by', '=', userId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Rows deleted: the consent records of these (erased) accounts (retention: 3 years after the account ended). */
export async function deleteConsentsOfUsers(db: Queryable, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const res = await db.deleteFrom('consents').where('user_id', 'in', userIds).executeTakeFirst();
  return Number(res.numDeletedRows);
}

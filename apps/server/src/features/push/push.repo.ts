import type { Insertable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { PushPreferencesTable, PushSubscriptionsTable, PushVapidKeysTable } from '../../db/schema.js';

// ---- VAPID key pair -----------------------------------------------------------------------------------------

/** The stored VAPID key pair (one row), if it was made already. */
export function findVapidKeys(db: Queryable) {
  return db.selectFrom('push_vapid_keys').selectAll().executeTakeFirst();
}

/** The stored VAPID key pair; throws (NoResultError) when there is none. */
export function vapidKeys(db: Queryable) {
  return db.selectFrom('push_vapid_keys').selectAll().executeTakeFirstOrThrow();
}

/** Stores a VAPID key pair unless one is stored already (another process may have won the race). */
export function insertVapidKeysIfAbsent(db: Queryable, row: Insertable<PushVapidKeysTable>) {
  return db
    .insertInto('push_vapid_keys')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

// ---- subscriptions ------------------------------------------------------------------------------------------

/** The subscription with this endpoint blind index, locked (FOR UPDATE), if there is one. */
export function lockByEndpoint(db: Queryable, endpointBidx: Buffer) {
  return db
    .selectFrom('push_subscriptions')
    .select(['id', 'user_id', 'session_id'])
    .where('endpoint_bidx', '=', endpointBidx)
    .forUpdate()
    .executeTakeFirst();
}

/** Deletes the subscriptions with this endpoint or of this session; the id and owner of each one deleted. */
export function deleteByEndpointOrSession(db: Queryable, endpointBidx: Buffer, sessionId: string) {
  return db
    .deleteFrom('push_subscriptions')
    .where((eb) => eb.or([eb('endpoint_bidx', '=', endpointBidx), eb('session_id', '=', sessionId)]))
    .returning(['id', 'user_id'])
    .execute();
}

/** Inserts one subscription row. */
export function insertSubscription(db: Queryable, row: Insertable<PushSubscriptionsTable>) {
  return db.insertInto('push_subscriptions').values(row).execute();
}

/** Deletes the session's subscriptions, only the user's own; the ids deleted. */
export function deleteForSession(db: Queryable, sessionId: string, userId: string) {
  return db
    .deleteFrom('push_subscriptions')
    .where('session_id', '=', sessionId)
    .where('user_id', '=', userId)
    .returning('id')
    .execute();
}

/** Deletes one subscription; the delete result (numDeletedRows). */
export function deleteSubscription(db: Queryable, id: string) {
  return db.deleteFrom('push_subscriptions').where('id', '=', id).executeTakeFirst();
}

/** Records that a push to this subscription was accepted at `now`. */
export function markDelivered(db: Queryable, id: string, now: Date) {
  return db.updateTable('push_subscriptions').set({ last_delivered_at: now }).where('id', '=', id).execute();
}

const sessionColumns = [
  'sessions.revoked_at',
  'sessions.absolute_expires_at',
  'sessions.last_seen_at',
  'sessions.idle_timeout_seconds',
] as const;

/** The user's subscriptions by session id, with what tells whether each session is live (foreign read: sessions). */
export function sessionsOfSubscriptions(db: Queryable, userId: string) {
  return db
    .selectFrom('push_subscriptions')
    .innerJoin('sessions', 'sessions.id', 'push_subscriptions.session_id')
    .select(['push_subscriptions.session_id', ...sessionColumns])
    .where('push_subscriptions.user_id', '=', userId)
    .execute();
}

/** The user's subscription ids, with what tells whether each session is live (foreign read: sessions). */
export function subscriptionsWithSessions(db: Queryable, userId: string) {
  return db
    .selectFrom('push_subscriptions')
    .innerJoin('sessions', 'sessions.id', 'push_subscriptions.session_id')
    .select(['push_subscriptions.id', ...sessionColumns])
    .where('push_subscriptions.user_id', '=', userId)
    .execute();
}

/**
 * One subscription with its sealed target, its session's liveness and its owner's locale and status, if it
 * still exists (foreign reads: sessions, users).
 */
export function deliveryTarget(db: Queryable, subscriptionId: string) {
  return db
    .selectFrom('push_subscriptions')
    .innerJoin('sessions', 'sessions.id', 'push_subscriptions.session_id')
    .innerJoin('users', 'users.id', 'push_subscriptions.user_id')
    .select([
      'push_subscriptions.id',
      'push_subscriptions.user_id',
      'push_subscriptions.channel',
      'push_subscriptions.app',
      'push_subscriptions.subscription_enc',
      ...sessionColumns,
      'users.locale',
      'users.status',
    ])
    .where('push_subscriptions.id', '=', subscriptionId)
    .executeTakeFirst();
}

// ---- preferences --------------------------------------------------------------------------------------------

export type PreferenceValues = Omit<Insertable<PushPreferencesTable>, 'user_id'>;

/** The user's stored preferences row, if they ever changed them. */
export function findPreferences(db: Queryable, userId: string) {
  return db.selectFrom('push_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Inserts the user's preferences, or replaces them with `values` when a row exists. */
export function upsertPreferences(db: Queryable, userId: string, values: PreferenceValues) {
  return db
    .insertInto('push_preferences')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

// ---- outbox -------------------------------------------------------------------------------------------------

/** Adds a notice to the outbox. */
export function enqueue(db: Queryable, noticeId: string, now: Date) {
  return db.insertInto('push_outbox').values({ notice_id: noticeId, created_at: now }).execute();
}

/** Up to `limit` outbox rows, oldest first, locked (FOR UPDATE SKIP LOCKED: other drainers skip them). */
export function lockOutboxBatch(db: Queryable, limit: number) {
  return db
    .selectFrom('push_outbox')
    .select(['id', 'notice_id'])
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Deletes these outbox rows. */
export function deleteOutbox(db: Queryable, ids: readonly number[]) {
  return db.deleteFrom('push_outbox').where('id', 'in', ids).execute();
}

// ---- personal-data port (export, erasure) -------------------------------------------------------------------

/** The person's subscriptions with their sealed target, oldest first (for their data export). */
export function subscriptionsForExport(db: Queryable, userId: string) {
  return db
    .selectFrom('push_subscriptions')
    .select(['id', 'session_id', 'channel', 'app', 'service', 'subscription_enc', 'created_at', 'last_delivered_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** How many subscriptions were deleted: every one of the person, on every device. */
export async function deleteSubscriptionsOfUser(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('push_subscriptions').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** How many preference rows were deleted (0 or 1): the person's notification settings. */
export async function deletePreferencesOfUser(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('push_preferences').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

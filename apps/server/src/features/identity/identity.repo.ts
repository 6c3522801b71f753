import { sql, type Insertable, type Updateable } from 'kysely';
import type { StaffRole } from '@anxin/contracts';
import type { Queryable } from '../../db/database.js';
import type { OtpChallengesTable, SessionsTable, StaffEnrolmentsTable, UsersTable } from '../../db/schema.js';

type App = 'doctor' | 'patient' | 'staff';

/** The account of this app with this phone blind index, if any. */
export function findUserByPhone(db: Queryable, app: App, phoneBidx: Buffer) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('app', '=', app)
    .where('phone_bidx', '=', phoneBidx)
    .executeTakeFirst();
}

/** The account with this id, if any. */
export function findUserById(db: Queryable, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A doctor's own approved profile (none until the review approved it). Foreign read: doctor_profiles. */
export function findOwnDoctorProfile(db: Queryable, userId: string) {
  return db.selectFrom('doctor_profiles').select(['name', 'title']).where('user_id', '=', userId).executeTakeFirst();
}

/** The staff roles of a user, in name order. */
export function listRoles(db: Queryable, userId: string) {
  return db.selectFrom('staff_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
}

/** Send times (ms) in the last 24 h for the phone and for the IP: the input of the pure limit rules. */
export async function recentCodeSends(db: Queryable, phoneBidx: Buffer, ipBidx: Buffer, since: Date) {
  const [phone, ip] = await Promise.all([
    db
      .selectFrom('otp_challenges')
      .select('created_at')
      .where('phone_bidx', '=', phoneBidx)
      .where('created_at', '>', since)
      .execute(),
    db
      .selectFrom('otp_challenges')
      .select('created_at')
      .where('ip_bidx', '=', ipBidx)
      .where('created_at', '>', since)
      .execute(),
  ]);
  return {
    phoneSends: phone.map((r) => new Date(r.created_at).getTime()),
    ipSends: ip.map((r) => new Date(r.created_at).getTime()),
  };
}

/** The newest challenge for this phone and app, locked so concurrent verifications count attempts correctly. */
export function latestChallengeForUpdate(
  db: Queryable,
  app: App,
  phoneBidx: Buffer,
  purpose: 'sign_in' | 'step_up' = 'sign_in',
) {
  return db
    .selectFrom('otp_challenges')
    .selectAll()
    .where('app', '=', app)
    .where('phone_bidx', '=', phoneBidx)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** The session with this token hash joined with its user's app, status and locale, if any. */
export function findSessionByTokenHash(db: Queryable, tokenHash: Buffer) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.user_id as userId',
      'sessions.stage',
      'sessions.last_seen_at',
      'sessions.idle_timeout_seconds',
      'sessions.absolute_expires_at',
      'sessions.revoked_at',
      'users.app',
      'users.status',
      'users.locale',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** A user's sessions neither revoked nor past their absolute expiry, most recently seen first. */
export function listLiveSessions(db: Queryable, userId: string, now: Date) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('absolute_expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

// ---- users ----

/** Inserts a new account; returns nothing. */
export async function insertUser(db: Queryable, values: Insertable<UsersTable>) {
  await db.insertInto('users').values(values).execute();
}

/** Applies the given changes to a user's own row; returns nothing. */
export async function updateUser(db: Queryable, userId: string, changes: Updateable<UsersTable>) {
  await db.updateTable('users').set(changes).where('id', '=', userId).execute();
}

/** Stores a staff member's confirmed authenticator secret and the step its enrolment code used; returns nothing. */
export async function setTotpSecret(db: Queryable, userId: string, secretEnc: Buffer, now: Date, step: number) {
  await db
    .updateTable('users')
    .set({ totp_secret_enc: secretEnc, totp_enrolled_at: now, totp_last_step: step })
    .where('id', '=', userId)
    .execute();
}

/** Records `step` as the user's last used TOTP step only if it is newer; true when it was (the code is fresh). */
export async function claimTotpStep(db: Queryable, userId: string, step: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

// ---- sign-in codes ----

/**
 * Takes the transaction-scoped advisory locks for a phone and a network, always phone first then IP (so no
 * deadlock); returns nothing.
 */
export async function lockCodeRequests(db: Queryable, phoneBidx: Buffer, ipBidx: Buffer) {
  await sql`select pg_advisory_xact_lock(hashtextextended(encode(${phoneBidx}::bytea, 'hex'), 0))`.execute(db);
  await sql`select pg_advisory_xact_lock(hashtextextended(encode(${ipBidx}::bytea, 'hex'), 1))`.execute(db);
}

/** Inserts a sign-in code challenge; returns nothing. */
export async function insertChallenge(db: Queryable, values: Insertable<OtpChallengesTable>) {
  await db.insertInto('otp_challenges').values(values).execute();
}

/** Sets a challenge's wrong-attempt count; returns nothing. */
export async function setWrongAttempts(db: Queryable, challengeId: string, attempts: number) {
  await db.updateTable('otp_challenges').set({ wrong_attempts: attempts }).where('id', '=', challengeId).execute();
}

/** Marks a challenge as used; returns nothing. */
export async function consumeChallenge(db: Queryable, challengeId: string, now: Date) {
  await db.updateTable('otp_challenges').set({ consumed_at: now }).where('id', '=', challengeId).execute();
}

// ---- sessions ----

/** Inserts a new session; returns nothing. */
export async function insertSession(db: Queryable, values: Insertable<SessionsTable>) {
  await db.insertInto('sessions').values(values).execute();
}

/** Revokes a session as 'expired' unless it was revoked already; returns nothing. */
export async function expireSession(db: Queryable, sessionId: string, now: Date) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: 'expired' })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Sets a session's last-seen time; returns nothing. */
export async function touchSession(db: Queryable, sessionId: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

/** Revokes one session with the given reason (whatever its state); returns nothing. */
export async function revokeSessionById(db: Queryable, sessionId: string, reason: string, now: Date) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: reason })
    .where('id', '=', sessionId)
    .execute();
}

/** Revokes one unrevoked session of this user (ownership in the WHERE); true if a row was revoked. */
export async function revokeOwnSession(db: Queryable, sessionId: string, userId: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: 'revoked_by_user' })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Revokes all unrevoked sessions of a user, except `keepSessionId` when given; returns the revoked ids. */
export async function revokeAllOwnSessions(
  db: Queryable,
  userId: string,
  now: Date,
  keepSessionId: string | null,
  reason = 'revoked_all_by_user',
) {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keepSessionId !== null) q = q.where('id', '!=', keepSessionId);
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}

/** Revokes a user's unrevoked sessions that have not passed the second factor; returns nothing. */
export async function revokePendingSessions(db: Queryable, userId: string, reason: string, now: Date) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: reason })
    .where('user_id', '=', userId)
    .where('stage', '!=', 'active')
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Counts one more wrong authenticator code for a session, atomically (insert or increment under the row lock);
 * returns the session's failure count including this one.
 */
export async function recordTotpFailure(db: Queryable, sessionId: string, now: Date): Promise<number> {
  const row = await db
    .insertInto('staff_totp_failures')
    .values({ session_id: sessionId, failures: 1, last_failed_at: now })
    .onConflict((oc) =>
      oc.column('session_id').doUpdateSet((eb) => ({
        failures: eb('staff_totp_failures.failures', '+', 1),
        last_failed_at: eb.ref('excluded.last_failed_at'),
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

// ---- staff roles and enrolments ----

/** Grants a staff role unless the user has it already; true if it was newly granted. */
/** Active staff accounts holding a role (reminders to privacy officers). */
export async function activeStaffWithRole(db: Queryable, role: StaffRole): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_roles')
    .innerJoin('users', 'users.id', 'staff_roles.user_id')
    .select('users.id')
    .where('staff_roles.role', '=', role)
    .where('users.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

export async function grantRole(db: Queryable, userId: string, role: StaffRole, grantedBy: string | null) {
  const res = await db
    .insertInto('staff_roles')
    .values({ user_id: userId, role, granted_by: grantedBy })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Inserts a one-time enrolment link (by its token hash); returns nothing. */
export async function insertEnrolment(db: Queryable, values: Insertable<StaffEnrolmentsTable>) {
  await db.insertInto('staff_enrolments').values(values).execute();
}

/** The enrolment with this token hash with its user's encrypted phone, if any (used or expired ones included). */
export function findEnrolmentByTokenHash(db: Queryable, tokenHash: Buffer) {
  return db
    .selectFrom('staff_enrolments')
    .innerJoin('users', 'users.id', 'staff_enrolments.user_id')
    .select([
      'staff_enrolments.id',
      'staff_enrolments.user_id',
      'staff_enrolments.pending_secret_enc',
      'staff_enrolments.expires_at',
      'staff_enrolments.used_at',
      'users.phone_enc',
    ])
    .where('staff_enrolments.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Stores the authenticator secret offered during an enrolment, before it is confirmed; returns nothing. */
export async function setPendingSecret(db: Queryable, enrolmentId: string, secretEnc: Buffer) {
  await db
    .updateTable('staff_enrolments')
    .set({ pending_secret_enc: secretEnc })
    .where('id', '=', enrolmentId)
    .execute();
}

/** Marks an enrolment used and drops its pending secret; returns nothing. */
export async function markEnrolmentUsed(db: Queryable, enrolmentId: string, now: Date) {
  await db
    .updateTable('staff_enrolments')
    .set({ used_at: now, pending_secret_enc: null })
    .where('id', '=', enrolmentId)
    .execute();
}

// ---- personal-data port (export, erasure, correction) ----

/** Every session of the user, revoked and expired ones included, oldest first. */
export function listAllSessionsOfUser(db: Queryable, userId: string) {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

/** The sign-in code challenges of this app for this phone blind index, oldest first (code hashes left out). */
export function listChallengesForPhone(db: Queryable, app: App, phoneBidx: Buffer) {
  return db
    .selectFrom('otp_challenges')
    .select(['id', 'created_at', 'expires_at', 'wrong_attempts', 'consumed_at'])
    .where('app', '=', app)
    .where('phone_bidx', '=', phoneBidx)
    .orderBy('created_at')
    .execute();
}

/** The staff roles the user holds, with when and by whom each was granted, in name order. */
export function listRolesHeld(db: Queryable, userId: string) {
  return db
    .selectFrom('staff_roles')
    .select(['role', 'granted_at', 'granted_by'])
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
}

/** The roles the user granted to other staff members (role and time only, not to whom), oldest first. */
export function listRolesGrantedBy(db: Queryable, userId: string) {
  return db
    .selectFrom('staff_roles')
    .select(['role', 'granted_at'])
    .where('granted_by', '=', userId)
    .where('user_id', '!=', userId)
    .orderBy('granted_at')
    .execute();
}

/** The user's staff enrolment links (token hashes left out), oldest first. */
export function listEnrolmentsOfUser(db: Queryable, userId: string) {
  return db
    .selectFrom('staff_enrolments')
    .select(['id', 'pending_secret_enc', 'expires_at', 'used_at', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

/** The number of sessions deleted: every session of the user (their TOTP failure counters go with them). */
export async function deleteSessionsOfUser(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The number of sign-in code challenges deleted: those of this app for this phone blind index. */
export async function deleteChallengesForPhone(db: Queryable, app: App, phoneBidx: Buffer): Promise<number> {
  const res = await db
    .deleteFrom('otp_challenges')
    .where('app', '=', app)
    .where('phone_bidx', '=', phoneBidx)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The number of staff roles deleted: every role the user holds. */
export async function deleteRolesOfUser(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('staff_roles').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The number of other people's roles whose granter (this user) was cleared to null. */
export async function clearGrantedBy(db: Queryable, userId: string): Promise<number> {
  const res = await db
    .updateTable('staff_roles')
    .set({ granted_by: null })
    .where('granted_by', '=', userId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The number of staff enrolment links deleted: every link of the user. */
export async function deleteEnrolmentsOfUser(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('staff_enrolments').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * The number of accounts erased (0 or 1): the row stays as a cancelled tombstone (consultations, calls and other
 * records point at it), with every optional personal column cleared, the locale reset to the default and the phone
 * blind index replaced by `phoneBidx` (random, so the number no longer finds the account and may sign up afresh).
 * The phone ciphertext stays, unreadable once the person's key is destroyed.
 */
export async function eraseUser(db: Queryable, userId: string, phoneBidx: Buffer): Promise<number> {
  const res = await db
    .updateTable('users')
    .set({
      phone_bidx: phoneBidx,
      display_name_enc: null,
      age_band_enc: null,
      sex_enc: null,
      locale: 'zh-CN',
      status: 'cancelled',
      totp_secret_enc: null,
      totp_enrolled_at: null,
      totp_last_step: null,
    })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

// ---- foreign reads (tables owned by other features) ----

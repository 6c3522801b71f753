import type { Queryable } from '../../db/database.js';

type App = 'doctor' | 'patient' | 'staff';

export function findUserByPhone(db: Queryable, app: App, phoneBidx: Buffer) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('app', '=', app)
    .where('phone_bidx', '=', phoneBidx)
    .executeTakeFirst();
}

export function findUserById(db: Queryable, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A doctor's own approved profile (none until the review approved it). */
export function findOwnDoctorProfile(db: Queryable, userId: string) {
  return db.selectFrom('doctor_profiles').select(['name', 'title']).where('user_id', '=', userId).executeTakeFirst();
}

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
export function latestChallengeForUpdate(db: Queryable, app: App, phoneBidx: Buffer) {
  return db
    .selectFrom('otp_challenges')
    .selectAll()
    .where('app', '=', app)
    .where('phone_bidx', '=', phoneBidx)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

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

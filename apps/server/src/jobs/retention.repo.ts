import type { Queryable } from '../db/database.js';

/** The number of sign-in codes deleted: those created before `cutoff`. */
export async function deleteOtpChallengesBefore(db: Queryable, cutoff: Date): Promise<number> {
  const res = await db.deleteFrom('otp_challenges').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The number of sessions deleted: those revoked, or past their absolute expiry, before `cutoff`. */
export async function deleteSessionsEndedBefore(db: Queryable, cutoff: Date): Promise<number> {
  const res = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('revoked_at', '<', cutoff), eb('absolute_expires_at', '<', cutoff)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

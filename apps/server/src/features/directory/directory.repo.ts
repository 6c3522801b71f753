import type { PractitionerType } from '@anxin/contracts';
import type { Insertable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { DoctorProfilesTable } from '../../db/schema.js';

/** LIKE pattern matching `text` anywhere, with its own %, _ and \ taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;

/** Most doctors one directory page lists. */
const LIST_LIMIT = 200;

/** Approved doctors whose account is active (a disabled account leaves every public route at once). */
function activeProfiles(db: Queryable) {
  return db
    .selectFrom('doctor_profiles')
    .innerJoin('users', 'users.id', 'doctor_profiles.user_id')
    .where('users.status', '=', 'active');
}

/**
 * Approved doctors matching every search term in their name, title, hospital, department or an expertise tag
 * (case-insensitive, anywhere in the text), of one type and with one exact tag if asked, newest verified first.
 * One pass over doctor_profiles, which holds a few thousand short rows at most: tags are joined with a newline,
 * which no term contains, so a term never matches across two tags.
 */
export function listPublic(db: Queryable, filter: { terms: string[]; type?: PractitionerType; expertise?: string }) {
  let query = activeProfiles(db).selectAll('doctor_profiles');
  for (const term of filter.terms) {
    const pattern = containsPattern(term);
    query = query.where((eb) =>
      eb.or([
        eb('doctor_profiles.name', 'ilike', pattern),
        eb('doctor_profiles.title', 'ilike', pattern),
        eb('doctor_profiles.hospital', 'ilike', pattern),
        eb('doctor_profiles.department', 'ilike', pattern),
        eb(eb.fn('array_to_string', ['doctor_profiles.expertise', eb.val('\n')]), 'ilike', pattern),
      ]),
    );
  }
  if (filter.type) query = query.where('doctor_profiles.practitioner_type', '=', filter.type);
  if (filter.expertise) {
    const tag = filter.expertise;
    query = query.where((eb) => eb(eb.val(tag), '=', eb.fn.any('doctor_profiles.expertise')));
  }
  return query.orderBy('doctor_profiles.verified_at', 'desc').limit(LIST_LIMIT).execute();
}

export function findPublic(db: Queryable, id: string) {
  return activeProfiles(db).selectAll('doctor_profiles').where('doctor_profiles.user_id', '=', id).executeTakeFirst();
}

export function findAvatarBlob(db: Queryable, id: string) {
  return activeProfiles(db)
    .select('doctor_profiles.avatar_blob_id')
    .where('doctor_profiles.user_id', '=', id)
    .executeTakeFirst();
}

// ---- reads of consultations (a request names a doctor; a consultation shows who the doctor is) ---------------

/** An approved doctor whose account is active: who they are and what kind of practitioner (for a new request). */
export function findActiveDoctor(db: Queryable, doctorId: string) {
  // (joins the account's status: a foreign read of users, see FOREIGN_READS)
  return db
    .selectFrom('doctor_profiles')
    .innerJoin('users', 'users.id', 'doctor_profiles.user_id')
    .select(['doctor_profiles.user_id', 'doctor_profiles.practitioner_type'])
    .where('doctor_profiles.user_id', '=', doctorId)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
}

/** The doctor's public name and kind of practice, for a consultation's detail. */
export function nameAndType(db: Queryable, doctorId: string) {
  return db
    .selectFrom('doctor_profiles')
    .select(['name', 'practitioner_type'])
    .where('user_id', '=', doctorId)
    .executeTakeFirst();
}

// ---- writes and reads of onboarding (approval publishes a profile, ONB-6 edits update it) ----------------------

/** The doctor's published profile (its user_id), whatever their account status; undefined if none is live. */
export function findProfile(db: Queryable, userId: string) {
  return db.selectFrom('doctor_profiles').select('user_id').where('user_id', '=', userId).executeTakeFirst();
}

/** What approval publishes: every column of a profile except its key and verification time. */
export type ProfileFields = Omit<Insertable<DoctorProfilesTable>, 'user_id' | 'verified_at'>;

/** Publishes the doctor's profile, or replaces the one they have, verified at `verifiedAt`; returns nothing. */
export async function upsertProfile(db: Queryable, userId: string, profile: ProfileFields, verifiedAt: Date) {
  await db
    .insertInto('doctor_profiles')
    .values({ user_id: userId, verified_at: verifiedAt, ...profile })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...profile, verified_at: verifiedAt }))
    .execute();
}

/** Sets expertise and biography (a JSON text) of a live profile; returns how many profiles changed (0 or 1). */
export async function updateProfileText(
  db: Queryable,
  userId: string,
  fields: { expertise: string[]; biography: string; updated_at: Date },
): Promise<number> {
  const res = await db.updateTable('doctor_profiles').set(fields).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Sets the avatar of a live profile (nothing happens without one); returns nothing. */
export async function setProfileAvatar(db: Queryable, userId: string, blobId: string, now: Date) {
  await db
    .updateTable('doctor_profiles')
    .set({ avatar_blob_id: blobId, updated_at: now })
    .where('user_id', '=', userId)
    .execute();
}

/** Removes the doctor's profile from the directory; returns how many profiles were removed (0 or 1). */
export async function deleteProfile(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('doctor_profiles').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

// ---- personal-data port (SEC-2) --------------------------------------------------------------------------------

/** The doctor's whole profile row, whatever their account status; undefined if none is published. */
export function profileRow(db: Queryable, userId: string) {
  return db.selectFrom('doctor_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

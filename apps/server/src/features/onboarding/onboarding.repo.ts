import type { Insertable, Updateable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type {
  ApplicationEventsTable,
  ApplicationStatus,
  AutomatedDecisionsTable,
  BlobsTable,
  DoctorApplicationsTable,
  PhotoColumn,
  RevealGrantsTable,
} from '../../db/schema.js';
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

/** Creates the doctor's draft application; does nothing if they already have one (it is then locked and read). */
export async function insertDraft(db: Queryable, id: string, userId: string, now: Date) {
  await db
    .insertInto('doctor_applications')
    .values({ id, user_id: userId, status: 'draft', updated_at: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

/** The columns a saved draft writes (sealed form parts, blind indexes, type, status). */
export type DraftFields = Pick<
  Updateable<DoctorApplicationsTable>,
  | 'basic_enc'
  | 'id_number_enc'
  | 'id_number_bidx'
  | 'practice_cert_enc'
  | 'practice_cert_bidx'
  | 'qualification_cert_enc'
  | 'qualification_cert_bidx'
  | 'professional_enc'
  | 'practitioner_type'
  | 'status'
  | 'updated_at'
>;

/** Writes a saved draft into the application; returns nothing. */
export async function saveDraftFields(db: Queryable, id: string, fields: DraftFields) {
  await db.updateTable('doctor_applications').set(fields).where('id', '=', id).execute();
}

/** Sets (or with `blobId` null clears) one photo slot of the application, with its new status; returns nothing. */
export async function setPhoto(
  db: Queryable,
  id: string,
  column: PhotoColumn,
  blobId: string | null,
  status: ApplicationStatus,
  now: Date,
) {
  await db
    .updateTable('doctor_applications')
    .set({ [column]: blobId, status, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Marks the application submitted, counting the submission; returns nothing. */
export async function markSubmitted(db: Queryable, id: string, now: Date, submissionCount: number) {
  await db
    .updateTable('doctor_applications')
    .set({ status: 'submitted', submitted_at: now, updated_at: now, submission_count: submissionCount })
    .where('id', '=', id)
    .execute();
}

/** Records a reviewer's decision as the application's status; returns nothing. */
export async function markDecided(db: Queryable, id: string, status: ApplicationStatus, now: Date) {
  await db
    .updateTable('doctor_applications')
    .set({ status, decided_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Records an automated decision (the pre-check); returns nothing. */
export async function insertDecision(db: Queryable, decision: Insertable<AutomatedDecisionsTable>) {
  await db.insertInto('automated_decisions').values(decision).execute();
}

/** Appends one or more events to applications' timelines; returns nothing. */
export async function insertEvents(
  db: Queryable,
  events: Insertable<ApplicationEventsTable> | Insertable<ApplicationEventsTable>[],
) {
  await db.insertInto('application_events').values(events).execute();
}

/** Records a reviewer's time-limited reveal grant; returns nothing. */
export async function insertRevealGrant(db: Queryable, grant: Insertable<RevealGrantsTable>) {
  await db.insertInto('reveal_grants').values(grant).execute();
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

// ---- users (not a table of onboarding's own; read only) ------------------------------------------------------

/** When the account was registered (the account must exist). */
export function userCreatedAt(db: Queryable, userId: string) {
  return db.selectFrom('users').select('created_at').where('id', '=', userId).executeTakeFirstOrThrow();
}

/** The staff account's id if it has the same phone number (blind index) as the applicant's account, else undefined. */
export function samePhoneAs(db: Queryable, staffId: string, applicantId: string) {
  return db
    .selectFrom('users as s')
    .innerJoin('users as a', 'a.phone_bidx', 's.phone_bidx')
    .select('s.id')
    .where('s.id', '=', staffId)
    .where('a.id', '=', applicantId)
    .executeTakeFirst();
}

// ---- photos: rows of the blobs table (not a table of onboarding's own; PhotoStore writes them) ----------------

/** The blob rows with these ids (none asked, none read). */
export function findBlobs(db: Queryable, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('blobs').selectAll().where('id', 'in', ids).execute();
}

/** One blob row by id. */
export function findBlob(db: Queryable, id: string) {
  return db.selectFrom('blobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The thumbnail row of a full-size photo. */
export function findThumbOf(db: Queryable, parentId: string) {
  return db.selectFrom('blobs').selectAll().where('parent_id', '=', parentId).executeTakeFirst();
}

/** Stores one blob row (the sealed bytes go to the blob store); returns nothing. */
export async function insertBlob(db: Queryable, blob: Insertable<BlobsTable>) {
  await db.insertInto('blobs').values(blob).execute();
}

/** The ids of a photo's rows: the full-size one and its thumbnail. */
export async function photoBlobIds(db: Queryable, fullId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('blobs')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', fullId), eb('parent_id', '=', fullId)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes the blob rows with these ids; returns nothing. */
export async function deleteBlobs(db: Queryable, ids: string[]) {
  await db.deleteFrom('blobs').where('id', 'in', ids).execute();
}

// ---- personal-data port (SEC-2): what the applicant and the staff who acted have in these tables ---------------

/** The automated decisions made about the person (newest last). */
export function decisionsAbout(db: Queryable, subjectId: string) {
  return db
    .selectFrom('automated_decisions')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('created_at')
    .execute();
}

/** The reveal grants staff took on one application: what and why, without who (newest last). */
export function grantsOn(db: Queryable, applicationId: string) {
  return db
    .selectFrom('reveal_grants')
    .select(['fields', 'purpose', 'created_at', 'expires_at'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .execute();
}

/** What a staff member did on other people's applications: the events they acted in, without the application. */
export function eventsActedBy(db: Queryable, actorId: string) {
  return db
    .selectFrom('application_events')
    .innerJoin('doctor_applications', 'doctor_applications.id', 'application_events.application_id')
    .select(['application_events.at', 'application_events.kind', 'application_events.reason_code'])
    .where('application_events.actor_id', '=', actorId)
    .where('doctor_applications.user_id', '!=', actorId)
    .orderBy('application_events.seq')
    .execute();
}

/** The reveal grants a staff member took: fields, purpose and time, without the application (newest last). */
export function grantsTakenBy(db: Queryable, staffId: string) {
  return db
    .selectFrom('reveal_grants')
    .select(['fields', 'purpose', 'created_at', 'expires_at'])
    .where('staff_id', '=', staffId)
    .orderBy('created_at')
    .execute();
}

/** Every blob row the person owns (full photos and thumbnails). */
export function blobsOwnedBy(db: Queryable, ownerId: string) {
  return db.selectFrom('blobs').selectAll().where('owner_id', '=', ownerId).orderBy('created_at').execute();
}

/** Replaces the sealed professional part of an application (a correction); returns nothing. */
export async function saveProfessional(db: Queryable, id: string, professionalEnc: Buffer, now: Date) {
  await db
    .updateTable('doctor_applications')
    .set({ professional_enc: professionalEnc, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Deletes the events of one application; returns how many were deleted. */
export async function deleteEventsOf(db: Queryable, applicationId: string): Promise<number> {
  const res = await db.deleteFrom('application_events').where('application_id', '=', applicationId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes the reveal grants on one application; returns how many were deleted. */
export async function deleteGrantsOn(db: Queryable, applicationId: string): Promise<number> {
  const res = await db.deleteFrom('reveal_grants').where('application_id', '=', applicationId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes one application; returns how many were deleted (0 or 1). */
export async function deleteApplication(db: Queryable, id: string): Promise<number> {
  const res = await db.deleteFrom('doctor_applications').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes the automated decisions about the person; returns how many were deleted. */
export async function deleteDecisionsAbout(db: Queryable, subjectId: string): Promise<number> {
  const res = await db.deleteFrom('automated_decisions').where('subject_id', '=', subjectId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes every blob row the person owns; returns the ids deleted (their files are still to be deleted). */
export async function deleteBlobsOwnedBy(db: Queryable, ownerId: string): Promise<string[]> {
  const rows = await db.deleteFrom('blobs').where('owner_id', '=', ownerId).returning('id').execute();
  return rows.map((r) => r.id);
}

/** Cuts the link from events to the staff member who acted in them; returns how many events were changed. */
export async function anonymiseActor(db: Queryable, actorId: string): Promise<number> {
  const res = await db
    .updateTable('application_events')
    .set({ actor_id: null })
    .where('actor_id', '=', actorId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Deletes the reveal grants a staff member took; returns how many were deleted. */
export async function deleteGrantsTakenBy(db: Queryable, staffId: string): Promise<number> {
  const res = await db.deleteFrom('reveal_grants').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

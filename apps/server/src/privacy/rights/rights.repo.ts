import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type {
  LegalHoldsTable,
  RightsExportsTable,
  RightsRequestEventsTable,
  RightsRequestsTable,
} from '../../db/schema.js';

export type RightsRequestRow = Selectable<RightsRequestsTable>;
export type RightsExportRow = Selectable<RightsExportsTable>;
const OPEN = ['received', 'in_progress'] as const;

// ---- requests ----

/** Nothing: inserts a request. Fails on the unique index when the account already has an open cancellation. */
export async function insertRequest(db: Queryable, values: Insertable<RightsRequestsTable>) {
  await db.insertInto('rights_requests').values(values).execute();
}

/** The request, if any. */
export function findRequest(db: Queryable, id: string) {
  return db.selectFrom('rights_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The request locked for update (state changes are serialised per request). */
export function findRequestForUpdate(db: Queryable, id: string) {
  return db.selectFrom('rights_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The person's requests, newest first. */
export function listRequestsOfSubject(db: Queryable, subjectId: string) {
  return db
    .selectFrom('rights_requests')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('received_at', 'desc')
    .execute();
}

/** How many requests of this kind the person made since a time (repeat check). */
export async function countRecentOfKind(db: Queryable, subjectId: string, kind: RightsRequestRow['kind'], since: Date) {
  const row = await db
    .selectFrom('rights_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_id', '=', subjectId)
    .where('kind', '=', kind)
    .where('received_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether the person has an open request of this kind. */
export async function hasOpenOfKind(db: Queryable, subjectId: string, kind: RightsRequestRow['kind']) {
  const row = await db
    .selectFrom('rights_requests')
    .select('id')
    .where('subject_id', '=', subjectId)
    .where('kind', '=', kind)
    .where('status', 'in', OPEN)
    .executeTakeFirst();
  return row !== undefined;
}

/** The staff queue: open requests by due date, or closed ones newest first (at most 500). */
export function listQueue(db: Queryable, open: boolean) {
  const q = db.selectFrom('rights_requests').selectAll();
  return open
    ? q.where('status', 'in', OPEN).orderBy('due_on').orderBy('received_at').limit(500).execute()
    : q.where('status', 'not in', OPEN).orderBy('received_at', 'desc').limit(500).execute();
}

/** Open cancellations and erasures due on or before a date (the processing job). */
export function dueForProcessing(db: Queryable, onOrBefore: string) {
  return db
    .selectFrom('rights_requests')
    .select(['id'])
    .where('kind', 'in', ['cancellation', 'erasure'])
    .where('status', '=', 'received')
    .where((eb) => eb.or([eb('kind', '=', 'cancellation'), eb('erasure_scope', '!=', 'other')]))
    .where('due_on', '<=', onOrBefore)
    .execute();
}

/** Open requests due within the given dates (inclusive), for reminders. */
export function openDueBetween(db: Queryable, from: string, to: string) {
  return db
    .selectFrom('rights_requests')
    .select(['id', 'kind', 'due_on', 'due_provisional'])
    .where('status', 'in', OPEN)
    .where('due_on', '>=', from)
    .where('due_on', '<=', to)
    .execute();
}

/** Open requests whose due date was counted without a holiday notice. */
export function openProvisional(db: Queryable) {
  return db
    .selectFrom('rights_requests')
    .select(['id', 'received_at', 'kind'])
    .where('status', 'in', OPEN)
    .where('due_provisional', '=', true)
    .execute();
}

/** Nothing: updates a request. */
export async function updateRequest(db: Queryable, id: string, values: Updateable<RightsRequestsTable>) {
  await db.updateTable('rights_requests').set(values).where('id', '=', id).execute();
}

/** Rows changed: clears what the person wrote in requests that closed before the cutoff (retention). */
export async function clearClosedBefore(db: Queryable, cutoff: Date) {
  const res = await db
    .deleteFrom('rights_requests')
    .where('status', 'not in', OPEN)
    .where((eb) => eb.or([eb('completed_at', '<', cutoff), eb('withdrawn_at', '<', cutoff)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('legal_holds').select('id').whereRef('legal_holds.request_id', '=', 'rights_requests.id'),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('deletion_certificates')
            .select('request_id')
            .whereRef('deletion_certificates.request_id', '=', 'rights_requests.id'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

// ---- events ----

/** The id of the event appended to a request's timeline. */
export async function insertEvent(db: Queryable, values: Insertable<RightsRequestEventsTable>): Promise<number> {
  const row = await db.insertInto('rights_request_events').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Nothing: stores an event's (sealed) note. */
export async function setEventNote(db: Queryable, id: number, noteEnc: Buffer) {
  await db.updateTable('rights_request_events').set({ note_enc: noteEnc }).where('id', '=', id).execute();
}

/** A request's timeline, oldest first. */
export function listEvents(db: Queryable, requestId: string) {
  return db.selectFrom('rights_request_events').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
}

/** The timelines of the person's requests (export of the person's own data). */
export function listEventsOfSubject(db: Queryable, subjectId: string) {
  return db
    .selectFrom('rights_request_events')
    .innerJoin('rights_requests', 'rights_requests.id', 'rights_request_events.request_id')
    .select([
      'rights_request_events.id',
      'rights_request_events.request_id',
      'rights_request_events.at',
      'rights_request_events.actor_id',
      'rights_request_events.actor_role',
      'rights_request_events.kind',
      'rights_request_events.note_enc',
    ])
    .where('rights_requests.subject_id', '=', subjectId)
    .orderBy('rights_request_events.id')
    .execute();
}

/** Rows changed: cuts the link from events to a staff member who is erased. */
export async function clearEventActor(db: Queryable, actorId: string) {
  const res = await db
    .updateTable('rights_request_events')
    .set({ actor_id: null })
    .where('actor_id', '=', actorId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Rows changed: cuts the link from requests a staff member entered on someone's behalf. */
export async function clearEnteredBy(db: Queryable, staffId: string) {
  const res = await db
    .updateTable('rights_requests')
    .set({ entered_by: null })
    .where('entered_by', '=', staffId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

// ---- exports ----

/** Nothing: creates the export row of an export request. */
export async function insertExport(db: Queryable, requestId: string) {
  await db.insertInto('rights_exports').values({ request_id: requestId }).execute();
}

/** The export of a request, if any. */
export function findExport(db: Queryable, requestId: string) {
  return db.selectFrom('rights_exports').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** The export of a request, locked (single download). */
export function findExportForUpdate(db: Queryable, requestId: string) {
  return db.selectFrom('rights_exports').selectAll().where('request_id', '=', requestId).forUpdate().executeTakeFirst();
}

/** The exports of these requests. */
export function exportsOf(db: Queryable, requestIds: string[]) {
  if (requestIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('rights_exports').selectAll().where('request_id', 'in', requestIds).execute();
}

/** Nothing: updates an export. */
export async function updateExport(db: Queryable, requestId: string, values: Updateable<RightsExportsTable>) {
  await db.updateTable('rights_exports').set(values).where('request_id', '=', requestId).execute();
}

/** Exports whose file is still on disk but that expired or were downloaded (the cleanup job). */
export function exportFilesToDelete(db: Queryable, now: Date) {
  return db
    .selectFrom('rights_exports')
    .select(['request_id', 'blob_name', 'state'])
    .where('blob_name', 'is not', null)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('state', '=', 'downloaded'), eb('expires_at', '<=', now), eb('state', '=', 'failed')]))
    .execute();
}

/** The person's exports with a file still on disk (erasure removes them). */
export function exportFilesOfSubject(db: Queryable, subjectId: string) {
  return db
    .selectFrom('rights_exports')
    .innerJoin('rights_requests', 'rights_requests.id', 'rights_exports.request_id')
    .select(['rights_exports.request_id', 'rights_exports.blob_name'])
    .where('rights_requests.subject_id', '=', subjectId)
    .where('rights_exports.blob_name', 'is not', null)
    .where('rights_exports.deleted_at', 'is', null)
    .execute();
}

// ---- certificates ----

/** Nothing: stores a signed deletion certificate. */
export async function insertCertificate(
  db: Queryable,
  values: { request_id: string; issued_at: Date; body: string; signature: string },
) {
  await db.insertInto('deletion_certificates').values(values).execute();
}

/** The certificate of a request, if issued. */
export function findCertificate(db: Queryable, requestId: string) {
  return db.selectFrom('deletion_certificates').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Which of these requests have a certificate. */
export async function certifiedAmong(db: Queryable, requestIds: string[]): Promise<Set<string>> {
  if (requestIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('deletion_certificates')
    .select('request_id')
    .where('request_id', 'in', requestIds)
    .execute();
  return new Set(rows.map((r) => r.request_id));
}

// ---- legal holds ----

/** Nothing: records a legal hold. */
export async function insertHold(db: Queryable, values: Insertable<LegalHoldsTable>) {
  await db.insertInto('legal_holds').values(values).execute();
}

/** Holds in force (privacy officer's list), soonest to end first. */
export function listActiveHolds(db: Queryable) {
  return db
    .selectFrom('legal_holds')
    .select(['id', 'request_id', 'category', 'basis', 'held_from', 'held_until'])
    .where('released_at', 'is', null)
    .orderBy('held_until')
    .execute();
}

/** Holds whose period ended and that are not yet released. */
export function holdsEndedBy(db: Queryable, now: Date) {
  return db
    .selectFrom('legal_holds')
    .select(['id', 'request_id', 'category'])
    .where('released_at', 'is', null)
    .where('held_until', '<=', now)
    .execute();
}

/** Nothing: releases a hold and drops what it kept (its key is destroyed by the caller). */
export async function releaseHold(db: Queryable, id: string, now: Date) {
  await db.updateTable('legal_holds').set({ released_at: now, payload_enc: null }).where('id', '=', id).execute();
}

/** The holds of a request. */
export function holdsOfRequest(db: Queryable, requestId: string) {
  return db.selectFrom('legal_holds').selectAll().where('request_id', '=', requestId).execute();
}

// ---- recipients told to delete ----

/** Nothing: records that a recipient was asked to delete and what it answered. */
export async function insertErasureNotification(
  db: Queryable,
  values: { request_id: string; recipient: string; asked_at: Date; answer: string; answered_at: Date | null },
) {
  await db.insertInto('erasure_notifications').values(values).execute();
}

/** What recipients answered for a request. */
export function erasureNotificationsOf(db: Queryable, requestId: string) {
  return db
    .selectFrom('erasure_notifications')
    .select(['recipient', 'asked_at', 'answer', 'answered_at'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

// ---- calendar notices ----

/** Every operator-added holiday notice. */
export function listCalendarNotices(db: Queryable) {
  return db.selectFrom('calendar_year_notices').selectAll().orderBy('year').execute();
}

/** Nothing: adds or replaces the holiday notice of a year. */
export async function upsertCalendarNotice(
  db: Queryable,
  values: {
    year: number;
    holidays: string[];
    workdays: string[];
    source: string | null;
    added_by: string;
    added_at: Date;
  },
) {
  await db
    .insertInto('calendar_year_notices')
    .values(values)
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({
        holidays: values.holidays,
        workdays: values.workdays,
        source: values.source,
        added_by: values.added_by,
        added_at: values.added_at,
      }),
    )
    .execute();
}

/** Rows changed: cuts the link from calendar notices to a staff member who is erased. */
export async function clearCalendarAddedBy(db: Queryable, staffId: string) {
  const res = await db
    .updateTable('calendar_year_notices')
    .set({ added_by: null })
    .where('added_by', '=', staffId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

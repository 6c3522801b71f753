import { sql, type Selectable } from 'kysely';
import type { CallSnapshot } from '@anxin/domain';
import type { Queryable } from '../../db/database.js';
import type { CallsTable } from '../../db/schema.js';

export type CallRow = Selectable<CallsTable>;

const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());

export function toSnapshot(row: CallRow): CallSnapshot {
  return {
    state: row.state,
    media: row.media,
    startedAt: new Date(row.started_at).getTime(),
    ringDeadline: new Date(row.ring_deadline).getTime(),
    answeredAt: ms(row.answered_at),
    endedAt: ms(row.ended_at),
    outcome: row.outcome,
    declineReason: row.decline_reason,
    endedBy: row.ended_by,
  };
}

/** The consultation, only for one of its two participants. */
export function consultationForParticipant(db: Queryable, id: string, userId: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'status', 'patient_id', 'doctor_id'])
    .where('id', '=', id)
    .where((eb) => eb.or([eb('patient_id', '=', userId), eb('doctor_id', '=', userId)]))
    .executeTakeFirst();
}

/** Serialises "is this person in a call" checks for the two people (in a fixed order, so no deadlock). */
export async function lockPeople(trx: Queryable, ids: string[]) {
  for (const id of [...ids].sort())
    await sql`select pg_advisory_xact_lock(hashtext(${`anxin.call:${id}`}))`.execute(trx);
}

/** Calls that have not ended in which this person takes part. */
export function openCallsOf(db: Queryable, userId: string) {
  return db
    .selectFrom('calls')
    .select(['id', 'consultation_id'])
    .where('state', '<>', 'ended')
    .where((eb) => eb.or([eb('caller_id', '=', userId), eb('callee_id', '=', userId)]))
    .execute();
}

/** Stores a new call; returns nothing. */
export async function insertCall(trx: Queryable, row: CallRow) {
  await trx.insertInto('calls').values(row).execute();
}

/** The ids of the consultation's calls that have not ended. */
export function openCallsOfConsultation(db: Queryable, consultationId: string) {
  return db
    .selectFrom('calls')
    .select('id')
    .where('consultation_id', '=', consultationId)
    .where('state', '<>', 'ended')
    .execute();
}

export function lockCall(trx: Queryable, id: string) {
  return trx.selectFrom('calls').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findCall(db: Queryable, id: string) {
  return db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function saveSnapshot(trx: Queryable, id: string, s: CallSnapshot, durationSeconds: number) {
  await trx
    .updateTable('calls')
    .set({
      state: s.state,
      outcome: s.outcome,
      decline_reason: s.declineReason,
      ended_by: s.endedBy,
      answered_at: s.answeredAt === null ? null : new Date(s.answeredAt),
      ended_at: s.endedAt === null ? null : new Date(s.endedAt),
      duration_seconds: durationSeconds,
    })
    .where('id', '=', id)
    .execute();
}

export function overdueRinging(db: Queryable, now: Date) {
  return db
    .selectFrom('calls')
    .select('id')
    .where('state', 'in', ['inviting', 'ringing'])
    .where('ring_deadline', '<=', now)
    .execute();
}

/** Calls still open although their consultation is no longer active (ended by the doctor meanwhile). */
export function openInClosedConsultations(db: Queryable) {
  return db
    .selectFrom('calls')
    .innerJoin('consultations', 'consultations.id', 'calls.consultation_id')
    .select('calls.id')
    .where('calls.state', '<>', 'ended')
    .where('consultations.status', '<>', 'active')
    .execute();
}

export function openCalls(db: Queryable) {
  return db.selectFrom('calls').selectAll().where('state', '<>', 'ended').execute();
}

export function callsOfConsultation(db: Queryable, consultationId: string) {
  return db
    .selectFrom('calls')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .orderBy('started_at', 'desc')
    .limit(200)
    .execute();
}

/** The incoming-call notice has done its job once the call stops ringing. */
export async function settleIncomingNotice(trx: Queryable, calleeId: string, callId: string, now: Date) {
  await trx
    .updateTable('notices')
    .set({ read_at: now })
    .where('user_id', '=', calleeId)
    .where('kind', '=', 'call.incoming')
    .where('read_at', 'is', null)
    .where(sql<string>`data->>'callId'`, '=', callId)
    .execute();
}

// Personal-data port (issue 10, SEC-2).

/** Every call the user placed or received, oldest first (metadata only: nothing else is stored). */
export function callsOfUser(db: Queryable, userId: string) {
  return db
    .selectFrom('calls')
    .selectAll()
    .where((eb) => eb.or([eb('caller_id', '=', userId), eb('callee_id', '=', userId)]))
    .orderBy('started_at')
    .execute();
}

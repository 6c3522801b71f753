import type { Insertable, Selectable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { CrisisEscalationsTable } from '../../db/schema.js';

export type EscalationRow = Selectable<CrisisEscalationsTable>;

/** The consultation's participants, if `userId` is one of them (ownership in the WHERE). */
export function participants(db: Queryable, consultationId: string, userId: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'patient_id', 'doctor_id', 'status'])
    .where('id', '=', consultationId)
    .where((eb) => eb.or([eb('patient_id', '=', userId), eb('doctor_id', '=', userId)]))
    .executeTakeFirst();
}

/** The escalation of a consultation that is not closed yet (at most one, by a unique index). */
export function unclosedFor(db: Queryable, consultationId: string, lock = false) {
  let q = db
    .selectFrom('crisis_escalations')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('status', '<>', 'closed');
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** One escalation by id, locked until the transaction ends. */
export function lockById(db: Queryable, id: string) {
  return db.selectFrom('crisis_escalations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Whether the consultation has an open escalation (detected, not yet acknowledged by its doctor nor closed). An
 * acknowledged or closed one does not count. Read without a lock.
 */
export async function hasOpen(db: Queryable, consultationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('crisis_escalations')
    .select('id')
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Boolean(row);
}

/** The consultations that have an open escalation (normally a handful). */
export async function consultationsWithOpen(db: Queryable): Promise<string[]> {
  const rows = await db
    .selectFrom('crisis_escalations')
    .select('consultation_id')
    .where('status', '=', 'open')
    .execute();
  return [...new Set(rows.map((r) => r.consultation_id))];
}

/** Opens a new escalation; returns nothing. */
export async function insert(db: Queryable, escalation: Insertable<CrisisEscalationsTable>) {
  await db.insertInto('crisis_escalations').values(escalation).execute();
}

/**
 * Stores the escalation's updated signal record; with `reopen` an acknowledged escalation goes back to open (the
 * acknowledgement cleared). Returns nothing.
 */
export async function addSignal(db: Queryable, id: string, signalEnc: Buffer, at: Date, reopen: boolean) {
  await db
    .updateTable('crisis_escalations')
    .set({
      signal_enc: signalEnc,
      last_signal_at: at,
      ...(reopen ? { status: 'open' as const, acknowledged_at: null, acknowledged_by: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Marks the escalation acknowledged by its doctor; returns nothing. */
export async function markAcknowledged(db: Queryable, id: string, doctorId: string, at: Date) {
  await db
    .updateTable('crisis_escalations')
    .set({ status: 'acknowledged', acknowledged_at: at, acknowledged_by: doctorId })
    .where('id', '=', id)
    .execute();
}

/** Records the doctor's hand-over to support with its (encrypted) note; the status stays as it is. Returns nothing. */
export async function markHandedOver(db: Queryable, id: string, doctorId: string, at: Date, noteEnc: Buffer) {
  await db
    .updateTable('crisis_escalations')
    .set({ handed_over_at: at, handed_over_by: doctorId, handover_note_enc: noteEnc })
    .where('id', '=', id)
    .execute();
}

/** Closes the escalation with support's (encrypted) note; returns nothing. */
export async function markClosed(db: Queryable, id: string, staffId: string, at: Date, noteEnc: Buffer) {
  await db
    .updateTable('crisis_escalations')
    .set({ status: 'closed', closed_at: at, closed_by: staffId, close_note_enc: noteEnc })
    .where('id', '=', id)
    .execute();
}

/** One escalation, only if `doctorId` is the doctor of its consultation. */
export function forDoctor(db: Queryable, escalationId: string, doctorId: string) {
  return db
    .selectFrom('crisis_escalations')
    .innerJoin('consultations', 'consultations.id', 'crisis_escalations.consultation_id')
    .selectAll('crisis_escalations')
    .where('crisis_escalations.id', '=', escalationId)
    .where('consultations.doctor_id', '=', doctorId)
    .executeTakeFirst();
}

const staffColumns = [
  'crisis_escalations.id',
  'crisis_escalations.consultation_id',
  'crisis_escalations.status',
  'crisis_escalations.signal_enc',
  'crisis_escalations.created_at',
  'crisis_escalations.last_signal_at',
  'crisis_escalations.acknowledged_at',
  'crisis_escalations.acknowledged_by',
  'crisis_escalations.closed_at',
  'crisis_escalations.closed_by',
  'crisis_escalations.close_note_enc',
  'crisis_escalations.handed_over_at',
  'crisis_escalations.handover_note_enc',
  'consultations.doctor_id',
  'consultations.status as consultation_status',
] as const;

function staffQuery(db: Queryable) {
  return db
    .selectFrom('crisis_escalations')
    .innerJoin('consultations', 'consultations.id', 'crisis_escalations.consultation_id')
    .leftJoin('doctor_profiles', 'doctor_profiles.user_id', 'consultations.doctor_id')
    .select([...staffColumns, 'doctor_profiles.name as doctor_name']);
}

/** The support queue: unhandled first (open, then acknowledged), newest signal first. */
export function listForStaff(db: Queryable, status: 'open' | 'acknowledged' | 'closed' | 'all', limit: number) {
  let q = staffQuery(db);
  if (status !== 'all') q = q.where('crisis_escalations.status', '=', status);
  return q
    .orderBy((eb) =>
      eb
        .case()
        .when('crisis_escalations.status', '=', 'open')
        .then(0)
        .when('crisis_escalations.status', '=', 'acknowledged')
        .then(1)
        .else(2)
        .end(),
    )
    .orderBy('crisis_escalations.last_signal_at', 'desc')
    .limit(limit)
    .execute();
}

export function findForStaff(db: Queryable, id: string) {
  return staffQuery(db).where('crisis_escalations.id', '=', id).executeTakeFirst();
}

export type StaffRow = NonNullable<Awaited<ReturnType<typeof findForStaff>>>;

// Personal-data port (issue 10, SEC-2).

/** The escalations of the consultations in which the user is the patient, oldest first. */
export function escalationsOfPatient(db: Queryable, patientId: string) {
  return db
    .selectFrom('crisis_escalations')
    .innerJoin('consultations', 'consultations.id', 'crisis_escalations.consultation_id')
    .selectAll('crisis_escalations')
    .where('consultations.patient_id', '=', patientId)
    .orderBy('crisis_escalations.created_at')
    .execute();
}

/** The escalations the user acknowledged, handed over or closed (as doctor or support staff), oldest first. */
export function escalationsActedOnBy(db: Queryable, userId: string) {
  return db
    .selectFrom('crisis_escalations')
    .selectAll()
    .where((eb) =>
      eb.or([eb('acknowledged_by', '=', userId), eb('handed_over_by', '=', userId), eb('closed_by', '=', userId)]),
    )
    .orderBy('created_at')
    .execute();
}

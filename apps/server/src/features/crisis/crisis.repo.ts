import type { Selectable } from 'kysely';
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

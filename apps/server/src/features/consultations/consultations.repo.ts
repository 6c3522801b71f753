import type { Queryable } from '../../db/database.js';

/** The consultation, only if the user is one of its two participants (ownership in the WHERE). */
export function findForParticipant(db: Queryable, id: string, userId: string) {
  return db
    .selectFrom('consultations')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('patient_id', '=', userId), eb('doctor_id', '=', userId)]))
    .executeTakeFirst();
}

/** Same, locked: message sequence numbers are handed out under this lock, so they are gap-free and ordered. */
export function lockForParticipant(db: Queryable, id: string, userId: string) {
  return db
    .selectFrom('consultations')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('patient_id', '=', userId), eb('doctor_id', '=', userId)]))
    .forUpdate()
    .executeTakeFirst();
}

export function listForUser(db: Queryable, userId: string, role: 'doctor' | 'patient') {
  return db
    .selectFrom('consultations')
    .innerJoin('doctor_profiles', 'doctor_profiles.user_id', 'consultations.doctor_id')
    .leftJoin('consultation_reads', (join) =>
      join
        .onRef('consultation_reads.consultation_id', '=', 'consultations.id')
        .on('consultation_reads.user_id', '=', userId),
    )
    .selectAll('consultations')
    .select([
      'doctor_profiles.name as doctor_name',
      'doctor_profiles.practitioner_type',
      'consultation_reads.last_read_seq',
    ])
    .where(role === 'doctor' ? 'consultations.doctor_id' : 'consultations.patient_id', '=', userId)
    .orderBy('consultations.created_at', 'desc')
    .limit(200)
    .execute();
}

export function findMessageByClientId(db: Queryable, consultationId: string, clientId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}

export function messagesAfter(db: Queryable, consultationId: string, after: number, limit: number) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Messages from the other participant after my last read position. */
export async function unreadCount(db: Queryable, consultationId: string, userId: string, lastRead: number) {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('consultation_id', '=', consultationId)
    .where('seq', '>', lastRead)
    .where('sender_id', '!=', userId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function readSeqOf(db: Queryable, consultationId: string, userId: string) {
  const row = await db
    .selectFrom('consultation_reads')
    .select('last_read_seq')
    .where('consultation_id', '=', consultationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.last_read_seq ?? 0;
}

/** The main file of each media message (the image itself, or the recording): what a message list describes. */
export function mediaOf(db: Queryable, consultationId: string, seqs: number[]) {
  return db
    .selectFrom('consultation_media')
    .select(['seq', 'content_type', 'byte_size', 'width', 'height', 'duration_ms'])
    .where('consultation_id', '=', consultationId)
    .where('seq', 'in', seqs)
    .where('variant', 'in', ['full', 'audio'])
    .execute();
}

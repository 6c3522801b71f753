import { sql } from 'kysely';
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
    .innerJoin('users as patient', 'patient.id', 'consultations.patient_id')
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
      'patient.display_name_enc as patient_name_enc',
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

/**
 * The consultation locked for storing messages (any participant's: the caller checks who sends), together with
 * its current data key, in one round trip. Sequence numbers are handed out under this lock.
 */
export function lockForWrite(trx: Queryable, id: string) {
  return trx
    .selectFrom('consultations')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('subject_keys')
          .select(['subject_keys.version', 'subject_keys.wrapped_key'])
          .whereRef('subject_keys.subject_id', '=', 'consultations.id')
          .orderBy('subject_keys.version', 'desc')
          .limit(1)
          .as('k'),
      (join) => join.onTrue(),
    )
    .selectAll('consultations')
    .select(['k.version as key_version', 'k.wrapped_key'])
    .where('consultations.id', '=', id)
    .forUpdate('consultations')
    .executeTakeFirst();
}

export function messagesByClientIds(db: Queryable, consultationId: string, clientIds: string[]) {
  return db
    .selectFrom('messages')
    .select(['seq', 'client_id', 'sender_id', 'created_at'])
    .where('consultation_id', '=', consultationId)
    .where('client_id', 'in', clientIds)
    .execute();
}

/**
 * Stores a batch of messages (numbered last_seq + 1 … by the caller, under the lock) and moves last_seq, in one
 * statement — unless one of the client ids is already stored: then nothing is written and the number of those is
 * returned, for the caller to answer them as duplicates and number the rest again.
 */
export async function insertMessagesUnlessStored(
  trx: Queryable,
  consultationId: string,
  rows: Array<{ seq: number; clientId: string; senderId: string; kind: string; bodyEnc: Buffer }>,
  now: Date,
): Promise<{ stored: number }> {
  const clientIds = rows.map((r) => r.clientId);
  const result = await sql<{ stored: number }>`
    with stored as (
      select count(*)::int as n from messages
      where consultation_id = ${consultationId} and client_id = any(${clientIds}::uuid[])
    ), inserted as (
      insert into messages (consultation_id, seq, client_id, sender_id, kind, body_enc, created_at)
      select ${consultationId}, t.seq, t.client_id, t.sender_id, t.kind, t.body_enc, ${now}
      from unnest(
        ${rows.map((r) => r.seq)}::bigint[], ${clientIds}::uuid[], ${rows.map((r) => r.senderId)}::uuid[],
        ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.bodyEnc)}::bytea[]
      ) as t(seq, client_id, sender_id, kind, body_enc)
      where (select n from stored) = 0
      returning seq
    ), moved as (
      update consultations set last_seq = ${rows[rows.length - 1]!.seq}, last_message_at = ${now}
      where id = ${consultationId} and (select n from stored) = 0
      returning id
    )
    select (select n from stored) as stored, (select count(*) from inserted) as inserted, (select count(*) from moved) as moved`.execute(
    trx,
  );
  return { stored: result.rows[0]!.stored };
}

/**
 * A page of messages after a position, only if the user is a participant, with the consultation's last_seq and
 * its data keys: one round trip (no row at all = not a participant; one row with a null seq = no messages).
 */
export function pageForParticipant(db: Queryable, id: string, userId: string, after: number, limit: number) {
  return db
    .selectFrom('consultations')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('messages')
          .select([
            'messages.seq',
            'messages.client_id',
            'messages.sender_id',
            'messages.kind',
            'messages.body_enc',
            'messages.created_at',
          ])
          .whereRef('messages.consultation_id', '=', 'consultations.id')
          .where('messages.seq', '>', after)
          .orderBy('messages.seq')
          .limit(limit)
          .as('m'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('subject_keys')
          .select([
            sql<number[]>`array_agg(subject_keys.version)`.as('versions'),
            sql<Buffer[]>`array_agg(subject_keys.wrapped_key)`.as('wrapped'),
          ])
          .whereRef('subject_keys.subject_id', '=', 'consultations.id')
          .as('k'),
      (join) => join.onTrue(),
    )
    .select([
      'consultations.last_seq',
      'k.versions',
      'k.wrapped',
      'm.seq',
      'm.client_id',
      'm.sender_id',
      'm.kind',
      'm.body_enc',
      'm.created_at',
    ])
    .where('consultations.id', '=', id)
    .where((eb) => eb.or([eb('consultations.patient_id', '=', userId), eb('consultations.doctor_id', '=', userId)]))
    .orderBy('m.seq')
    .execute();
}

import { sql } from 'kysely';
import type { Insertable, Updateable } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { ConsultationMediaTable, ConsultationsTable } from '../../db/schema.js';
import { preparedAs } from '../../db/prepared.js';
import type { MessageKind } from '@anxin/contracts';

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
      'patient.age_band_enc as patient_age_band_enc',
      'patient.sex_enc as patient_sex_enc',
    ])
    .where(role === 'doctor' ? 'consultations.doctor_id' : 'consultations.patient_id', '=', userId)
    .orderBy('consultations.created_at', 'desc')
    .limit(200)
    .execute();
}

/**
 * The patient's shared fields (display name, age band, sex) as ciphertext, only through a consultation the user
 * takes part in (ownership in the WHERE).
 */
export function patientOfParticipant(db: Queryable, id: string, userId: string) {
  return db
    .selectFrom('consultations')
    .innerJoin('users as patient', 'patient.id', 'consultations.patient_id')
    .select([
      'patient.display_name_enc as patient_name_enc',
      'patient.age_band_enc as patient_age_band_enc',
      'patient.sex_enc as patient_sex_enc',
    ])
    .where('consultations.id', '=', id)
    .where((eb) => eb.or([eb('consultations.patient_id', '=', userId), eb('consultations.doctor_id', '=', userId)]))
    .executeTakeFirst();
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

/** Messages to append to one consultation, numbered expectedLastSeq + 1 … by the caller. */
export interface AppendGroup {
  consultationId: string;
  expectedLastSeq: number;
  keyVersion: number | null;
  rows: Array<{ seq: number; clientId: string; senderId: string; kind: string; bodyEnc: Buffer }>;
  recipients: string[];
}

/**
 * Appends messages to one or more consultations in one statement (atomic on its own, so it may also run outside
 * a transaction when nothing else has to be written with the messages). For each consultation it moves last_seq from
 * `expectedLastSeq` (the update takes that consultation's row lock) and inserts its messages — but only if the
 * consultation is active, last_seq is still `expectedLastSeq` (every message insert moves it, under that lock, so
 * nothing was stored meanwhile), `keyVersion` is still its current key (not rotated or destroyed), and none of its
 * client ids is stored yet. Otherwise nothing is written for that consultation and the caller takes the lock and
 * looks. Also tells which recipients already have an unread new-message notice for the consultation.
 *
 * The batch travels as three JSON documents rather than as arrays: PostgreSQL estimates the rows of a JSON record
 * set the same whatever its length, so the plan does not depend on the batch and the prepared statement settles on
 * one generic plan instead of planning every call (with arrays it re-planned each time: 0.9 ms of planning for
 * 0.5 ms of execution at one message per call). The `onlyIfNoticesUnread` variant is its own statement for the
 * same reason.
 */
export async function appendMessages(
  trx: Queryable,
  groups: AppendGroup[],
  now: Date,
  opts: { onlyIfNoticesUnread?: boolean } = {},
): Promise<Map<string, { appended: boolean; stored: boolean; unreadNoticeFor: string[] }>> {
  const alone = opts.onlyIfNoticesUnread ?? false;
  const input = groups.map((g) => ({
    id: g.consultationId,
    expected: g.expectedLastSeq,
    last: g.rows[g.rows.length - 1]!.seq,
    key_version: g.keyVersion,
  }));
  const rows = groups.flatMap((g) =>
    g.rows.map((r) => ({
      consultation_id: g.consultationId,
      seq: r.seq,
      client_id: r.clientId,
      sender_id: r.senderId,
      kind: r.kind,
      body: r.bodyEnc.toString('base64'),
    })),
  );
  const pairs = groups.flatMap((g) => g.recipients.map((userId) => ({ id: g.consultationId, user_id: userId })));
  const result = await sql<{
    moved: string[];
    stored: string[];
    unread: string[];
  }>`${sql.raw(preparedAs(alone ? 'consultations.append-alone' : 'consultations.append'))}
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        as i(id uuid, expected bigint, last bigint, key_version int)
    ), msg as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as t(consultation_id uuid, seq bigint, client_id uuid, sender_id uuid, kind text, body text)
    ), pairs as (
      select * from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as p(id uuid, user_id uuid)
    ), stored as (
      -- (lateral … limit 1: one index lookup per message, whatever the planner thinks of the table's size)
      select distinct msg.consultation_id as id from msg
      cross join lateral (
        select 1 from messages m where m.consultation_id = msg.consultation_id and m.client_id = msg.client_id limit 1
      ) hit
    ), unread as (
      select distinct q.id, q.user_id from pairs q
      cross join lateral (
        select 1 from notices n
        where n.user_id = q.user_id and n.kind = 'consultation.message' and n.read_at is null
          and n.data->>'consultationId' = q.id::text
        limit 1
      ) hit
    ), moved as (
      update consultations c set last_seq = i.last, last_message_at = ${now}
      from input i
      where c.id = i.id
        and c.status = 'active' and c.last_seq = i.expected
        and not exists (select 1 from stored where stored.id = i.id)
        and (i.key_version is null
          or (select max(k.version) from subject_keys k where k.subject_id = i.id) = i.key_version)
        ${sql.raw(
          alone
            ? `-- (outside a transaction: only if no new-message notice has to be created along with the messages)
        and not exists (
          select 1 from pairs p where p.id = i.id
            and not exists (select 1 from unread u where u.id = p.id and u.user_id = p.user_id)
        )`
            : '',
        )}
      returning c.id
    ), inserted as (
      insert into messages (consultation_id, seq, client_id, sender_id, kind, body_enc, created_at)
      select msg.consultation_id, msg.seq, msg.client_id, msg.sender_id, msg.kind, decode(msg.body, 'base64'), ${now}
      from msg where msg.consultation_id in (select id from moved)
      returning consultation_id
    )
    select
      array(select id::text from moved where id in (select consultation_id from inserted)) as moved,
      array(select id::text from stored) as stored,
      array(select id::text || ' ' || user_id::text from unread) as unread`.execute(trx);
  const { moved, stored, unread } = result.rows[0]!;
  return new Map(
    groups.map((g) => [
      g.consultationId,
      {
        appended: moved.includes(g.consultationId),
        stored: stored.includes(g.consultationId),
        unreadNoticeFor: unread.flatMap((u) => {
          const [id, userId] = u.split(' ');
          return id === g.consultationId ? [userId!] : [];
        }),
      },
    ]),
  );
}

/**
 * Messages announced to a recipient (consultation, seq pairs), only from consultations the user takes part in,
 * with each consultation's keys: one round trip for a burst of announcements across consultations.
 */
export async function messagesAt(
  db: Queryable,
  userId: string,
  wanted: Array<{ consultationId: string; seq: number }>,
) {
  const result = await sql<{
    consultation_id: string;
    versions: number[] | null;
    wrapped: Buffer[] | null;
    seq: number;
    client_id: string;
    sender_id: string;
    kind: MessageKind;
    body_enc: Buffer;
    created_at: Date;
  }>`${sql.raw(preparedAs('consultations.messages-at'))}
    select c.id as consultation_id, k.versions, k.wrapped,
      m.seq, m.client_id, m.sender_id, m.kind, m.body_enc, m.created_at
    from unnest(${wanted.map((w) => w.consultationId)}::uuid[], ${wanted.map((w) => w.seq)}::bigint[]) as w(id, seq)
    join consultations c on c.id = w.id and (c.patient_id = ${userId} or c.doctor_id = ${userId})
    cross join lateral (
      select * from messages where messages.consultation_id = w.id and messages.seq = w.seq limit 1
    ) m
    left join lateral (
      select array_agg(version) as versions, array_agg(wrapped_key) as wrapped
      from subject_keys where subject_id = c.id
    ) k on true
    order by c.id, m.seq`.execute(db);
  return result.rows;
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

/** Stores a new consultation row. */
export async function insertConsultation(db: Queryable, row: Insertable<ConsultationsTable>): Promise<void> {
  await db.insertInto('consultations').values(row).execute();
}

/** Changes a consultation's row (status, times, sealed reasons). */
export async function updateConsultation(
  db: Queryable,
  id: string,
  set: Updateable<ConsultationsTable>,
): Promise<void> {
  await db.updateTable('consultations').set(set).where('id', '=', id).execute();
}

/** The follow-up of this consultation that is still waiting or under way, if any. */
export function openFollowUpOf(db: Queryable, id: string) {
  return db
    .selectFrom('consultations')
    .select('id')
    .where('follow_up_of', '=', id)
    .where('status', 'in', ['requested', 'active'])
    .executeTakeFirst();
}

/** Active consultations without a message since `cutoff` (nor an acceptance since then), but those in `except`. */
export function idleSince(db: Queryable, cutoff: Date, limit: number, except: string[]) {
  let q = db
    .selectFrom('consultations')
    .select('id')
    .where('status', '=', 'active')
    .where('accepted_at', '<', cutoff)
    .where((eb) => eb(eb.fn.coalesce('last_message_at', 'accepted_at'), '<', cutoff));
  if (except.length > 0) q = q.where('id', 'not in', except);
  return q.limit(limit).execute();
}

/** One consultation, locked for update (for a check that must hold until commit). */
export function lockById(db: Queryable, id: string) {
  return db.selectFrom('consultations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Stores the file rows of media messages. */
export async function insertMedia(db: Queryable, rows: Insertable<ConsultationMediaTable>[]): Promise<void> {
  await db.insertInto('consultation_media').values(rows).execute();
}

/** One stored file of a media message (its blob id and type). */
export function mediaFileOf(
  db: Queryable,
  consultationId: string,
  seq: number,
  variant: ConsultationMediaTable['variant'],
) {
  return db
    .selectFrom('consultation_media')
    .select(['id', 'content_type'])
    .where('consultation_id', '=', consultationId)
    .where('seq', '=', seq)
    .where('variant', '=', variant)
    .executeTakeFirst();
}

/** Moves the user's read position forward to `upTo` (never back). */
export async function advanceRead(db: Queryable, consultationId: string, userId: string, upTo: number, now: Date) {
  await db
    .insertInto('consultation_reads')
    .values({ consultation_id: consultationId, user_id: userId, last_read_seq: upTo, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['consultation_id', 'user_id']).doUpdateSet({
        last_read_seq: (eb) => eb.fn('greatest', [eb.ref('consultation_reads.last_read_seq'), eb.val(upTo)]),
        updated_at: now,
      }),
    )
    .execute();
}

/** Bytes of all files of one consultation's media messages. */
export async function mediaBytesOf(db: Queryable, consultationId: string): Promise<number> {
  const row = await db
    .selectFrom('consultation_media')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('byte_size'), eb.lit(0)).as('total'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Notes an upload before its file is written, so that a crash leaves something the sweep can find. */
export async function noteUpload(db: Queryable, id: string, consultationId: string, now: Date): Promise<void> {
  await db.insertInto('media_uploads').values({ id, consultation_id: consultationId, created_at: now }).execute();
}

/** Uploads noted before `before` (at most `limit`), each with whether its file belongs to a committed message. */
export function uploadsBefore(db: Queryable, before: Date, limit: number) {
  return db
    .selectFrom('media_uploads')
    .leftJoin('consultation_media', 'consultation_media.id', 'media_uploads.id')
    .select(['media_uploads.id', 'consultation_media.id as stored'])
    .where('media_uploads.created_at', '<', before)
    .limit(limit)
    .execute();
}

/** Forgets these uploads (their files are committed or deleted). */
export async function forgetUploads(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('media_uploads').where('id', 'in', ids).execute();
}

// Personal-data port (issue 10, SEC-2): what consultations.port.ts reads and erases for one person.

/** Every consultation in which the user is the patient, oldest first. */
export function consultationsOfPatient(db: Queryable, patientId: string) {
  return db.selectFrom('consultations').selectAll().where('patient_id', '=', patientId).orderBy('created_at').execute();
}

/** Every consultation the user conducted (or was asked to) as its doctor, oldest first. */
export function consultationsOfDoctor(db: Queryable, doctorId: string) {
  return db.selectFrom('consultations').selectAll().where('doctor_id', '=', doctorId).orderBy('created_at').execute();
}

/** The messages of these consultations (all senders), in order. */
export function messagesOf(db: Queryable, consultationIds: string[]) {
  if (consultationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('messages')
    .select(['consultation_id', 'seq', 'sender_id', 'kind', 'body_enc', 'created_at'])
    .where('consultation_id', 'in', consultationIds)
    .orderBy('consultation_id')
    .orderBy('seq')
    .execute();
}

/** The main file (the image itself, or the recording) of each media message of these consultations. */
export function mainMediaOf(db: Queryable, consultationIds: string[]) {
  if (consultationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('consultation_media')
    .select(['id', 'consultation_id', 'seq', 'variant', 'content_type'])
    .where('consultation_id', 'in', consultationIds)
    .where('variant', 'in', ['full', 'audio'])
    .orderBy('consultation_id')
    .orderBy('seq')
    .execute();
}

/** The user's read positions, in every consultation. */
export function readsOf(db: Queryable, userId: string) {
  return db
    .selectFrom('consultation_reads')
    .select(['consultation_id', 'last_read_seq', 'updated_at'])
    .where('user_id', '=', userId)
    .execute();
}

/** Deletes the user's read positions; returns how many went. */
export async function deleteReadsOf(db: Queryable, userId: string): Promise<number> {
  const res = await db.deleteFrom('consultation_reads').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * Deletes the patient's consultations that never began (requested or declined, never accepted: no message, file,
 * call or escalation can exist for them); returns their ids.
 */
export async function deleteNeverAcceptedOfPatient(db: Queryable, patientId: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('consultations')
    .where('patient_id', '=', patientId)
    .where('accepted_at', 'is', null)
    .where('status', 'in', ['requested', 'declined'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** How many messages and file rows these consultations hold. */
export async function recordSizeOf(db: Queryable, consultationIds: string[]) {
  if (consultationIds.length === 0) return { messages: 0, media: 0 };
  const m = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consultation_id', 'in', consultationIds)
    .executeTakeFirstOrThrow();
  const f = await db
    .selectFrom('consultation_media')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consultation_id', 'in', consultationIds)
    .executeTakeFirstOrThrow();
  return { messages: Number(m.n), media: Number(f.n) };
}

/** Consultations that ended before the cutoff and whose key still exists (end of the medical-record period). */
export async function endedBeforeWithKey(db: Queryable, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('consultations')
    .select('id')
    .where('status', 'in', ['ended', 'declined'])
    .where((eb) =>
      eb.or([eb('ended_at', '<', cutoff), eb.and([eb('ended_at', 'is', null), eb('created_at', '<', cutoff)])]),
    )
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('subject_keys').select('subject_id').whereRef('subject_keys.subject_id', '=', 'consultations.id'),
      ),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

import crypto from 'node:crypto';
import type {
  ConsultationDetail,
  ConsultationSummary,
  MediaMessageQuery,
  MediaVariant,
  MessageAck,
  MessageKind,
  MessagePage,
  RequestConsultationBody,
  SendMessageBody,
} from '@anxin/contracts';
import type { Selectable } from 'kysely';
import type { Db, Queryable } from '../../db/database.js';
import type { ConsultationsTable } from '../../db/schema.js';
import type { KeyStore } from '../../crypto/key-store.js';
import { appendAudit } from '../../privacy/audit/audit.js';
import type { PolicyService, RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { BusEvent, MessageBus } from '../../realtime/bus.js';
import type { NoticeService } from '../notices/notices.service.js';
import type { Actor } from '../identity/identity.service.js';
import * as repo from './consultations.repo.js';
import { prepareImage, prepareVoiceNote, type MediaStore } from './media.store.js';

type StoredFile = Awaited<ReturnType<MediaStore['write']>>[number];

type Row = Selectable<ConsultationsTable>;

/** Each consultation is its own data subject: its key protects the concern and every message. */
const field = (column: string, rowId: string) => ({ table: 'consultations', column, rowId });
const messageField = (consultationId: string, seq: number) => ({
  table: 'messages',
  column: 'body_enc',
  rowId: `${consultationId}:${seq}`,
});

export const userTopic = (userId: string) => `user:${userId}`;

/** A stored text message, as seen by an inspector (e.g. the crisis-signal detector) inside the insert transaction. */
export interface InspectedMessage {
  consultationId: string;
  seq: number;
  senderId: string;
  senderRole: 'patient' | 'doctor';
  patientId: string;
  doctorId: string;
  text: string;
  at: Date;
}

/**
 * Runs inside the transaction that stores a text message, so whatever it records (an escalation, an audit entry)
 * commits or rolls back with the message. It returns events to publish after the commit (ids only, no content).
 */
export type MessageInspector = (
  trx: Queryable,
  message: InspectedMessage,
) => Promise<{ topic: string; event: BusEvent }[]>;

/**
 * Consultations and messaging (CON-1). A message is acknowledged only after its insert committed; the sequence
 * number is assigned under a row lock on the consultation inside that transaction, so numbers are gap-free and
 * in commit order; a client id makes resending safe (the same message comes back, never a second copy).
 */
export class ConsultationService {
  constructor(
    private readonly deps: {
      db: Db;
      keys: KeyStore;
      clock: Clock;
      policy: PolicyService;
      bus: MessageBus;
      notices: NoticeService;
      media: MediaStore;
      /** Inspectors of stored text messages (see MessageInspector). */
      inspectors?: MessageInspector[];
    },
  ) {}

  async request(
    actor: Actor,
    body: RequestConsultationBody,
    meta: RequestMeta,
    followUpOf: string | null = null,
  ): Promise<ConsultationDetail> {
    const { db, keys, clock, policy } = this.deps;
    if (!(await policy.hasSensitiveConsent(actor.userId, 'consultation')))
      throw new AppError('CONSULTATION_CONSENT_REQUIRED');
    const doctor = await db
      .selectFrom('doctor_profiles')
      .innerJoin('users', 'users.id', 'doctor_profiles.user_id')
      .select(['doctor_profiles.user_id', 'doctor_profiles.practitioner_type'])
      .where('doctor_profiles.user_id', '=', body.doctorId)
      .where('users.status', '=', 'active')
      .executeTakeFirst();
    if (!doctor) throw new AppError('DOCTOR_NOT_FOUND');
    const counselling = doctor.practitioner_type === 'counsellor';
    // Internet diagnosis and treatment is for follow-ups; a first visit belongs in person (counselling excepted).
    if (!body.isFollowUp && !counselling) throw new AppError('FIRST_VISIT_IN_PERSON');
    const id = crypto.randomUUID();
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('consultations')
        .values({
          id,
          patient_id: actor.userId,
          doctor_id: doctor.user_id,
          status: 'requested',
          concern_enc: await keys.encrypt(trx, id, field('concern_enc', id), body.concern.trim()),
          follow_up_enc: await keys.encrypt(trx, id, field('follow_up_enc', id), body.isFollowUp ? '1' : '0'),
          counselling,
          created_at: now,
          follow_up_of: followUpOf,
        })
        .execute();
      await this.deps.notices.create(trx, doctor.user_id, 'consultation.requested', { consultationId: id });
      await appendAudit(
        trx,
        {
          action: 'consultation.requested',
          actorId: actor.userId,
          actorRole: 'patient',
          subjectId: id,
          requestId: meta.requestId,
          details: { doctorId: doctor.user_id, ...(followUpOf ? { followUpOf } : {}) },
        },
        now,
      );
    });
    await this.deps.bus.publish(userTopic(doctor.user_id), { type: 'status', consultationId: id, status: 'requested' });
    return this.detail(actor, id);
  }

  private async transition(
    actor: Actor,
    id: string,
    from: Row['status'][],
    to: Row['status'],
    meta: RequestMeta,
    reason?: string,
  ) {
    const { db, clock, keys } = this.deps;
    const row = await db.transaction().execute(async (trx) => {
      const row = await repo.lockForParticipant(trx, id, actor.userId);
      if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
      if (row.doctor_id !== actor.userId) throw new AppError('FORBIDDEN');
      if (!from.includes(row.status)) throw new AppError('CONSULTATION_STATE', { status: row.status });
      const now = clock.now();
      await trx
        .updateTable('consultations')
        .set({
          status: to,
          ...(to === 'active' ? { accepted_at: now } : {}),
          ...(to === 'ended' || to === 'declined' ? { ended_at: now } : {}),
          ...(to === 'ended' ? { ended_reason: 'doctor' as const } : {}),
          ...(reason
            ? { decline_reason_enc: await keys.encrypt(trx, id, field('decline_reason_enc', id), reason.trim()) }
            : {}),
        })
        .where('id', '=', id)
        .execute();
      const noticeKind = `consultation.${to === 'active' ? 'accepted' : to}` as 'consultation.accepted';
      await this.deps.notices.create(trx, row.patient_id, noticeKind, { consultationId: id });
      await appendAudit(
        trx,
        {
          action: `consultation.${to === 'active' ? 'accepted' : to}` as 'consultation.accepted',
          actorId: actor.userId,
          actorRole: 'doctor',
          subjectId: id,
          requestId: meta.requestId,
        },
        now,
      );
      return row;
    });
    await this.deps.bus.publish(userTopic(row.patient_id), { type: 'status', consultationId: id, status: to });
    return this.detail(actor, id);
  }

  accept(actor: Actor, id: string, meta: RequestMeta) {
    return this.transition(actor, id, ['requested'], 'active', meta);
  }
  decline(actor: Actor, id: string, reason: string, meta: RequestMeta) {
    return this.transition(actor, id, ['requested'], 'declined', meta, reason);
  }
  end(actor: Actor, id: string, meta: RequestMeta) {
    return this.transition(actor, id, ['active'], 'ended', meta);
  }

  /**
   * A follow-up: the patient continues an ended consultation with the same doctor. It is a new consultation
   * (its own request, acceptance and key) linked to the one it follows, and always counts as a follow-up visit.
   */
  async followUp(actor: Actor, id: string, concern: string, meta: RequestMeta): Promise<ConsultationDetail> {
    const previous = await repo.findForParticipant(this.deps.db, id, actor.userId);
    if (!previous || previous.patient_id !== actor.userId) throw new AppError('CONSULTATION_NOT_FOUND');
    if (previous.status !== 'ended') throw new AppError('CONSULTATION_STATE', { status: previous.status });
    return this.request(actor, { doctorId: previous.doctor_id, concern, isFollowUp: true }, meta, id);
  }

  /**
   * Ends every active consultation without a message for `idleHours` (run by a recurring job, so it happens
   * after restarts too). Each is re-checked under its row lock: a message that arrives meanwhile keeps it open.
   */
  async endIdle(idleHours: number): Promise<number> {
    const { db, clock } = this.deps;
    const cutoff = new Date(clock.now().getTime() - idleHours * 3600_000);
    const idle = await db
      .selectFrom('consultations')
      .select('id')
      .where('status', '=', 'active')
      .where((eb) => eb(eb.fn.coalesce('last_message_at', 'accepted_at'), '<', cutoff))
      .limit(500)
      .execute();
    let ended = 0;
    for (const { id } of idle) {
      const row = await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('consultations')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        const last = row ? (row.last_message_at ?? row.accepted_at) : null;
        if (!row || row.status !== 'active' || !last || new Date(last) >= cutoff) return null;
        const now = clock.now();
        await trx
          .updateTable('consultations')
          .set({ status: 'ended', ended_at: now, ended_reason: 'idle' })
          .where('id', '=', id)
          .execute();
        for (const userId of [row.patient_id, row.doctor_id])
          await this.deps.notices.create(trx, userId, 'consultation.ended_idle', { consultationId: id });
        await appendAudit(
          trx,
          {
            action: 'consultation.ended',
            actorId: null,
            actorRole: 'system',
            subjectId: id,
            requestId: null,
            details: { reason: 'idle', idleHours },
          },
          now,
        );
        return row;
      });
      if (!row) continue;
      ended++;
      for (const userId of [row.patient_id, row.doctor_id])
        await this.deps.bus.publish(userTopic(userId), { type: 'status', consultationId: id, status: 'ended' });
    }
    return ended;
  }

  private async summary(
    db: Queryable,
    row: Row & {
      doctor_name: string;
      practitioner_type: ConsultationSummary['doctor']['practitionerType'];
      last_read_seq: number | null;
      patient_name_enc: Buffer | null;
    },
    userId: string,
  ): Promise<ConsultationSummary> {
    // The doctor sees the name the patient chose to be called (if any); the patient sees the doctor's profile.
    const patientName =
      userId === row.doctor_id && row.patient_name_enc
        ? await this.deps.keys
            .decryptText(
              db,
              row.patient_id,
              { table: 'users', column: 'display_name_enc', rowId: row.patient_id },
              row.patient_name_enc,
            )
            .catch((err: unknown) => {
              // The patient's account was erased: the record stays (its own retention), the name does not.
              if (err instanceof AppError && err.code === 'DATA_ERASED') return null;
              throw err;
            })
        : null;
    return {
      id: row.id,
      status: row.status,
      doctor: { id: row.doctor_id, name: row.doctor_name, practitionerType: row.practitioner_type },
      counselling: row.counselling,
      isFollowUp:
        (await this.deps.keys.decryptText(db, row.id, field('follow_up_enc', row.id), row.follow_up_enc)) === '1',
      createdAt: new Date(row.created_at).toISOString(),
      acceptedAt: row.accepted_at ? new Date(row.accepted_at).toISOString() : null,
      endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
      lastSeq: row.last_seq,
      unread:
        row.last_seq > (row.last_read_seq ?? 0)
          ? await repo.unreadCount(db, row.id, userId, row.last_read_seq ?? 0)
          : 0,
      lastMessageAt: row.last_message_at ? new Date(row.last_message_at).toISOString() : null,
      patient: { id: row.patient_id, name: patientName },
      endedReason: row.ended_reason,
      followUpOf: row.follow_up_of,
    };
  }

  async list(actor: Actor): Promise<ConsultationSummary[]> {
    const rows = await repo.listForUser(this.deps.db, actor.userId, actor.app === 'doctor' ? 'doctor' : 'patient');
    // A consultation whose key was destroyed (erased at the end of its retention) is gone from the lists.
    const summaries = await Promise.all(
      rows.map((r) =>
        this.summary(this.deps.db, r, actor.userId).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'DATA_ERASED') return null;
          throw err;
        }),
      ),
    );
    return summaries.filter((x): x is ConsultationSummary => x !== null);
  }

  async detail(actor: Actor, id: string): Promise<ConsultationDetail> {
    const { db, keys } = this.deps;
    const row = await repo.findForParticipant(db, id, actor.userId);
    if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
    const profile = await db
      .selectFrom('doctor_profiles')
      .select(['name', 'practitioner_type'])
      .where('user_id', '=', row.doctor_id)
      .executeTakeFirst();
    const lastRead = await repo.readSeqOf(db, id, actor.userId);
    const patientRow = await db
      .selectFrom('users')
      .select('display_name_enc')
      .where('id', '=', row.patient_id)
      .executeTakeFirst();
    const other = actor.userId === row.doctor_id ? row.patient_id : row.doctor_id;
    return {
      ...(await this.summary(
        db,
        {
          ...row,
          doctor_name: profile?.name ?? '',
          practitioner_type: profile?.practitioner_type ?? 'psychiatrist',
          last_read_seq: lastRead,
          patient_name_enc: patientRow?.display_name_enc ?? null,
        },
        actor.userId,
      )),
      concern: await keys.decryptText(db, id, field('concern_enc', id), row.concern_enc),
      declineReason: row.decline_reason_enc
        ? await keys.decryptText(db, id, field('decline_reason_enc', id), row.decline_reason_enc)
        : null,
      otherReadSeq: await repo.readSeqOf(db, id, other),
    };
  }

  async send(actor: Actor, id: string, body: SendMessageBody, meta: RequestMeta): Promise<MessageAck> {
    return this.store(actor, id, { clientId: body.clientId, kind: 'text', text: body.text, files: [] }, meta);
  }

  /**
   * Image and voice-note messages. The file is checked and processed first (a resend of an acknowledged message
   * is answered before any processing), sealed with the consultation's key and written to the blob store; the
   * message and its file rows are then stored in one transaction. If that transaction fails, the files go again.
   */
  async sendMedia(
    actor: Actor,
    id: string,
    query: MediaMessageQuery,
    bytes: Buffer,
    meta: RequestMeta,
  ): Promise<MessageAck> {
    const { db } = this.deps;
    const row = await repo.findForParticipant(db, id, actor.userId);
    if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
    const existing = await repo.findMessageByClientId(db, id, query.clientId);
    if (existing)
      return this.store(actor, id, { clientId: query.clientId, kind: query.kind, text: '', files: [] }, meta);
    if (row.status !== 'active') throw new AppError('CONSULTATION_NOT_ACTIVE');
    const prepared = query.kind === 'image' ? await prepareImage(bytes) : prepareVoiceNote(bytes, query.durationMs);
    const files = await this.deps.media.write(db, id, prepared);
    try {
      const ack = await this.store(actor, id, { clientId: query.clientId, kind: query.kind, text: '', files }, meta);
      // A concurrent resend won the race: its files are the ones kept.
      if (ack.duplicate) await this.deps.media.discard(files.map((f) => f.id));
      return ack;
    } catch (err) {
      await this.deps.media.discard(files.map((f) => f.id));
      throw err;
    }
  }

  private async store(
    actor: Actor,
    id: string,
    msg: { clientId: string; kind: MessageKind; text: string; files: StoredFile[] },
    meta: RequestMeta,
  ): Promise<MessageAck> {
    const { db, keys, clock } = this.deps;
    const result = await db.transaction().execute(async (trx) => {
      const row = await repo.lockForParticipant(trx, id, actor.userId);
      if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
      // Idempotency first: a resend of an acknowledged message answers with the original, whatever the state now.
      const existing = await repo.findMessageByClientId(trx, id, msg.clientId);
      if (existing) {
        if (existing.sender_id !== actor.userId) throw new AppError('CONSULTATION_NOT_FOUND');
        return {
          seq: existing.seq,
          createdAt: new Date(existing.created_at),
          duplicate: true,
          recipient: null,
          events: [],
        };
      }
      if (row.status !== 'active') throw new AppError('CONSULTATION_NOT_ACTIVE');
      const seq = row.last_seq + 1;
      const now = clock.now();
      await trx
        .insertInto('messages')
        .values({
          consultation_id: id,
          seq,
          client_id: msg.clientId,
          sender_id: actor.userId,
          kind: msg.kind,
          body_enc: await keys.encrypt(trx, id, messageField(id, seq), msg.text),
          created_at: now,
        })
        .execute();
      if (msg.files.length > 0)
        await trx
          .insertInto('consultation_media')
          .values(
            msg.files.map((f) => ({
              id: f.id,
              consultation_id: id,
              seq,
              variant: f.variant,
              content_type: f.contentType,
              byte_size: f.byteSize,
              width: f.width,
              height: f.height,
              duration_ms: f.durationMs,
              sha256: f.sha256,
              created_at: now,
            })),
          )
          .execute();
      await trx
        .updateTable('consultations')
        .set({ last_seq: seq, last_message_at: now })
        .where('id', '=', id)
        .execute();
      void meta;
      const recipient = actor.userId === row.doctor_id ? row.patient_id : row.doctor_id;
      await this.deps.notices.createUnlessUnread(trx, recipient, 'consultation.message', { consultationId: id });
      const events: { topic: string; event: BusEvent }[] = [];
      if (msg.kind === 'text')
        for (const inspect of this.deps.inspectors ?? [])
          events.push(
            ...(await inspect(trx, {
              consultationId: id,
              seq,
              senderId: actor.userId,
              senderRole: actor.userId === row.doctor_id ? 'doctor' : 'patient',
              patientId: row.patient_id,
              doctorId: row.doctor_id,
              text: msg.text,
              at: now,
            })),
          );
      return { seq, createdAt: now, duplicate: false, recipient, events };
    });
    // Published after commit: a receiver is told only about messages that exist.
    if (result.recipient)
      await this.deps.bus.publish(userTopic(result.recipient), {
        type: 'message',
        consultationId: id,
        seq: result.seq,
      });
    for (const { topic, event } of result.events) await this.deps.bus.publish(topic, event);
    return {
      seq: result.seq,
      clientId: msg.clientId,
      createdAt: result.createdAt.toISOString(),
      duplicate: result.duplicate,
    };
  }

  /** Catch-up after a reconnect: everything after the last sequence number the client has, in order. */
  async messages(actor: Actor, id: string, after: number, limit: number): Promise<MessagePage> {
    const { db, keys } = this.deps;
    const row = await repo.findForParticipant(db, id, actor.userId);
    if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
    const rows = await repo.messagesAfter(db, id, after, limit);
    const mediaSeqs = rows.filter((m) => m.kind !== 'text').map((m) => m.seq);
    const media = new Map(
      (mediaSeqs.length ? await repo.mediaOf(db, id, mediaSeqs) : []).map((f) => [f.seq, f] as const),
    );
    return {
      messages: await Promise.all(
        rows.map(async (m) => {
          const file = media.get(m.seq);
          return {
            seq: m.seq,
            clientId: m.client_id,
            senderId: m.sender_id,
            kind: m.kind,
            text: await keys.decryptText(db, id, messageField(id, m.seq), m.body_enc),
            media: file
              ? {
                  contentType: file.content_type,
                  byteSize: file.byte_size,
                  width: file.width,
                  height: file.height,
                  durationMs: file.duration_ms,
                }
              : null,
            createdAt: new Date(m.created_at).toISOString(),
          };
        }),
      ),
      lastSeq: row.last_seq,
    };
  }

  /** The decrypted file of an image (full or thumbnail) or voice-note message, for the two participants only. */
  async mediaFile(
    actor: Actor,
    id: string,
    seq: number,
    variant: MediaVariant,
  ): Promise<{ bytes: Buffer; contentType: string }> {
    const { db } = this.deps;
    const row = await repo.findForParticipant(db, id, actor.userId);
    if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
    const file = await db
      .selectFrom('consultation_media')
      .select(['id', 'content_type'])
      .where('consultation_id', '=', id)
      .where('seq', '=', seq)
      .where('variant', '=', variant)
      .executeTakeFirst();
    if (!file) throw new AppError('MEDIA_NOT_FOUND');
    return { bytes: await this.deps.media.read(db, id, file.id), contentType: file.content_type };
  }

  /** Read receipts: the read position only ever moves forward, and never past the last message. */
  async markRead(actor: Actor, id: string, seq: number): Promise<void> {
    const { db, clock } = this.deps;
    const row = await repo.findForParticipant(db, id, actor.userId);
    if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
    const upTo = Math.min(seq, row.last_seq);
    await db
      .insertInto('consultation_reads')
      .values({ consultation_id: id, user_id: actor.userId, last_read_seq: upTo, updated_at: clock.now() })
      .onConflict((oc) =>
        oc.columns(['consultation_id', 'user_id']).doUpdateSet({
          last_read_seq: (eb) => eb.fn('greatest', [eb.ref('consultation_reads.last_read_seq'), eb.val(upTo)]),
          updated_at: clock.now(),
        }),
      )
      .execute();
    const other = actor.userId === row.doctor_id ? row.patient_id : row.doctor_id;
    await this.deps.bus.publish(userTopic(other), {
      type: 'read',
      consultationId: id,
      seq: upTo,
      userId: actor.userId,
    });
  }
}

import crypto from 'node:crypto';
import type {
  ConsultationDetail,
  ConsultationSummary,
  CrisisSeverity,
  EndCrisisResolution,
  MediaMessageQuery,
  MediaVariant,
  Message,
  MessageAck,
  MessageKind,
  MessagePage,
  RequestConsultationBody,
  SendMessageBody,
} from '@anxin/contracts';
import { caseCode, mayConsultOnline, summarizeConcern } from '@anxin/domain';
import type { Selectable } from 'kysely';
import type { Db, Queryable, Tx } from '../../db/database.js';
import type { ConsultationsTable } from '../../db/schema.js';
import type { KeyStore, WrappedKey } from '../../crypto/key-store.js';
import { appendAudit } from '../../privacy/audit/audit.js';
import type { PolicyService, RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { BusEvent, MessageBus } from '../../realtime/bus.js';
import type { NoticeService } from '../notices/notices.service.js';
import type { Actor } from '../identity/identity.service.js';
import * as repo from './consultations.repo.js';
import type { MediaStore } from './media.store.js';

type StoredFile = Awaited<ReturnType<MediaStore['write']>>[number];

type Row = Selectable<ConsultationsTable>;

/** The patient's shared fields as read with a consultation (ciphertext under the patient's key). */
interface PatientShared {
  patient_name_enc: Buffer | null;
  patient_age_band_enc: Buffer | null;
  patient_sex_enc: Buffer | null;
}

/**
 * The patient's case code for this doctor: the same on every screen and every consultation with this doctor,
 * different with another doctor, and derived only from the two random ids (nothing about the person).
 */
const caseCodeOf = (doctorId: string, patientId: string) =>
  caseCode(crypto.createHash('sha256').update(`anxin:case-code:v1:${doctorId}:${patientId}`).digest());

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
 * What ending a consultation asks of the crisis feature (CON-4), inside the ending transaction (services.ts passes
 * the crisis service's two functions): the open escalation its doctor has not acknowledged, and recording the
 * doctor's second step (acknowledged, or handed over to support with a note), audited in that transaction.
 */
export interface CrisisEndGate {
  openUnacknowledgedEscalation(
    trx: Tx,
    consultationId: string,
  ): Promise<{ id: string; severity: CrisisSeverity; lastSeq: number } | null>;
  resolveOnEnd(
    trx: Tx,
    actor: Actor,
    consultationId: string,
    resolution: EndCrisisResolution,
    meta: RequestMeta,
    now: Date,
  ): Promise<void>;
}

/** A message waiting for the next write its consultation can join (see `store`). */
interface PendingMessage {
  id: string;
  actor: Actor;
  msg: { clientId: string; kind: MessageKind; text: string; files: StoredFile[] };
  resolve: (ack: MessageAck) => void;
  reject: (err: unknown) => void;
}

/** What one message of a batch comes to: its acknowledgement and the events to publish after commit, or an error. */
type Outcome = { ack: MessageAck; events: { topic: string; event: BusEvent }[] } | { error: unknown };

/**
 * Writes in flight at once. A message waits only while its own consultation is being written (one write at a time
 * per consultation, so its numbering follows the last commit) or while all writers are busy; every write takes all
 * that waits for consultations not being written. So a quiet server writes each message at once, and a busy one
 * in ever larger batches (one statement and one commit for the lot). Measured with npm run bench:im.
 */
const WRITERS = 3;
/** At most this many messages share one transaction. */
const MAX_BATCH = 128;
/** How many just-stored text messages are kept for live delivery, and for how long (ms). */
const JUST_STORED_MAX = 10_000;
const JUST_STORED_MS = 5_000;

/**
 * What this process knows about a consultation after its last commit of messages here: participants (they never
 * change), last_seq and the current key. Only a hint: the append statement checks last_seq and the key version,
 * and anything else goes the slow way (lock, look, append).
 */
interface WriteHint {
  patientId: string;
  doctorId: string;
  lastSeq: number;
  key: WrappedKey;
}

/** Where a consultation's messages of one batch are numbered from. */
type AppendBase = Omit<WriteHint, 'key'> & { key: WrappedKey | null };

/** How many consultations' hints are kept (a few hundred bytes each). */
const MAX_HINTS = 10_000;

const otherParticipant = (c: { patientId: string; doctorId: string }, userId: string) =>
  userId === c.doctorId ? c.patientId : c.doctorId;

const isParticipant = (c: { patientId: string; doctorId: string }, userId: string) =>
  userId === c.patientId || userId === c.doctorId;

const notFound = (): Outcome => ({ error: new AppError('CONSULTATION_NOT_FOUND') });

/**
 * A batch's messages per consultation, in arrival order. A client id twice in one batch (a quick resend) is a
 * repeat, answered like a resend: with the first one's result.
 */
function splitByConsultation(batch: PendingMessage[]) {
  const split = new Map<string, { fresh: number[]; repeats: Array<[number, number]> }>();
  for (const [i, { id, msg }] of batch.entries()) {
    const s = split.get(id) ?? { fresh: [], repeats: [] };
    split.set(id, s);
    const first = s.fresh.find((f) => batch[f]!.msg.clientId === msg.clientId);
    if (first !== undefined) s.repeats.push([i, first]);
    else s.fresh.push(i);
  }
  return split;
}

function repeatOf(batch: PendingMessage[], i: number, first: number, original: Outcome): Outcome {
  if (batch[i]!.actor.userId !== batch[first]!.actor.userId) return notFound();
  return 'error' in original ? original : { ack: { ...original.ack, duplicate: true }, events: [] };
}

function inspected(
  consultationId: string,
  c: { patientId: string; doctorId: string },
  senderId: string,
  seq: number,
  text: string,
  at: Date,
): InspectedMessage {
  return {
    consultationId,
    seq,
    senderId,
    senderRole: senderId === c.doctorId ? 'doctor' : 'patient',
    patientId: c.patientId,
    doctorId: c.doctorId,
    text,
    at,
  };
}

/**
 * Consultations and messaging (CON-1). A message is acknowledged only after its insert committed; the sequence
 * number is assigned under a row lock on the consultation inside that transaction, so numbers are gap-free and
 * in commit order; a client id makes resending safe (the same message comes back, never a second copy).
 */
export class ConsultationService {
  /** Messages waiting to be written, in arrival order; the consultations being written; writes in flight. */
  private waiting: PendingMessage[] = [];
  private readonly writing = new Set<string>();
  private writes = 0;
  /** See WriteHint. */
  private readonly hints = new Map<string, WriteHint>();
  /**
   * Text messages this process has just stored, for their live delivery to the recipient it announced them to:
   * saves the read-back round trip. Keyed by recipient topic, consultation and seq, so only the socket the bus
   * event was meant for can use an entry. In memory only (never on the bus), a few seconds, a bounded number.
   */
  private readonly justStored = new Map<string, { message: Message; at: number }>();

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
      /** Ending a consultation with an unacknowledged crisis alert needs the doctor's second step. */
      crisis: CrisisEndGate;
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
    const doctor = await repo.findActiveDoctor(db, body.doctorId);
    if (!doctor) throw new AppError('DOCTOR_NOT_FOUND');
    const counselling = doctor.practitioner_type === 'counsellor';
    // Internet diagnosis and treatment is for follow-ups; a first visit belongs in person (counselling excepted).
    // The apps show the same rule (from @anxin/domain) before anything is typed.
    if (!mayConsultOnline(doctor.practitioner_type, body.isFollowUp)) throw new AppError('FIRST_VISIT_IN_PERSON');
    const id = crypto.randomUUID();
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await repo.insertConsultation(trx, {
        id,
        patient_id: actor.userId,
        doctor_id: doctor.user_id,
        status: 'requested',
        concern_enc: await keys.encrypt(trx, id, field('concern_enc', id), body.concern.trim()),
        follow_up_enc: await keys.encrypt(trx, id, field('follow_up_enc', id), body.isFollowUp ? '1' : '0'),
        counselling,
        created_at: now,
        follow_up_of: followUpOf,
      });
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
    /** Runs under the consultation's row lock, before the change (a refusal rolls everything back). */
    guard?: (trx: Tx, now: Date) => Promise<void>,
  ) {
    const { db, clock, keys } = this.deps;
    const row = await db.transaction().execute(async (trx) => {
      const row = await repo.lockForParticipant(trx, id, actor.userId);
      if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
      if (row.doctor_id !== actor.userId) throw new AppError('FORBIDDEN');
      if (!from.includes(row.status)) throw new AppError('CONSULTATION_STATE', { status: row.status });
      const now = clock.now();
      await guard?.(trx, now);
      await repo.updateConsultation(trx, id, {
        status: to,
        ...(to === 'active' ? { accepted_at: now } : {}),
        ...(to === 'ended' || to === 'declined' ? { ended_at: now } : {}),
        ...(to === 'ended' ? { ended_reason: 'doctor' as const } : {}),
        ...(reason
          ? { decline_reason_enc: await keys.encrypt(trx, id, field('decline_reason_enc', id), reason.trim()) }
          : {}),
      });
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
  /**
   * CON-4: an open crisis alert the doctor has not acknowledged blocks the end until the request carries the
   * doctor's second step for that very alert, as last shown to them (a newer signal asks again).
   */
  end(actor: Actor, id: string, meta: RequestMeta, resolution?: EndCrisisResolution) {
    return this.transition(actor, id, ['active'], 'ended', meta, undefined, async (trx, now) => {
      const open = await this.deps.crisis.openUnacknowledgedEscalation(trx, id);
      if (!open) return;
      if (!resolution) throw new AppError('CONSULTATION_CRISIS_UNACKNOWLEDGED');
      if (resolution.escalationId !== open.id || resolution.lastSeq < open.lastSeq)
        throw new AppError('CONSULTATION_CRISIS_CHANGED');
      await this.deps.crisis.resolveOnEnd(trx, actor, id, resolution, meta, now);
    });
  }

  /**
   * A follow-up: the patient continues an ended consultation with the same doctor. It is a new consultation
   * (its own request, acceptance and key) linked to the one it follows, and always counts as a follow-up visit.
   */
  async followUp(actor: Actor, id: string, concern: string, meta: RequestMeta): Promise<ConsultationDetail> {
    const previous = await repo.findForParticipant(this.deps.db, id, actor.userId);
    if (!previous || previous.patient_id !== actor.userId) throw new AppError('CONSULTATION_NOT_FOUND');
    if (previous.status !== 'ended') throw new AppError('CONSULTATION_STATE', { status: previous.status });
    // One follow-up at a time: while one is waiting or under way, another would only repeat it to the doctor.
    const open = await repo.openFollowUpOf(this.deps.db, id);
    if (open) throw new AppError('FOLLOW_UP_PENDING', { consultationId: open.id });
    return this.request(actor, { doctorId: previous.doctor_id, concern, isFollowUp: true }, meta, id);
  }

  /**
   * Ends every active consultation without a message for `idleHours` (run by a recurring job, so it happens
   * after restarts too). Each is re-checked under its row lock: a message that arrives meanwhile keeps it open.
   */
  async endIdle(idleHours: number): Promise<number> {
    const { db, clock } = this.deps;
    const cutoff = new Date(clock.now().getTime() - idleHours * 3600_000);
    // A consultation whose patient showed signs of risk stays open until the doctor has seen the alert (CON-4).
    const idle = await repo.idleSince(db, cutoff, 500);
    let ended = 0;
    for (const { id } of idle) {
      const row = await db.transaction().execute(async (trx) => {
        const row = await repo.lockById(trx, id);
        const last = row ? (row.last_message_at ?? row.accepted_at) : null;
        if (!row || row.status !== 'active' || !last || new Date(last) >= cutoff) return null;
        if (await repo.hasOpenCrisisAlert(trx, id)) return null;
        const now = clock.now();
        await repo.updateConsultation(trx, id, { status: 'ended', ended_at: now, ended_reason: 'idle' });
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
    } & PatientShared,
    userId: string,
  ): Promise<ConsultationSummary> {
    // The doctor sees what the patient chose to share: the name they chose to be called, an age band and sex (each
    // only if set); the patient sees the doctor's profile.
    const shared = async (column: 'display_name_enc' | 'age_band_enc' | 'sex_enc', blob: Buffer | null) =>
      userId === row.doctor_id && blob
        ? this.deps.keys
            .decryptText(db, row.patient_id, { table: 'users', column, rowId: row.patient_id }, blob)
            .catch((err: unknown) => {
              // The patient's account was erased: the record stays (its own retention), what they shared does not.
              if (err instanceof AppError && err.code === 'DATA_ERASED') return null;
              throw err;
            })
        : null;
    const concern = await this.deps.keys.decryptText(db, row.id, field('concern_enc', row.id), row.concern_enc);
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
      patient: {
        id: row.patient_id,
        name: await shared('display_name_enc', row.patient_name_enc),
        code: caseCodeOf(row.doctor_id, row.patient_id),
        ageBand: (await shared('age_band_enc', row.patient_age_band_enc)) as ConsultationSummary['patient']['ageBand'],
        sex: (await shared('sex_enc', row.patient_sex_enc)) as ConsultationSummary['patient']['sex'],
      },
      concernSummary: summarizeConcern(concern),
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
    const profile = await repo.doctorProfile(db, row.doctor_id);
    const lastRead = await repo.readSeqOf(db, id, actor.userId);
    const patient = await repo.patientOfParticipant(db, id, actor.userId);
    const other = actor.userId === row.doctor_id ? row.patient_id : row.doctor_id;
    return {
      ...(await this.summary(
        db,
        {
          ...row,
          doctor_name: profile?.name ?? '',
          practitioner_type: profile?.practitioner_type ?? 'psychiatrist',
          last_read_seq: lastRead,
          patient_name_enc: patient?.patient_name_enc ?? null,
          patient_age_band_enc: patient?.patient_age_band_enc ?? null,
          patient_sex_enc: patient?.patient_sex_enc ?? null,
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
    await this.deps.media.checkQuota(db, id, bytes.length);
    const prepared = await this.deps.media.prepare(query.kind, bytes, query.durationMs);
    const files = await this.deps.media.write(db, id, prepared, this.deps.clock.now());
    try {
      const ack = await this.store(actor, id, { clientId: query.clientId, kind: query.kind, text: '', files }, meta);
      // A concurrent resend won the race: its files are the ones kept.
      if (ack.duplicate)
        await this.deps.media.discard(
          files.map((f) => f.id),
          db,
        );
      return ack;
    } catch (err) {
      await this.deps.media.discard(
        files.map((f) => f.id),
        db,
      );
      throw err;
    }
  }

  /**
   * Group commit: up to WRITERS writes run at once, each taking whatever waits for consultations not being written,
   * whichever they are: one append statement (alone when nothing else must be written with it, see appendAlone;
   * else in one transaction with the notices and the inspectors' records) and one commit (one WAL flush) for the
   * lot. Each message is still acknowledged only after its own commit, and numbered under its consultation's row
   * lock; a consultation is in one write at a time, so its messages are numbered in arrival order.
   */
  private store(
    actor: Actor,
    id: string,
    msg: { clientId: string; kind: MessageKind; text: string; files: StoredFile[] },
    meta: RequestMeta,
  ): Promise<MessageAck> {
    void meta;
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, actor, msg, resolve, reject });
      this.startWrites();
    });
  }

  private startWrites(): void {
    while (this.writes < WRITERS && this.waiting.length > 0) {
      const batch: PendingMessage[] = [];
      const rest: PendingMessage[] = [];
      const ids = new Set<string>();
      for (const item of this.waiting) {
        if (batch.length < MAX_BATCH && !this.writing.has(item.id)) {
          batch.push(item);
          ids.add(item.id);
        } else rest.push(item);
      }
      if (batch.length === 0) return;
      this.waiting = rest;
      for (const id of ids) this.writing.add(id);
      this.writes++;
      void this.writeBatch(batch).finally(() => {
        this.writes--;
        for (const id of ids) this.writing.delete(id);
        this.startWrites();
      });
    }
  }

  /** Writes a batch and answers each of its messages; never throws. */
  private async writeBatch(batch: PendingMessage[]): Promise<void> {
    let alone: { outcomes: Map<number, Outcome>; next: Map<string, WriteHint> } = {
      outcomes: new Map(),
      next: new Map(),
    };
    try {
      alone = await this.appendAlone(batch);
    } catch {
      // Nothing is taken as written: the transaction below looks, and answers resends as such.
    }
    for (const [id, hint] of alone.next) this.hints.set(id, hint);
    await this.answer(
      batch.filter((_, i) => alone.outcomes.has(i)),
      [...alone.outcomes.keys()].sort((a, b) => a - b).map((i) => alone.outcomes.get(i)!),
    );
    const rest = batch.filter((_, i) => !alone.outcomes.has(i));
    if (rest.length > 0) await this.writeTransaction(rest);
  }

  /** Publishes (after commit) and answers each message. */
  private async answer(batch: PendingMessage[], outcomes: Outcome[]): Promise<void> {
    for (const [i, outcome] of outcomes.entries()) {
      const item = batch[i]!;
      if ('error' in outcome) {
        item.reject(outcome.error);
        continue;
      }
      if (!outcome.ack.duplicate && item.msg.kind === 'text') this.remember(item, outcome);
      try {
        // Published after commit: a receiver is told only about messages that exist. The message is stored
        // whatever happens to the announcement (receivers catch up with sync), so a failed publish never turns
        // into a failed send (which would make an upload discard the files of a committed message).
        for (const { topic, event } of outcome.events) await this.deps.bus.publish(topic, event).catch(() => undefined);
        item.resolve(outcome.ack);
      } catch (err) {
        item.reject(err);
      }
    }
  }

  /**
   * The quickest way: one statement that commits on its own, no transaction around it. Only for consultations this
   * process knows (WriteHint), text messages whose inspectors need nothing written, and recipients who already
   * have an unread new-message notice (the statement checks that, with last_seq and the key). Inspectors are run
   * first on a stand-in for the transaction that records any use: an inspector that touches it (to record a
   * signal) sends its consultation's messages the transactional way, where the inspectors run again inside the
   * transaction. Whatever is not written here goes that way too.
   */
  private async appendAlone(
    batch: PendingMessage[],
  ): Promise<{ outcomes: Map<number, Outcome>; next: Map<string, WriteHint> }> {
    const now = this.deps.clock.now();
    const outcomes = new Map<number, Outcome>();
    const next = new Map<string, WriteHint>();
    const candidates: Array<{
      id: string;
      hint: WriteHint;
      fresh: number[];
      repeats: Array<[number, number]>;
      events: Array<{ topic: string; event: BusEvent }[]>;
    }> = [];
    for (const [id, { fresh, repeats }] of splitByConsultation(batch)) {
      const hint = this.hints.get(id);
      if (
        !hint ||
        !fresh.every(
          (i) =>
            isParticipant(hint, batch[i]!.actor.userId) &&
            batch[i]!.msg.kind === 'text' &&
            batch[i]!.msg.files.length === 0,
        )
      )
        continue;
      let touched = false;
      const standIn = new Proxy(
        {},
        {
          get: (_target, prop) => {
            if (prop === 'then') return undefined;
            touched = true;
            throw new Error('this inspector needs the transaction');
          },
        },
      ) as Queryable;
      const events: Array<{ topic: string; event: BusEvent }[]> = [];
      for (const [k, i] of fresh.entries()) {
        const { actor, msg } = batch[i]!;
        const seq = hint.lastSeq + k + 1;
        const mine: { topic: string; event: BusEvent }[] = [
          {
            topic: userTopic(otherParticipant(hint, actor.userId)),
            event: { type: 'message', consultationId: id, seq },
          },
        ];
        for (const inspect of this.deps.inspectors ?? []) {
          try {
            mine.push(...(await inspect(standIn, inspected(id, hint, actor.userId, seq, msg.text, now))));
          } catch {
            touched = true;
          }
          if (touched) break;
        }
        if (touched) break;
        events.push(mine);
      }
      if (!touched) candidates.push({ id, hint, fresh, repeats, events });
    }
    if (candidates.length === 0) return { outcomes, next };
    const results = await repo.appendMessages(
      this.deps.db,
      candidates.map((c) => this.appendGroup(batch, c.id, c.hint, c.fresh)),
      now,
      { onlyIfNoticesUnread: true },
    );
    for (const c of candidates) {
      if (!results.get(c.id)!.appended) continue;
      for (const [k, i] of c.fresh.entries())
        outcomes.set(i, {
          ack: {
            seq: c.hint.lastSeq + k + 1,
            clientId: batch[i]!.msg.clientId,
            createdAt: now.toISOString(),
            duplicate: false,
          },
          events: c.events[k]!,
        });
      for (const [i, first] of c.repeats) outcomes.set(i, repeatOf(batch, i, first, outcomes.get(first)!));
      next.set(c.id, { ...c.hint, lastSeq: c.hint.lastSeq + c.fresh.length });
    }
    return { outcomes, next };
  }

  /** A consultation's messages numbered from `base` and sealed with its key (no query). */
  private appendGroup(batch: PendingMessage[], id: string, base: WriteHint, indexes: number[]): repo.AppendGroup {
    return {
      consultationId: id,
      expectedLastSeq: base.lastSeq,
      keyVersion: base.key.version,
      rows: indexes.map((i, k) => {
        const { actor, msg } = batch[i]!;
        const seq = base.lastSeq + k + 1;
        return {
          seq,
          clientId: msg.clientId,
          senderId: actor.userId,
          kind: msg.kind,
          bodyEnc: this.deps.keys.encryptWith(id, base.key, messageField(id, seq), msg.text),
        };
      }),
      recipients: [...new Set(indexes.map((i) => otherParticipant(base, batch[i]!.actor.userId)))],
    };
  }

  /** The transactional way; answers each message; never throws. */
  private async writeTransaction(batch: PendingMessage[]): Promise<void> {
    let written: { outcomes: Outcome[]; next: Map<string, WriteHint | null> };
    try {
      written = await this.deps.db.transaction().execute((trx) => this.writeInTransaction(trx, batch));
    } catch (err) {
      for (const { id } of batch) this.hints.delete(id);
      // The transaction failed as a whole (the database, an inspector): consultation by consultation, then one by
      // one, so that only the message that fails is refused.
      const ids = new Set(batch.map((m) => m.id));
      if (ids.size > 1) for (const id of ids) await this.writeTransaction(batch.filter((m) => m.id === id));
      else if (batch.length > 1) for (const item of batch) await this.writeTransaction([item]);
      else batch[0]!.reject(err);
      return;
    }
    // Committed: the next batches may start from here.
    for (const [id, hint] of written.next) {
      if (hint) this.hints.set(id, hint);
      else this.hints.delete(id);
    }
    while (this.hints.size > MAX_HINTS) this.hints.delete(this.hints.keys().next().value!);
    await this.answer(batch, written.outcomes);
  }

  private async writeInTransaction(
    trx: Tx,
    batch: PendingMessage[],
  ): Promise<{ outcomes: Outcome[]; next: Map<string, WriteHint | null> }> {
    const { keys, clock } = this.deps;
    const now = clock.now();
    const outcomes: Array<Outcome | undefined> = batch.map(() => undefined);
    const plans = new Map(
      [...splitByConsultation(batch)].map(([id, split]) => [
        id,
        { ...split, base: null as AppendBase | null, unreadNoticeFor: [] as string[] },
      ]),
    );

    // Numbered from last_seq; the sequence number is part of each ciphertext's associated data.
    const group = async (id: string, base: AppendBase, indexes: number[]): Promise<repo.AppendGroup> => {
      if (base.key) return this.appendGroup(batch, id, { ...base, key: base.key }, indexes);
      // No key yet (never the case for a requested consultation): created in this transaction.
      const rows = [];
      for (const [k, i] of indexes.entries()) {
        const { actor, msg } = batch[i]!;
        const seq = base.lastSeq + k + 1;
        const bodyEnc = await keys.encrypt(trx, id, messageField(id, seq), msg.text);
        rows.push({ seq, clientId: msg.clientId, senderId: actor.userId, kind: msg.kind, bodyEnc });
      }
      return {
        consultationId: id,
        expectedLastSeq: base.lastSeq,
        keyVersion: null,
        rows,
        recipients: [...new Set(indexes.map((i) => otherParticipant(base, batch[i]!.actor.userId)))],
      };
    };

    // Fast path: what this process knows from its last commit for a consultation (participants, last_seq, key)
    // lets the append go first, for all such consultations in one statement, without taking the locks separately;
    // the statement itself checks that what we knew still holds.
    const fast = [...plans].filter(([id, plan]) => {
      const hint = this.hints.get(id);
      return hint && plan.fresh.every((i) => isParticipant(hint, batch[i]!.actor.userId));
    });
    if (fast.length > 0) {
      const results = await repo.appendMessages(
        trx,
        await Promise.all(fast.map(([id, plan]) => group(id, this.hints.get(id)!, plan.fresh))),
        now,
      );
      for (const [id, plan] of fast) {
        const result = results.get(id)!;
        if (result.appended) [plan.base, plan.unreadNoticeFor] = [this.hints.get(id)!, result.unreadNoticeFor];
      }
    }

    // The slow way, one consultation at a time: the lock, and a look — who takes part, in what state, which
    // messages are stored already.
    for (const [id, plan] of plans) {
      if (plan.base) continue;
      const row = await repo.lockForWrite(trx, id);
      const base: AppendBase | null = row
        ? {
            patientId: row.patient_id,
            doctorId: row.doctor_id,
            lastSeq: row.last_seq,
            key:
              row.key_version !== null && row.wrapped_key !== null
                ? { version: row.key_version, wrapped_key: row.wrapped_key }
                : null,
          }
        : null;
      plan.fresh = plan.fresh.filter((i) => {
        if (base && isParticipant(base, batch[i]!.actor.userId)) return true;
        outcomes[i] = notFound();
        return false;
      });
      if (!row || !base || plan.fresh.length === 0) continue;
      // Idempotency: a resend of a stored message answers with the original, whatever the state now.
      const answerStored = async (indexes: number[]) => {
        const stored = new Map(
          (
            await repo.messagesByClientIds(
              trx,
              id,
              indexes.map((i) => batch[i]!.msg.clientId),
            )
          ).map((m) => [m.client_id, m] as const),
        );
        return indexes.filter((i) => {
          const existing = stored.get(batch[i]!.msg.clientId);
          if (!existing) return true;
          outcomes[i] =
            existing.sender_id !== batch[i]!.actor.userId
              ? notFound()
              : {
                  ack: {
                    seq: existing.seq,
                    clientId: existing.client_id,
                    createdAt: new Date(existing.created_at).toISOString(),
                    duplicate: true,
                  },
                  events: [],
                };
          return false;
        });
      };
      if (row.status !== 'active') {
        for (const i of await answerStored(plan.fresh))
          outcomes[i] = { error: new AppError('CONSULTATION_NOT_ACTIVE') };
        plan.fresh = [];
        continue;
      }
      let result = (await repo.appendMessages(trx, [await group(id, base, plan.fresh)], now)).get(id)!;
      if (!result.appended && result.stored) {
        plan.fresh = await answerStored(plan.fresh);
        if (plan.fresh.length === 0) continue;
        result = (await repo.appendMessages(trx, [await group(id, base, plan.fresh)], now)).get(id)!;
      }
      if (!result.appended) throw new Error('message append failed under the lock');
      [plan.base, plan.unreadNoticeFor] = [base, result.unreadNoticeFor];
    }

    // Stored: files, the recipients' notices, the inspectors, and what to answer.
    const media = [...plans].flatMap(([id, plan]) =>
      plan.fresh.flatMap((i, k) =>
        plan.base
          ? batch[i]!.msg.files.map((f) => ({
              id: f.id,
              consultation_id: id,
              seq: plan.base!.lastSeq + k + 1,
              variant: f.variant,
              content_type: f.contentType,
              byte_size: f.byteSize,
              width: f.width,
              height: f.height,
              duration_ms: f.durationMs,
              sha256: f.sha256,
              created_at: now,
            }))
          : [],
      ),
    );
    if (media.length > 0) await repo.insertMedia(trx, media);
    const next = new Map<string, WriteHint | null>();
    for (const [id, plan] of plans) {
      const base = plan.base;
      if (base) {
        for (const recipient of new Set(plan.fresh.map((i) => otherParticipant(base, batch[i]!.actor.userId))))
          if (!plan.unreadNoticeFor.includes(recipient))
            await this.deps.notices.createUnlessUnread(trx, recipient, 'consultation.message', { consultationId: id });
        for (const [k, i] of plan.fresh.entries()) {
          const { actor, msg } = batch[i]!;
          const seq = base.lastSeq + k + 1;
          const events: { topic: string; event: BusEvent }[] = [
            {
              topic: userTopic(otherParticipant(base, actor.userId)),
              event: { type: 'message', consultationId: id, seq },
            },
          ];
          if (msg.kind === 'text')
            for (const inspect of this.deps.inspectors ?? [])
              events.push(...(await inspect(trx, inspected(id, base, actor.userId, seq, msg.text, now))));
          outcomes[i] = {
            ack: { seq, clientId: msg.clientId, createdAt: now.toISOString(), duplicate: false },
            events,
          };
        }
      }
      for (const [i, first] of plan.repeats) outcomes[i] = repeatOf(batch, i, first, outcomes[first]!);
      next.set(id, base?.key ? { ...base, key: base.key, lastSeq: base.lastSeq + plan.fresh.length } : null);
    }
    return { outcomes: outcomes.map((o) => o!), next };
  }

  /** Decrypts stored message rows of one consultation (with its keys as read in the same statement). */
  private async toMessages(
    db: Queryable,
    id: string,
    subjectKeys: WrappedKey[],
    rows: Array<{
      seq: number;
      client_id: string;
      sender_id: string;
      kind: MessageKind;
      body_enc: Buffer;
      created_at: Date | string;
    }>,
  ): Promise<MessagePage['messages']> {
    const mediaSeqs = rows.filter((m) => m.kind !== 'text').map((m) => m.seq);
    const media = new Map(
      (mediaSeqs.length ? await repo.mediaOf(db, id, mediaSeqs) : []).map((f) => [f.seq, f] as const),
    );
    return rows.map((m) => {
      const file = media.get(m.seq);
      return {
        seq: m.seq,
        clientId: m.client_id,
        senderId: m.sender_id,
        kind: m.kind,
        text: this.deps.keys.decryptWith(id, subjectKeys, messageField(id, m.seq), m.body_enc).toString('utf8'),
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
    });
  }

  /** Catch-up after a reconnect: everything after the last sequence number the client has, in order. */
  async messages(actor: Actor, id: string, after: number, limit: number): Promise<MessagePage> {
    // One round trip: the participant check, the page and the consultation's keys.
    const rows = await repo.pageForParticipant(this.deps.db, id, actor.userId, after, limit);
    if (rows.length === 0) throw new AppError('CONSULTATION_NOT_FOUND');
    const first = rows[0]!;
    const subjectKeys = (first.versions ?? []).map((version, i) => ({ version, wrapped_key: first.wrapped![i]! }));
    const page = rows.flatMap((m) =>
      m.seq === null || m.client_id === null || m.sender_id === null || m.kind === null || m.body_enc === null
        ? []
        : [
            {
              seq: m.seq,
              client_id: m.client_id,
              sender_id: m.sender_id,
              kind: m.kind,
              body_enc: m.body_enc,
              created_at: m.created_at!,
            },
          ],
    );
    return { messages: await this.toMessages(this.deps.db, id, subjectKeys, page), lastSeq: first.last_seq };
  }

  private remember(item: PendingMessage, outcome: { ack: MessageAck; events: { topic: string; event: BusEvent }[] }) {
    const now = Date.now();
    for (const { topic, event } of outcome.events) {
      if (event.type !== 'message' || event.seq !== outcome.ack.seq) continue;
      this.justStored.set(`${topic}|${item.id}:${event.seq}`, {
        at: now,
        message: {
          seq: outcome.ack.seq,
          clientId: item.msg.clientId,
          senderId: item.actor.userId,
          kind: 'text',
          text: item.msg.text,
          media: null,
          createdAt: outcome.ack.createdAt,
        },
      });
    }
    // Bounded in size and time: oldest first (a Map keeps insertion order).
    for (const [key, entry] of this.justStored) {
      if (this.justStored.size <= JUST_STORED_MAX && now - entry.at <= JUST_STORED_MS) break;
      this.justStored.delete(key);
    }
  }

  /**
   * Live delivery: the messages announced to this user (consultation and seq from bus events), read through the
   * same participant check as any request, for a burst of announcements in one round trip. Consultations the user
   * does not take part in give nothing; one whose data cannot be read gives its error. Text messages this process
   * has just stored and announced to this very user are taken from memory instead.
   */
  async announced(
    actor: Actor,
    requested: Array<{ consultationId: string; seq: number }>,
  ): Promise<
    Array<{ consultationId: string; messages: MessagePage['messages'] } | { consultationId: string; error: unknown }>
  > {
    const topic = userTopic(actor.userId);
    const now = Date.now();
    const fromMemory = new Map<string, MessagePage['messages']>();
    const wanted: typeof requested = [];
    for (const item of requested) {
      const entry = this.justStored.get(`${topic}|${item.consultationId}:${item.seq}`);
      if (entry && now - entry.at <= JUST_STORED_MS)
        fromMemory.set(item.consultationId, [...(fromMemory.get(item.consultationId) ?? []), entry.message]);
      else wanted.push(item);
    }
    if (wanted.length === 0)
      return [...fromMemory].map(([consultationId, messages]) => ({
        consultationId,
        messages: messages.sort((a, b) => a.seq - b.seq),
      }));
    const rows = await repo.messagesAt(this.deps.db, actor.userId, wanted);
    const byConsultation = new Map<string, typeof rows>();
    for (const row of rows)
      byConsultation.set(row.consultation_id, [...(byConsultation.get(row.consultation_id) ?? []), row]);
    return Promise.all(
      [...byConsultation].map(async ([consultationId, list]) => {
        const first = list[0]!;
        const subjectKeys = (first.versions ?? []).map((version, i) => ({ version, wrapped_key: first.wrapped![i]! }));
        try {
          const read = await this.toMessages(this.deps.db, consultationId, subjectKeys, list);
          const remembered = fromMemory.get(consultationId) ?? [];
          fromMemory.delete(consultationId);
          return { consultationId, messages: [...read, ...remembered].sort((a, b) => a.seq - b.seq) };
        } catch (error) {
          return { consultationId, error };
        }
      }),
    ).then((results) => [
      ...results,
      ...[...fromMemory].map(([consultationId, messages]) => ({
        consultationId,
        messages: messages.sort((a, b) => a.seq - b.seq),
      })),
    ]);
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
    const file = await repo.mediaFileOf(db, id, seq, variant);
    if (!file) throw new AppError('MEDIA_NOT_FOUND');
    return { bytes: await this.deps.media.read(db, id, file.id), contentType: file.content_type };
  }

  /** Read receipts: the read position only ever moves forward, and never past the last message. */
  async markRead(actor: Actor, id: string, seq: number): Promise<void> {
    const { db, clock } = this.deps;
    const row = await repo.findForParticipant(db, id, actor.userId);
    if (!row) throw new AppError('CONSULTATION_NOT_FOUND');
    const upTo = Math.min(seq, row.last_seq);
    await repo.advanceRead(db, id, actor.userId, upTo, clock.now());
    const other = actor.userId === row.doctor_id ? row.patient_id : row.doctor_id;
    await this.deps.bus.publish(userTopic(other), {
      type: 'read',
      consultationId: id,
      seq: upTo,
      userId: actor.userId,
    });
  }
}

import crypto from 'node:crypto';
import type {
  ConsultationDetail,
  ConsultationSummary,
  CrisisSeverity,
  EndCrisisResolution,
  MediaMessageQuery,
  MediaVariant,
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
import type { KeyStore } from '../../crypto/key-store.js';
import { auditBy, auditBySystem } from '../../privacy/audit/audit.js';
import type { PolicyService, RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { MessageBus } from '../../realtime/bus.js';
import type { DirectoryService } from '../directory/directory.service.js';
import type { NoticeService } from '../notices/notices.service.js';
import type { Actor } from '../identity/identity.service.js';
import * as repo from './consultations.repo.js';
import { JustStored } from './just-stored.js';
import { MessageReader } from './message-reader.js';
import { MessageWriter, userTopic, type MessageInspector, type StoredFile } from './message-writer.js';

export { userTopic, type InspectedMessage, type MessageInspector } from './message-writer.js';
import type { MediaStore } from './media.store.js';

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
/**
 * What ending a consultation asks of the crisis feature (CON-4), inside the ending transaction (services.ts passes
 * the crisis service's functions): the open escalation its doctor has not acknowledged, and recording the
 * doctor's second step (acknowledged, or handed over to support with a note), audited in that transaction.
 */
export interface CrisisEndGate {
  handOverOnAccountClosed(trx: Tx, consultationId: string, doctorId: string, now: Date): Promise<boolean>;
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
  /** Whether the consultation has an open escalation (re-checked under the consultation's lock). */
  hasOpenEscalation(db: Queryable, consultationId: string): Promise<boolean>;
  /** The consultations with an open escalation. */
  consultationsWithOpenEscalation(db: Queryable): Promise<string[]>;
}

/**
 * Consultations and messaging (CON-1). A message is acknowledged only after its insert committed; the sequence
 * number is assigned under a row lock on the consultation inside that transaction, so numbers are gap-free and
 * in commit order; a client id makes resending safe (the same message comes back, never a second copy).
 */
export class ConsultationService {
  private readonly writer: MessageWriter;
  private readonly reader: MessageReader;

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
      /** The directory's answers about doctors (it owns their profiles). */
      doctors: Pick<DirectoryService, 'findActive' | 'nameAndType'>;
    },
  ) {
    const justStored = new JustStored();
    this.writer = new MessageWriter(deps, justStored);
    this.reader = new MessageReader(deps, justStored);
  }

  async request(
    actor: Actor,
    body: RequestConsultationBody,
    meta: RequestMeta,
    followUpOf: string | null = null,
  ): Promise<ConsultationDetail> {
    const { db, keys, clock, policy } = this.deps;
    if (!(await policy.hasSensitiveConsent(actor.userId, 'consultation')))
      throw new AppError('CONSULTATION_CONSENT_REQUIRED');
    const doctor = await this.deps.doctors.findActive(body.doctorId);
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
      // (the route admits patients only, so the role recorded is 'patient')
      await auditBy(
        trx,
        actor,
        meta,
        'consultation.requested',
        { subjectId: id, details: { doctorId: doctor.user_id, ...(followUpOf ? { followUpOf } : {}) } },
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
      // (doctors only, by the routes and the check above, so the role recorded is 'doctor')
      const action = `consultation.${to === 'active' ? 'accepted' : to}` as 'consultation.accepted';
      await auditBy(trx, actor, meta, action, { subjectId: id }, now);
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
    const idle = await repo.idleSince(db, cutoff, 500, await this.deps.crisis.consultationsWithOpenEscalation(db));
    let ended = 0;
    for (const { id } of idle) {
      const row = await db.transaction().execute(async (trx) => {
        const row = await repo.lockById(trx, id);
        const last = row ? (row.last_message_at ?? row.accepted_at) : null;
        if (!row || row.status !== 'active' || !last || new Date(last) >= cutoff) return null;
        if (await this.deps.crisis.hasOpenEscalation(trx, id)) return null;
        const now = clock.now();
        await repo.updateConsultation(trx, id, { status: 'ended', ended_at: now, ended_reason: 'idle' });
        for (const userId of [row.patient_id, row.doctor_id])
          await this.deps.notices.create(trx, userId, 'consultation.ended_idle', { consultationId: id });
        await auditBySystem(trx, 'consultation.ended', { subjectId: id, details: { reason: 'idle', idleHours } }, now);
        return row;
      });
      if (!row) continue;
      ended++;
      for (const userId of [row.patient_id, row.doctor_id])
        await this.deps.bus.publish(userTopic(userId), { type: 'status', consultationId: id, status: 'ended' });
    }
    return ended;
  }

  /**
   * RIG-5: the account of `userId` is being cancelled. Every requested or active consultation of theirs ends (reason
   * account_closed) and the other side gets a notice; when the doctor leaves, an unclosed crisis alert is handed to
   * support first. In the cancellation's transaction; returns the consultation ids and what to publish after commit.
   */
  async closeAllOf(trx: Tx, userId: string, now: Date): Promise<{ ended: string[]; publish: () => Promise<void> }> {
    const rows = [
      ...(await repo.consultationsOfPatient(trx, userId)),
      ...(await repo.consultationsOfDoctor(trx, userId)),
    ].filter((r) => r.status === 'requested' || r.status === 'active');
    const ended: Array<{ id: string; others: string[] }> = [];
    for (const { id } of rows) {
      const row = await repo.lockById(trx, id);
      if (!row || (row.status !== 'requested' && row.status !== 'active')) continue;
      if (row.doctor_id === userId) await this.deps.crisis.handOverOnAccountClosed(trx, id, userId, now);
      await repo.updateConsultation(trx, id, { status: 'ended', ended_at: now, ended_reason: 'account_closed' });
      const other = row.doctor_id === userId ? row.patient_id : row.doctor_id;
      await this.deps.notices.create(trx, other, 'consultation.ended_account_closed', { consultationId: id });
      await auditBySystem(trx, 'consultation.ended', { subjectId: id, details: { reason: 'account_closed' } }, now);
      ended.push({ id, others: [row.patient_id, row.doctor_id] });
    }
    return {
      ended: ended.map((e) => e.id),
      publish: async () => {
        for (const e of ended)
          for (const u of e.others)
            await this.deps.bus.publish(userTopic(u), { type: 'status', consultationId: e.id, status: 'ended' });
      },
    };
  }

  /**
   * Retention (SEC-2): a consultation is an outpatient medical record, kept at least 15 years after it ended; then
   * its own key is destroyed (crypto-shredding), which makes its messages, files and crisis notes unreadable
   * everywhere, backups included, and drops it from every list. Returns how many were retired.
   */
  async retireEndedBefore(cutoff: Date, limit = 500): Promise<number> {
    const ids = await repo.endedBeforeWithKey(this.deps.db, cutoff, limit);
    for (const id of ids)
      await this.deps.db.transaction().execute(async (trx) => {
        await this.deps.keys.destroy(trx, id, 'retention_medical_record');
        await auditBySystem(
          trx,
          'retention.purged',
          { subjectId: id, details: { rule: 'medical_record' } },
          this.deps.clock.now(),
        );
      });
    return ids.length;
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
    const profile = await this.deps.doctors.nameAndType(row.doctor_id);
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

  /** Stores a message through the group-committing writer (acknowledged after its commit). */
  private store(
    actor: Actor,
    id: string,
    msg: { clientId: string; kind: MessageKind; text: string; files: StoredFile[] },
    meta: RequestMeta,
  ): Promise<MessageAck> {
    void meta;
    return this.writer.store(actor, id, msg);
  }

  /** Catch-up after a reconnect: everything after the last sequence number the client has, in order. */
  messages(actor: Actor, id: string, after: number, limit: number): Promise<MessagePage> {
    return this.reader.messages(actor, id, after, limit);
  }

  /** Live delivery of announced messages (see MessageReader.announced). */
  announced(actor: Actor, requested: Array<{ consultationId: string; seq: number }>) {
    return this.reader.announced(actor, requested);
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

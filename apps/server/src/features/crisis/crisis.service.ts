import crypto from 'node:crypto';
import type {
  CrisisSeverity,
  CrisisView,
  DoctorEscalation,
  EndCrisisResolution,
  EscalationDetail,
  EscalationFilter,
  EscalationItem,
  EscalationList,
  ServerFrame,
} from '@anxin/contracts';
import { createCrisisDetector, type CrisisDetector } from '@anxin/domain/crisis';
import type { Db, Queryable, Tx } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import { auditBy, auditBySystem } from '../../privacy/audit/audit.js';
import type { RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { BusEvent } from '../../realtime/bus.js';
import type { Actor } from '../identity/identity.service.js';
import type { NoticeService } from '../notices/notices.service.js';
import { userTopic, type InspectedMessage, type MessageInspector } from '../consultations/consultations.service.js';
import type { CrisisConfig } from './crisis.config.js';
import { CRISIS_PROTOCOL, crisisResources } from './crisis.resources.js';
import * as repo from './crisis.repo.js';

/** What an escalation records about its signals, encrypted under the consultation's key. Never message text. */
interface Signal {
  severity: CrisisSeverity;
  categories: string[];
  ruleIds: string[];
  hitCount: number;
  firstSeq: number;
  lastSeq: number;
  hits: { seq: number; at: string; severity: CrisisSeverity; categories: string[]; ruleIds: string[] }[];
}

/** The per-message list keeps the first hit and the latest ones; the counts cover all of them. */
const MAX_HITS = 100;
const STAFF_LIST_LIMIT = 200;
const PURPOSE = 'crisis_handling';

const signalField = (escalationId: string) => ({
  table: 'crisis_escalations',
  column: 'signal_enc',
  rowId: escalationId,
});
const noteField = (escalationId: string) => ({
  table: 'crisis_escalations',
  column: 'close_note_enc',
  rowId: escalationId,
});
const handoverField = (escalationId: string) => ({
  table: 'crisis_escalations',
  column: 'handover_note_enc',
  rowId: escalationId,
});
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/**
 * Crisis signals in consultations (CON-4). The inspector reads each stored patient text message inside its
 * transaction; on a hit it opens (or adds to) the consultation's one unclosed escalation, audits it and alerts the
 * doctor (a live `crisis` event after commit, and an in-app notice). The escalation records which messages carried
 * which kind of signal and which rules matched, never the text. Support closes escalations with a note.
 *
 * Nothing is ever reported outside the platform by this module: no call, message or e-mail to any authority,
 * family member or third party. Whether and whom to contact is the doctor's clinical decision.
 */
export class CrisisService {
  private readonly detector: CrisisDetector;

  constructor(
    private readonly deps: { db: Db; keys: KeyStore; clock: Clock; notices: NoticeService; config: CrisisConfig },
  ) {
    this.detector = createCrisisDetector(deps.config.lexicon);
  }

  /** Wired into ConsultationService: runs in the message's transaction; the events are published after commit. */
  readonly inspector: MessageInspector = async (trx, message) => {
    if (message.senderRole !== 'patient') return [];
    const assessment = this.detector.assess(message.text);
    if (!assessment.severity) return [];
    const hit = {
      seq: message.seq,
      at: message.at.toISOString(),
      severity: assessment.severity,
      categories: [...new Set(assessment.hits.map((h) => h.category))],
      ruleIds: assessment.hits.map((h) => h.ruleId),
    };
    const escalationId = await this.record(trx, message, hit);
    const event: BusEvent = { type: 'crisis', consultationId: message.consultationId, escalationId };
    return [{ topic: userTopic(message.doctorId), event }];
  };

  private async record(trx: Queryable, message: InspectedMessage, hit: Signal['hits'][number]): Promise<string> {
    const { keys } = this.deps;
    const subject = message.consultationId;
    // The message transaction holds the consultation's row lock, so signals of one consultation are serialised.
    const existing = await repo.unclosedFor(trx, subject, true);
    if (existing) {
      const before = await this.signalOf(trx, existing);
      const severity: CrisisSeverity = before.severity === 'acute' || hit.severity === 'acute' ? 'acute' : 'concern';
      const hits = [...before.hits, hit];
      const signal: Signal = {
        severity,
        categories: union(before.categories, hit.categories),
        ruleIds: union(before.ruleIds, hit.ruleIds),
        hitCount: before.hitCount + 1,
        firstSeq: before.firstSeq,
        lastSeq: hit.seq,
        hits: hits.length > MAX_HITS ? [hits[0]!, ...hits.slice(-(MAX_HITS - 1))] : hits,
      };
      // A more severe signal after the doctor acknowledged needs their attention again.
      const reopen = existing.status === 'acknowledged' && before.severity === 'concern' && severity === 'acute';
      const sealed = await keys.encrypt(trx, subject, signalField(existing.id), JSON.stringify(signal));
      await repo.addSignal(trx, existing.id, sealed, message.at, reopen);
      await auditBySystem(
        trx,
        'crisis.signal_added',
        {
          subjectId: subject,
          purpose: PURPOSE,
          details: { escalationId: existing.id, seq: hit.seq, reopened: reopen },
        },
        message.at,
      );
      // Worse than what the doctor acknowledged: a fresh notice (and push), not folded into an unread one.
      if (reopen)
        await this.deps.notices.create(trx, message.doctorId, 'consultation.attention', {
          consultationId: subject,
        });
      return existing.id;
    }
    const id = crypto.randomUUID();
    const signal: Signal = {
      severity: hit.severity,
      categories: hit.categories,
      ruleIds: hit.ruleIds,
      hitCount: 1,
      firstSeq: hit.seq,
      lastSeq: hit.seq,
      hits: [hit],
    };
    await repo.insert(trx, {
      id,
      consultation_id: subject,
      status: 'open',
      signal_enc: await keys.encrypt(trx, subject, signalField(id), JSON.stringify(signal)),
      created_at: message.at,
      last_signal_at: message.at,
    });
    await auditBySystem(
      trx,
      'crisis.escalation_opened',
      { subjectId: subject, purpose: PURPOSE, details: { escalationId: id, seq: hit.seq } },
      message.at,
    );
    // Also in the doctor's notices (and their push, if they allow it): no name, no content, no word of "crisis".
    await this.deps.notices.create(trx, message.doctorId, 'consultation.attention', {
      consultationId: subject,
    });
    return id;
  }

  private async signalOf(db: Queryable, row: { id: string; consultation_id: string; signal_enc: Buffer }) {
    const text = await this.deps.keys.decryptText(db, row.consultation_id, signalField(row.id), row.signal_enc);
    return JSON.parse(text) as Signal;
  }

  private doctorEscalation(row: repo.EscalationRow, signal: Signal): DoctorEscalation {
    return {
      id: row.id,
      status: row.status,
      severity: signal.severity,
      firstSeq: signal.firstSeq,
      lastSeq: signal.lastSeq,
      hitCount: signal.hitCount,
      openedAt: iso(row.created_at)!,
      lastSignalAt: iso(row.last_signal_at)!,
      acknowledgedAt: iso(row.acknowledged_at),
      handedOverAt: iso(row.handed_over_at),
    };
  }

  /**
   * `GET /api/consultations/:id/crisis`. The doctor: protocol, resources and the unclosed escalation. The patient:
   * the resources only, the same answer whether or not anything was detected.
   */
  async view(actor: Actor, consultationId: string): Promise<CrisisView> {
    const { db, config } = this.deps;
    const c = await repo.participants(db, consultationId, actor.userId);
    if (!c) throw new AppError('CONSULTATION_NOT_FOUND');
    const resources = crisisResources(config.localLines);
    if (c.doctor_id !== actor.userId) return { audience: 'patient', resources, protocol: null, escalation: null };
    const row = await repo.unclosedFor(db, consultationId);
    return {
      audience: 'doctor',
      resources,
      protocol: CRISIS_PROTOCOL,
      escalation: row ? this.doctorEscalation(row, await this.signalOf(db, row)) : null,
    };
  }

  /** The doctor has seen the alert. Acknowledging twice is harmless; with nothing unclosed it is refused. */
  async acknowledge(actor: Actor, consultationId: string, meta: RequestMeta): Promise<CrisisView> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (trx) => {
      const c = await repo.participants(trx, consultationId, actor.userId);
      if (!c) throw new AppError('CONSULTATION_NOT_FOUND');
      if (c.doctor_id !== actor.userId) throw new AppError('FORBIDDEN');
      const row = await repo.unclosedFor(trx, consultationId, true);
      if (!row) throw new AppError('CRISIS_NOTHING_TO_ACKNOWLEDGE');
      if (row.status === 'acknowledged') return;
      await this.markAcknowledged(trx, actor, consultationId, row.id, meta, clock.now(), {});
    });
    return this.view(actor, consultationId);
  }

  private async markAcknowledged(
    trx: Queryable,
    actor: Actor,
    consultationId: string,
    escalationId: string,
    meta: RequestMeta,
    now: Date,
    details: Record<string, string | number | boolean>,
  ) {
    await repo.markAcknowledged(trx, escalationId, actor.userId, now);
    // (the consultation's doctor, a doctor-app account, so the role recorded is 'doctor')
    await auditBy(
      trx,
      actor,
      meta,
      'crisis.acknowledged',
      { subjectId: consultationId, purpose: PURPOSE, details: { escalationId, ...details } },
      now,
    );
  }

  /**
   * For ending a consultation (CON-4), inside the ending transaction: the open escalation its doctor has not
   * acknowledged, if any, locked until commit (a signal arriving meanwhile waits for the end, or comes first).
   */
  readonly openUnacknowledgedEscalation = async (
    trx: Tx,
    consultationId: string,
  ): Promise<{ id: string; severity: CrisisSeverity; lastSeq: number } | null> => {
    const row = await repo.unclosedFor(trx, consultationId, true);
    if (!row || row.status !== 'open') return null;
    const signal = await this.signalOf(trx, row);
    return { id: row.id, severity: signal.severity, lastSeq: signal.lastSeq };
  };

  /**
   * For the consultations feature (CON-4: an idle consultation is not ended while its patient's alert is unseen):
   * whether the consultation has an open escalation, i.e. one its doctor has not acknowledged and support has not
   * closed. Pass the transaction that holds the consultation's row lock to re-check under it (signals of a
   * consultation are recorded under that lock). Read without locking the escalation.
   */
  readonly hasOpenEscalation = (db: Queryable, consultationId: string): Promise<boolean> =>
    repo.hasOpen(db, consultationId);

  /** The consultations with an open escalation, which the idle job must leave open (CON-4). */
  readonly consultationsWithOpenEscalation = (db: Queryable): Promise<string[]> => repo.consultationsWithOpen(db);

  /**
   * The doctor's second step when ending with an unacknowledged alert, in the ending transaction: acknowledge it,
   * or hand it over to support with a note (encrypted under the consultation's key). The escalation then stays open
   * for support, first in their queue, with the note. Both are audited in the same transaction.
   */
  readonly resolveOnEnd = async (
    trx: Tx,
    actor: Actor,
    consultationId: string,
    resolution: EndCrisisResolution,
    meta: RequestMeta,
    now: Date,
  ): Promise<void> => {
    const escalationId = resolution.escalationId;
    if (resolution.action === 'acknowledge') {
      await this.markAcknowledged(trx, actor, consultationId, escalationId, meta, now, { onEnd: true });
      return;
    }
    const note = await this.deps.keys.encrypt(trx, consultationId, handoverField(escalationId), resolution.note.trim());
    await repo.markHandedOver(trx, escalationId, actor.userId, now, note);
    await auditBy(
      trx,
      actor,
      meta,
      'crisis.handed_over',
      { subjectId: consultationId, purpose: PURPOSE, details: { escalationId } },
      now,
    );
  };

  /**
   * RIG-5: the doctor's account is being cancelled while an alert of this consultation is unclosed. It is handed to
   * support first, with a note saying why, so it is never dropped; support then sees it at the top of their queue.
   * In the cancellation's transaction (it holds the consultation's lock). Returns whether there was one.
   */
  readonly handOverOnAccountClosed = async (trx: Tx, consultationId: string, doctorId: string, now: Date) => {
    const row = await repo.unclosedFor(trx, consultationId, true);
    if (!row || row.handed_over_at) return row !== undefined;
    const note = await this.deps.keys.encrypt(
      trx,
      consultationId,
      handoverField(row.id),
      '医生已注销账号，问诊随之结束；请支持团队接手并联系患者。 The doctor closed their account; support takes over.',
    );
    await repo.markHandedOver(trx, row.id, doctorId, now, note);
    await auditBySystem(
      trx,
      'crisis.handed_over',
      { subjectId: consultationId, purpose: PURPOSE, details: { escalationId: row.id, reason: 'account_closed' } },
      now,
    );
    return true;
  };

  /** For the WebSocket: the frame for a `crisis` bus event, only for the doctor of that consultation. */
  async liveFrame(actor: Actor, escalationId: string): Promise<Extract<ServerFrame, { type: 'crisis' }> | null> {
    const row = await repo.forDoctor(this.deps.db, escalationId, actor.userId);
    if (!row || row.status === 'closed') return null;
    const signal = await this.signalOf(this.deps.db, row);
    return { type: 'crisis', consultationId: row.consultation_id, escalationId: row.id, severity: signal.severity };
  }

  private async staffItem(row: repo.StaffRow, signal: Signal): Promise<EscalationItem> {
    const handover =
      row.handed_over_at && row.handover_note_enc
        ? {
            at: iso(row.handed_over_at)!,
            note: await this.deps.keys.decryptText(
              this.deps.db,
              row.consultation_id,
              handoverField(row.id),
              row.handover_note_enc,
            ),
          }
        : null;
    return {
      id: row.id,
      consultationId: row.consultation_id,
      status: row.status,
      severity: signal.severity,
      categories: signal.categories,
      hitCount: signal.hitCount,
      firstSeq: signal.firstSeq,
      lastSeq: signal.lastSeq,
      openedAt: iso(row.created_at)!,
      lastSignalAt: iso(row.last_signal_at)!,
      acknowledgedAt: iso(row.acknowledged_at),
      closedAt: iso(row.closed_at),
      doctor: { id: row.doctor_id, name: row.doctor_name ?? '' },
      handover,
    };
  }

  private audited(staff: Actor, meta: RequestMeta, subjectId: string | null, details: Record<string, string | number>) {
    return this.deps.db
      .transaction()
      .execute((trx) =>
        auditBy(
          trx,
          staff,
          meta,
          'staff.viewed_personal_data',
          { subjectId, purpose: PURPOSE, details },
          this.deps.clock.now(),
        ),
      );
  }

  /** Support's queue (audited read, purpose crisis handling): acute before concern within each status group. */
  async list(staff: Actor, filter: EscalationFilter, meta: RequestMeta): Promise<EscalationList> {
    const { db } = this.deps;
    const rows = await repo.listForStaff(db, filter, STAFF_LIST_LIMIT);
    // An escalation whose consultation was erased (its key destroyed) is unreadable: it leaves the queue.
    const items = (
      await Promise.all(
        rows.map(async (r) => {
          try {
            return await this.staffItem(r, await this.signalOf(db, r));
          } catch (err) {
            if (err instanceof AppError && err.code === 'DATA_ERASED') return null;
            throw err;
          }
        }),
      )
    ).filter((i) => i !== null);
    const rank = { open: 0, acknowledged: 1, closed: 2 } as const;
    items.sort(
      (a, b) =>
        rank[a.status] - rank[b.status] ||
        (a.severity === b.severity ? 0 : a.severity === 'acute' ? -1 : 1) ||
        b.lastSignalAt.localeCompare(a.lastSignalAt),
    );
    await this.audited(staff, meta, null, { view: 'crisis_escalations', filter, count: items.length });
    return { items };
  }

  /** One escalation for support (audited read): what kind of signal in which messages, never their text. */
  async detail(staff: Actor, id: string, meta: RequestMeta): Promise<EscalationDetail> {
    const { db, keys } = this.deps;
    const row = await repo.findForStaff(db, id);
    if (!row) throw new AppError('CRISIS_ESCALATION_NOT_FOUND');
    const signal = await this.signalOf(db, row);
    await this.audited(staff, meta, row.consultation_id, { view: 'crisis_escalation', escalationId: id });
    return {
      ...(await this.staffItem(row, signal)),
      consultationStatus: row.consultation_status,
      ruleIds: signal.ruleIds,
      hits: signal.hits,
      acknowledgedBy: row.acknowledged_by,
      closedBy: row.closed_by,
      closeNote: row.close_note_enc
        ? await keys.decryptText(db, row.consultation_id, noteField(id), row.close_note_enc)
        : null,
    };
  }

  /** Support closes an escalation with a note (open or acknowledged); the closing is audited. */
  async close(staff: Actor, id: string, note: string, meta: RequestMeta): Promise<EscalationDetail> {
    const { db, keys, clock } = this.deps;
    await db.transaction().execute(async (trx) => {
      const row = await repo.lockById(trx, id);
      if (!row) throw new AppError('CRISIS_ESCALATION_NOT_FOUND');
      if (row.status === 'closed') throw new AppError('CRISIS_ESCALATION_CLOSED');
      const now = clock.now();
      const sealed = await keys.encrypt(trx, row.consultation_id, noteField(id), note.trim());
      await repo.markClosed(trx, id, staff.userId, now, sealed);
      await auditBy(
        trx,
        staff,
        meta,
        'crisis.escalation_closed',
        {
          subjectId: row.consultation_id,
          purpose: PURPOSE,
          details: { escalationId: id, acknowledgedByDoctor: row.status === 'acknowledged' },
        },
        now,
      );
    });
    return this.detail(staff, id, meta);
  }
}

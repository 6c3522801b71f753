import crypto from 'node:crypto';
import type { CallClientFrame, CallParty, CallRecord, CallServerFrame, IceConfig } from '@anxin/contracts';
import {
  CALL_RULES,
  callDurationSeconds,
  canSignal,
  SIGNAL_LIMITS,
  startCall,
  takeToken,
  transition,
  type Bucket,
  type CallEvent,
  type CallMedia,
  type CallSnapshot,
  type DeclineReason,
  type SignalKind,
} from '@anxin/domain';
import type { Logger } from 'pino';
import type { CallConfig } from '../../config.js';
import type { Db, Queryable } from '../../db/database.js';
import { auditBy, auditBySystem } from '../../privacy/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { MessageBus } from '../../realtime/bus.js';
import type { Actor } from '../identity/identity.service.js';
import type { NoticeService } from '../notices/notices.service.js';
import * as repo from './calls.repo.js';
import type { CallRow } from './calls.repo.js';
import { iceConfigFor } from './turn.js';

/**
 * The request of an audit entry from a socket's optional request id. Calls are between the two participants of
 * a consultation (doctor and patient), so the role auditBy records is the actor's app, as before.
 */
const requestOf = (requestId: string | undefined) => (requestId === undefined ? null : { requestId });

/** Every WebSocket of a person hears about calls to them (incoming, ended) on this topic. */
export const callUserTopic = (userId: string) => `calls:user:${userId}`;

/** Who is acting, and over which WebSocket connection. */
export interface CallContext {
  actor: Actor;
  connId: string;
  requestId?: string;
}

type RelayFrame = Extract<CallClientFrame, { type: 'call.offer' | 'call.answer' | 'call.candidate' | 'call.restart' }>;

const SIGNAL_KIND: Record<RelayFrame['type'], SignalKind> = {
  'call.offer': 'offer',
  'call.answer': 'answer',
  'call.candidate': 'candidate',
  'call.restart': 'restart',
};

const other = (p: CallParty): CallParty => (p === 'caller' ? 'callee' : 'caller');

/**
 * Voice and video calls (CON-2): the state of every call is in the `calls` table (metadata only) and changes only
 * through the pure state machine in @anxin/domain, under a row lock. Signalling (offers, answers, ICE candidates)
 * is relayed between the two devices in the call and never stored; no part of the server receives, stores or can
 * ask for audio or video. Only the two participants of an active consultation can call or signal.
 *
 * In memory, per process: which WebSocket connection carries each side of a call (so signals reach exactly the
 * device that called or answered), ring and reconnect timers, and rate-limit buckets. A restart loses them:
 * `start()` then ends overdue calls and gives open ones the reconnect grace period to be resumed.
 */
export class CallService {
  /** The WebSocket connections of this process, by connection id. */
  private readonly connections = new Map<string, (frame: CallServerFrame) => void>();
  private readonly bindings = new Map<string, Partial<Record<CallParty, string>>>();
  private readonly connCalls = new Map<string, Set<string>>();
  private readonly calls = new Map<string, CallRow>();
  private readonly ringTimers = new Map<string, NodeJS.Timeout>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  private readonly inviteBuckets = new Map<string, Bucket>();
  private readonly signalBuckets = new Map<string, Bucket>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private log: Pick<Logger, 'warn' | 'error' | 'info'> | undefined;

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      bus: MessageBus;
      notices: NoticeService;
      config: CallConfig;
    },
  ) {}

  private get ringMs() {
    return this.deps.config.ringSeconds * 1000;
  }

  // ——— frames out ———

  /**
   * To one connection, in this process only: offers, answers and candidates go from socket to socket and never
   * through the bus (which may be PostgreSQL NOTIFY), so no session description touches the database.
   */
  private toConn(connId: string | undefined, frame: CallServerFrame) {
    if (connId) this.connections.get(connId)?.(frame);
  }
  private toUser(userId: string, consultationId: string, frame: CallServerFrame) {
    void this.deps.bus.publish(callUserTopic(userId), { type: 'call', consultationId, call: frame });
  }

  private partyOf(row: CallRow, userId: string): CallParty {
    if (row.caller_id === userId) return 'caller';
    if (row.callee_id === userId) return 'callee';
    // A third person learns nothing, not even that the call exists.
    throw new AppError('CALL_NOT_FOUND');
  }

  private bind(callId: string, party: CallParty, connId: string) {
    const b = this.bindings.get(callId) ?? {};
    const previous = b[party];
    if (previous && previous !== connId) this.connCalls.get(previous)?.delete(callId);
    b[party] = connId;
    this.bindings.set(callId, b);
    const set = this.connCalls.get(connId) ?? new Set();
    set.add(callId);
    this.connCalls.set(connId, set);
    this.clearTimer(this.graceTimers, `${callId}:${party}`);
  }

  private forget(callId: string) {
    for (const connId of Object.values(this.bindings.get(callId) ?? {})) this.connCalls.get(connId)?.delete(callId);
    this.bindings.delete(callId);
    this.calls.delete(callId);
    this.clearTimer(this.ringTimers, callId);
    this.clearTimer(this.graceTimers, `${callId}:caller`);
    this.clearTimer(this.graceTimers, `${callId}:callee`);
  }

  private clearTimer(map: Map<string, NodeJS.Timeout>, key: string) {
    const timer = map.get(key);
    if (timer) clearTimeout(timer);
    map.delete(key);
  }

  private armRingTimer(callId: string, deadline: Date) {
    this.clearTimer(this.ringTimers, callId);
    const delay = Math.max(0, deadline.getTime() - this.deps.clock.now().getTime()) + 50;
    const timer = setTimeout(() => {
      this.ringTimers.delete(callId);
      this.endBySystem(callId, { type: 'timeout' }).catch((err) =>
        this.log?.error({ err }, 'call ring timeout failed'),
      );
    }, delay);
    timer.unref();
    this.ringTimers.set(callId, timer);
  }

  private armGraceTimer(callId: string, party: CallParty) {
    const key = `${callId}:${party}`;
    if (this.graceTimers.has(key)) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(key);
      if (this.bindings.get(callId)?.[party]) return; // came back in time
      this.endBySystem(callId, { type: 'lost', party }).catch((err) =>
        this.log?.error({ err }, 'call reconnect grace failed'),
      );
    }, this.deps.config.reconnectGraceSeconds * 1000);
    timer.unref();
    this.graceTimers.set(key, timer);
  }

  private limit(map: Map<string, Bucket>, key: string, which: keyof typeof SIGNAL_LIMITS) {
    const r = takeToken(map.get(key), this.deps.clock.now().getTime(), SIGNAL_LIMITS[which]);
    map.set(key, r.bucket);
    if (!r.allowed) throw new AppError('CALL_RATE_LIMITED', { seconds: r.retryAfterSeconds });
  }

  // ——— state changes ———

  /**
   * Apply one event to a stored call under its row lock; on the end of the call, record the metadata, the audit
   * entry and the notices in the same transaction. Frames go out after the commit.
   */
  private async mutate(
    callId: string,
    who: { actor: Actor; requestId?: string } | null,
    eventFor: (party: CallParty | null, row: CallRow, trx: Queryable) => CallEvent | Promise<CallEvent>,
  ): Promise<{ row: CallRow; before: CallSnapshot; after: CallSnapshot; party: CallParty | null; changed: boolean }> {
    const { db, clock } = this.deps;
    const result = await db.transaction().execute(async (trx) => {
      const row = await repo.lockCall(trx, callId);
      if (!row) throw new AppError('CALL_NOT_FOUND');
      const party = who ? this.partyOf(row, who.actor.userId) : null;
      const before = repo.toSnapshot(row);
      const now = clock.now();
      const r = transition(before, await eventFor(party, row, trx), now.getTime());
      if (!r.ok) throw new AppError(r.error === 'CALL_NOT_DUE' ? 'CALL_STATE' : r.error);
      if (r.changed) {
        const after = r.call;
        const duration = callDurationSeconds(after);
        await repo.saveSnapshot(trx, callId, after, duration);
        if (after.state === 'ended') await this.recordEnd(trx, row, after, duration, who, now);
      }
      return { row, before, after: r.call, party, changed: r.changed };
    });
    const row: CallRow = {
      ...result.row,
      state: result.after.state,
      outcome: result.after.outcome,
      answered_at: result.after.answeredAt === null ? null : new Date(result.after.answeredAt),
      ended_at: result.after.endedAt === null ? null : new Date(result.after.endedAt),
    };
    if (result.after.state === 'ended') {
      if (result.changed) this.announceEnd(row, result.after);
      this.forget(callId);
    } else this.calls.set(callId, row);
    return { ...result, row };
  }

  private async recordEnd(
    trx: Queryable,
    row: CallRow,
    after: CallSnapshot,
    durationSeconds: number,
    who: { actor: Actor; requestId?: string } | null,
    now: Date,
  ) {
    await repo.settleIncomingNotice(trx, row.callee_id, row.id, now);
    if (after.outcome === 'missed' || after.outcome === 'busy')
      await this.deps.notices.create(trx, row.callee_id, 'call.missed', {
        consultationId: row.consultation_id,
        callId: row.id,
      });
    const fields = {
      subjectId: row.consultation_id,
      details: { callId: row.id, outcome: after.outcome, endedBy: after.endedBy, durationSeconds },
    };
    if (who) await auditBy(trx, who.actor, requestOf(who.requestId), 'call.ended', fields, now);
    else await auditBySystem(trx, 'call.ended', fields, now);
  }

  private announceEnd(row: CallRow, after: CallSnapshot) {
    const frame: CallServerFrame = {
      type: 'call.ended',
      callId: row.id,
      consultationId: row.consultation_id,
      outcome: after.outcome!,
      declineReason: after.declineReason,
      endedBy: after.endedBy,
      durationSeconds: callDurationSeconds(after),
    };
    // Every device of both people: ringing phones stop, the call screens close.
    this.toUser(row.caller_id, row.consultation_id, frame);
    this.toUser(row.callee_id, row.consultation_id, frame);
  }

  private async endBySystem(callId: string, event: CallEvent) {
    try {
      await this.mutate(callId, null, () => event);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'CALL_STATE' || err.code === 'CALL_NOT_FOUND')) return;
      throw err;
    }
  }

  // ——— the signalling frames ———

  async invite(ctx: CallContext, consultationId: string, media: CallMedia): Promise<void> {
    const { db, clock } = this.deps;
    this.limit(this.inviteBuckets, ctx.actor.userId, 'invite');
    const callId = crypto.randomUUID();
    const created = await db.transaction().execute(async (trx) => {
      const consultation = await repo.consultationForParticipant(trx, consultationId, ctx.actor.userId);
      if (!consultation) throw new AppError('CONSULTATION_NOT_FOUND');
      if (consultation.status !== 'active') throw new AppError('CALL_CONSULTATION_NOT_ACTIVE');
      const calleeId = consultation.doctor_id === ctx.actor.userId ? consultation.patient_id : consultation.doctor_id;
      await repo.lockPeople(trx, [ctx.actor.userId, calleeId]);
      if ((await repo.openCallsOf(trx, ctx.actor.userId)).length > 0) throw new AppError('CALL_ALREADY_IN_CALL');
      const busy = (await repo.openCallsOf(trx, calleeId)).length > 0;
      const now = clock.now();
      const call = startCall({ media, now: now.getTime(), busy, ringMs: this.ringMs });
      const row: CallRow = {
        id: callId,
        consultation_id: consultationId,
        caller_id: ctx.actor.userId,
        callee_id: calleeId,
        media,
        state: call.state,
        outcome: call.outcome,
        decline_reason: null,
        ended_by: call.endedBy,
        started_at: now,
        ring_deadline: new Date(call.ringDeadline),
        answered_at: null,
        ended_at: call.endedAt === null ? null : new Date(call.endedAt),
        duration_seconds: 0,
      };
      await repo.insertCall(trx, row);
      await auditBy(
        trx,
        ctx.actor,
        requestOf(ctx.requestId),
        'call.started',
        { subjectId: consultationId, details: { callId, media } },
        now,
      );
      if (call.state === 'ended') await this.recordEnd(trx, row, call, 0, null, now);
      else await this.deps.notices.create(trx, calleeId, 'call.incoming', { consultationId, callId: row.id });
      return { row, call, callerRole: consultation.doctor_id === ctx.actor.userId ? 'doctor' : 'patient' } as const;
    });
    const { row, call } = created;
    if (call.state === 'ended') {
      this.toConn(ctx.connId, {
        type: 'call.ended',
        callId,
        consultationId,
        outcome: 'busy',
        declineReason: null,
        endedBy: 'system',
        durationSeconds: 0,
      });
      return;
    }
    this.calls.set(callId, row);
    this.bind(callId, 'caller', ctx.connId);
    this.armRingTimer(callId, row.ring_deadline);
    const ringDeadline = row.ring_deadline.toISOString();
    this.toConn(ctx.connId, { type: 'call.created', callId, consultationId, media, ringDeadline });
    this.toUser(row.callee_id, consultationId, {
      type: 'call.incoming',
      callId,
      consultationId,
      media,
      callerRole: created.callerRole,
      ringDeadline,
    });
  }

  async ring(ctx: CallContext, callId: string): Promise<void> {
    const r = await this.mutate(callId, ctx, (party) => ({ type: 'ring', by: party! }));
    if (r.changed) this.toConn(this.bindings.get(callId)?.caller, { type: 'call.ringing', callId });
  }

  async accept(ctx: CallContext, callId: string): Promise<void> {
    const r = await this.mutate(callId, ctx, async (party, row, trx) => {
      const consultation = await repo.consultationForParticipant(trx, row.consultation_id, ctx.actor.userId);
      if (consultation?.status !== 'active') return { type: 'close' };
      return { type: 'accept', by: party! };
    });
    if (r.after.state !== 'active') {
      // Too late (missed) or the consultation closed meanwhile: the end was announced to both.
      throw new AppError(r.after.outcome === 'missed' ? 'CALL_STATE' : 'CALL_CONSULTATION_NOT_ACTIVE');
    }
    this.clearTimer(this.ringTimers, callId);
    this.bind(callId, 'callee', ctx.connId);
    await repo.settleIncomingNotice(this.deps.db, r.row.callee_id, callId, this.deps.clock.now());
    const now = this.deps.clock.now();
    const base = { type: 'call.accepted', callId, consultationId: r.row.consultation_id, media: r.row.media } as const;
    this.toConn(this.bindings.get(callId)?.caller, {
      ...base,
      role: 'caller',
      ice: iceConfigFor(this.deps.config, callId, now),
    });
    this.toConn(ctx.connId, {
      ...base,
      role: 'callee',
      ice: iceConfigFor(this.deps.config, callId, now),
    });
    this.toUser(r.row.callee_id, r.row.consultation_id, { type: 'call.taken', callId });
  }

  async decline(ctx: CallContext, callId: string, reason: DeclineReason | undefined): Promise<void> {
    await this.mutate(callId, ctx, (party) => ({ type: 'decline', by: party!, reason: reason ?? null }));
  }

  async cancel(ctx: CallContext, callId: string): Promise<void> {
    await this.mutate(callId, ctx, (party) => ({ type: 'cancel', by: party! }));
  }

  async hangup(ctx: CallContext, callId: string, failed = false): Promise<void> {
    await this.mutate(callId, ctx, (party) => ({ type: 'hangup', by: party!, failed }));
  }

  /** Offer, answer, candidate or restart request: checked, then relayed to the other device only. Never stored. */
  async relay(ctx: CallContext, frame: RelayFrame): Promise<void> {
    this.limit(this.signalBuckets, ctx.connId, 'signal');
    if ((frame.type === 'call.offer' || frame.type === 'call.answer') && frame.sdp.length > CALL_RULES.maxSdpChars)
      throw new AppError('CALL_SIGNAL_TOO_LARGE', { limit: CALL_RULES.maxSdpChars });
    if (frame.type === 'call.candidate' && frame.candidate.length > CALL_RULES.maxCandidateChars)
      throw new AppError('CALL_SIGNAL_TOO_LARGE', { limit: CALL_RULES.maxCandidateChars });
    const row = this.calls.get(frame.callId) ?? (await repo.findCall(this.deps.db, frame.callId));
    if (!row) throw new AppError('CALL_NOT_FOUND');
    const party = this.partyOf(row, ctx.actor.userId);
    const refused = canSignal(repo.toSnapshot(row), party, SIGNAL_KIND[frame.type]);
    if (refused) throw new AppError(refused);
    const binding = this.bindings.get(frame.callId);
    // Only the device that called or answered speaks for its side (not another tab or phone of the same person).
    if (binding?.[party] !== ctx.connId) throw new AppError('CALL_NOT_ALLOWED');
    const target = binding[other(party)];
    let out: CallServerFrame;
    if (frame.type === 'call.offer')
      out = { type: 'call.offer', callId: frame.callId, sdp: frame.sdp, restart: frame.restart ?? false };
    else if (frame.type === 'call.answer') out = { type: 'call.answer', callId: frame.callId, sdp: frame.sdp };
    else if (frame.type === 'call.candidate')
      out = {
        type: 'call.candidate',
        callId: frame.callId,
        candidate: frame.candidate,
        sdpMid: frame.sdpMid,
        sdpMLineIndex: frame.sdpMLineIndex,
      };
    else out = { type: 'call.restart', callId: frame.callId };
    // The other side is reconnecting: nothing to deliver to; it asks for an ICE restart when it is back.
    this.toConn(target, out);
  }

  /** After a reconnect, this connection carries the participant's side of the call again. */
  async resume(ctx: CallContext, callId: string): Promise<void> {
    this.limit(this.signalBuckets, ctx.connId, 'signal');
    const row = await repo.findCall(this.deps.db, callId);
    if (!row) throw new AppError('CALL_NOT_FOUND');
    const party = this.partyOf(row, ctx.actor.userId);
    const snapshot = repo.toSnapshot(row);
    if (snapshot.state === 'ended') {
      this.toConn(ctx.connId, {
        type: 'call.ended',
        callId,
        consultationId: row.consultation_id,
        outcome: snapshot.outcome!,
        declineReason: snapshot.declineReason,
        endedBy: snapshot.endedBy,
        durationSeconds: row.duration_seconds,
      });
      return;
    }
    if (snapshot.state !== 'active' && party === 'callee') throw new AppError('CALL_STATE');
    this.calls.set(callId, row);
    this.bind(callId, party, ctx.connId);
    const ice = iceConfigFor(this.deps.config, callId, this.deps.clock.now());
    this.toConn(ctx.connId, { type: 'call.resumed', callId, party, ice });
    this.toConn(this.bindings.get(callId)?.[other(party)], {
      type: 'call.resumed',
      callId,
      party,
    });
  }

  /** A WebSocket opened: frames for this connection are handed to `send`. */
  connectionOpened(ctx: CallContext, send: (frame: CallServerFrame) => void): void {
    this.connections.set(ctx.connId, send);
  }

  /**
   * A WebSocket closed. Closed on purpose (page closed or left: 1000/1001) the call ends now; dropped (network),
   * the participant has the reconnect grace period to come back with `call.resume`.
   */
  connectionClosed(ctx: CallContext, graceful: boolean): void {
    this.connections.delete(ctx.connId);
    this.signalBuckets.delete(ctx.connId);
    const callIds = [...(this.connCalls.get(ctx.connId) ?? [])];
    this.connCalls.delete(ctx.connId);
    for (const callId of callIds) {
      const binding = this.bindings.get(callId);
      const party = binding?.caller === ctx.connId ? 'caller' : binding?.callee === ctx.connId ? 'callee' : null;
      if (!binding || !party) continue;
      delete binding[party];
      if (graceful)
        this.hangup(ctx, callId).catch((err) => {
          if (!(err instanceof AppError)) this.log?.error({ err }, 'ending a call on close failed');
        });
      else this.armGraceTimer(callId, party);
    }
  }

  /** The consultation is no longer active: its open call ends. */
  async consultationClosed(consultationId: string): Promise<void> {
    const open = await repo.openCallsOfConsultation(this.deps.db, consultationId);
    for (const { id } of open) await this.endBySystem(id, { type: 'close' });
  }

  /**
   * Ends every call whose ring deadline has passed (missed) and every open call of a consultation that closed.
   * Runs at start (calls left ringing by a stopped server), every few seconds, and from tests with a fake clock.
   */
  async sweep(): Promise<number> {
    const { db, clock } = this.deps;
    const overdue = await repo.overdueRinging(db, clock.now());
    for (const { id } of overdue) await this.endBySystem(id, { type: 'timeout' });
    const closed = await repo.openInClosedConsultations(db);
    for (const { id } of closed) await this.endBySystem(id, { type: 'close' });
    return overdue.length + closed.length;
  }

  /** At server start: sweep, and give calls that were open when the server stopped the grace period to resume. */
  async start(log?: Pick<Logger, 'warn' | 'error' | 'info'>): Promise<void> {
    this.log = log ?? this.log;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweep();
    for (const row of await repo.openCalls(this.deps.db)) {
      const b = this.bindings.get(row.id);
      if (!b?.caller) this.armGraceTimer(row.id, 'caller');
      if (row.state === 'active' && !b?.callee) this.armGraceTimer(row.id, 'callee');
      if (row.state !== 'active') this.armRingTimer(row.id, new Date(row.ring_deadline));
    }
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((err) => this.log?.error({ err }, 'call sweep failed'));
    }, 10_000);
    this.sweepTimer.unref();
  }

  stop(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const t of this.ringTimers.values()) clearTimeout(t);
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.ringTimers.clear();
    this.graceTimers.clear();
  }

  // ——— HTTP ———

  /** The consultation's calls, for its timeline: metadata only. */
  async list(actor: Actor, consultationId: string): Promise<CallRecord[]> {
    const consultation = await repo.consultationForParticipant(this.deps.db, consultationId, actor.userId);
    if (!consultation) throw new AppError('CONSULTATION_NOT_FOUND');
    const rows = await repo.callsOfConsultation(this.deps.db, consultationId);
    const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
    return rows.map((r) => ({
      id: r.id,
      media: r.media,
      callerId: r.caller_id,
      calleeId: r.callee_id,
      callerRole: r.caller_id === consultation.doctor_id ? 'doctor' : 'patient',
      state: r.state,
      outcome: r.outcome,
      declineReason: r.decline_reason,
      startedAt: iso(r.started_at)!,
      answeredAt: iso(r.answered_at),
      endedAt: iso(r.ended_at),
      durationSeconds: r.duration_seconds,
    }));
  }

  /** Fresh ICE configuration (TURN credentials) for a participant of an open call, e.g. before an ICE restart. */
  async iceFor(actor: Actor, callId: string): Promise<IceConfig> {
    const row = await repo.findCall(this.deps.db, callId);
    if (!row) throw new AppError('CALL_NOT_FOUND');
    const party = this.partyOf(row, actor.userId);
    // The callee gets credentials only once they answered; nobody gets them for a call that is over.
    if (row.state === 'ended' || (party === 'callee' && row.state !== 'active')) throw new AppError('CALL_STATE');
    return iceConfigFor(this.deps.config, callId, this.deps.clock.now());
  }
}

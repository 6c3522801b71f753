import type { MessageAck, MessageKind } from '@anxin/contracts';
import type { Db, Queryable, Tx } from '../../db/database.js';
import type { KeyStore, WrappedKey } from '../../crypto/key-store.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { BusEvent, MessageBus } from '../../realtime/bus.js';
import type { NoticeService } from '../notices/notices.service.js';
import type { Actor } from '../identity/identity.service.js';
import * as repo from './consultations.repo.js';
import type { JustStored } from './just-stored.js';
import type { MediaStore } from './media.store.js';

export type StoredFile = Awaited<ReturnType<MediaStore['write']>>[number];

/** Each message is sealed under its consultation's key, bound to its place in the conversation. */
export const messageField = (consultationId: string, seq: number) => ({
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
 * Writes messages (CON-1). A message is acknowledged only after its insert committed; the sequence number is
 * assigned under a row lock on the consultation inside that transaction (or checked by the append statement), so
 * numbers are gap-free and in commit order; a client id makes resending safe (the same message comes back, never a
 * second copy).
 */
export class MessageWriter {
  /** Messages waiting to be written, in arrival order; the consultations being written; writes in flight. */
  private waiting: PendingMessage[] = [];
  private readonly writing = new Set<string>();
  private writes = 0;
  /** See WriteHint. */
  private readonly hints = new Map<string, WriteHint>();

  constructor(
    private readonly deps: {
      db: Db;
      keys: KeyStore;
      clock: Clock;
      bus: MessageBus;
      notices: NoticeService;
      /** Inspectors of stored text messages (see MessageInspector). */
      inspectors?: MessageInspector[];
    },
    private readonly justStored: JustStored,
  ) {}

  /**
   * Group commit: up to WRITERS writes run at once, each taking whatever waits for consultations not being written,
   * whichever they are: one append statement (alone when nothing else must be written with it, see appendAlone;
   * else in one transaction with the notices and the inspectors' records) and one commit (one WAL flush) for the
   * lot. Each message is still acknowledged only after its own commit, and numbered under its consultation's row
   * lock; a consultation is in one write at a time, so its messages are numbered in arrival order.
   */
  store(
    actor: Actor,
    id: string,
    msg: { clientId: string; kind: MessageKind; text: string; files: StoredFile[] },
  ): Promise<MessageAck> {
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
      if (!outcome.ack.duplicate && item.msg.kind === 'text') this.justStored.remember(item, outcome);
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
}

import type { MessageKind, MessagePage } from '@anxin/contracts';
import type { Db, Queryable } from '../../db/database.js';
import type { KeyStore, WrappedKey } from '../../crypto/key-store.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../identity/identity.service.js';
import * as repo from './consultations.repo.js';
import type { JustStored } from './just-stored.js';
import { messageField, userTopic } from './message-writer.js';

/** Reads messages for their participants: catch-up pages and live delivery, decrypted with the consultation's keys. */
export class MessageReader {
  constructor(
    private readonly deps: { db: Db; keys: KeyStore },
    private readonly justStored: JustStored,
  ) {}

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
      const message = this.justStored.find(topic, item.consultationId, item.seq, now);
      if (message) fromMemory.set(item.consultationId, [...(fromMemory.get(item.consultationId) ?? []), message]);
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
}

import type { Message, MessageAck } from '@anxin/contracts';
import type { BusEvent } from '../../realtime/bus.js';

/** How many just-stored text messages are kept for live delivery, and for how long (ms). */
const JUST_STORED_MAX = 10_000;
const JUST_STORED_MS = 5_000;

/**
 * Text messages this process has just stored, for their live delivery to the recipient it announced them to:
 * saves the read-back round trip. Keyed by recipient topic, consultation and seq, so only the socket the bus event
 * was meant for can use an entry. In memory only (never on the bus), a few seconds, a bounded number.
 */
export class JustStored {
  private readonly entries = new Map<string, { message: Message; at: number }>();

  remember(
    item: { id: string; actor: { userId: string }; msg: { clientId: string; text: string } },
    outcome: { ack: MessageAck; events: { topic: string; event: BusEvent }[] },
  ): void {
    const now = Date.now();
    for (const { topic, event } of outcome.events) {
      if (event.type !== 'message' || event.seq !== outcome.ack.seq) continue;
      this.entries.set(`${topic}|${item.id}:${event.seq}`, {
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
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= JUST_STORED_MAX && now - entry.at <= JUST_STORED_MS) break;
      this.entries.delete(key);
    }
  }

  /** The text message with this seq announced to `topic`, if this process stored it in the last few seconds. */
  find(topic: string, consultationId: string, seq: number, now = Date.now()): Message | undefined {
    const entry = this.entries.get(`${topic}|${consultationId}:${seq}`);
    return entry && now - entry.at <= JUST_STORED_MS ? entry.message : undefined;
  }
}

/**
 * Fan-out of events (new message, read receipt, status change) to whoever is connected. One server: in-process.
 * Several instances on one database: `PgBus` (pg-bus.ts, PostgreSQL LISTEN/NOTIFY, `ANXIN_BUS=postgres`); Redis
 * pub/sub is the later step (see docs/decisions/0006). Events carry ids and sequence numbers only, never message
 * content: receivers fetch content through the authorised API.
 */
/** What happened, by kind: ids, sequence numbers and states only. */
export type BusEvent =
  /** A message was stored (CON-1); receivers read it through the participant check. */
  | { type: 'message'; consultationId: string; seq: number }
  /** A participant read up to `seq`. */
  | { type: 'read'; consultationId: string; seq: number; userId: string }
  /** A consultation changed state (requested, active, ended, declined). */
  | { type: 'status'; consultationId: string; status: string }
  /** A crisis signal (CON-4): the escalation's id only; its severity is read through the authorised path. */
  | { type: 'crisis'; consultationId: string; escalationId: string }
  /**
   * Call events for all devices of a person (CON-2, features/calls: incoming, answered elsewhere, ended): ids and
   * outcomes only. Session descriptions and ICE candidates never travel on the bus.
   */
  | { type: 'call'; consultationId: string; call: { type: `call.${string}` } & Record<string, unknown> }
  /** The session ended (sign-out, revocation): its sockets close at once. On `sessionTopic` only. */
  | { type: 'session.ended' };

export interface MessageBus {
  publish(topic: string, event: BusEvent): Promise<void>;
  subscribe(topic: string, handler: (event: BusEvent) => void): () => void;
}

/** Topic on which the end of a session is announced, so its sockets close at once. */
export const sessionTopic = (sessionId: string) => `session:${sessionId}`;

export class InProcessBus implements MessageBus {
  private readonly handlers = new Map<string, Set<(event: BusEvent) => void>>();

  async publish(topic: string, event: BusEvent): Promise<void> {
    for (const handler of this.handlers.get(topic) ?? []) handler(event);
  }

  subscribe(topic: string, handler: (event: BusEvent) => void): () => void {
    const set = this.handlers.get(topic) ?? new Set();
    set.add(handler);
    this.handlers.set(topic, set);
    return () => set.delete(handler);
  }
}

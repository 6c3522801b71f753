/**
 * Fan-out of events (new message, read receipt, status change) to whoever is connected. One server: in-process.
 * Several instances on one database: `PgBus` (pg-bus.ts, PostgreSQL LISTEN/NOTIFY, `ANXIN_BUS=postgres`); Redis
 * pub/sub is the later step (see docs/decisions/0006). Events carry ids and sequence numbers only, never message
 * content: receivers fetch content through the authorised API.
 */
export interface BusEvent {
  type: 'message' | 'read' | 'status' | 'call' | 'crisis';
  consultationId: string;
  seq?: number;
  userId?: string;
  status?: string;
  /** `crisis` events (CON-4): the escalation's id only; its severity is read through the authorised path. */
  escalationId?: string;
  /**
   * Call events for all devices of a person (CON-2, features/calls: incoming, answered elsewhere, ended): ids and
   * outcomes only. Session descriptions and ICE candidates never travel on the bus.
   */
  call?: { type: `call.${string}` } & Record<string, unknown>;
}

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

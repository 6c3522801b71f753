import crypto from 'node:crypto';
import pg from 'pg';
import type { BusEvent, MessageBus } from './bus.js';

/** The one channel every instance listens on; the topic travels in the payload. */
export const BUS_CHANNEL = 'anxin_bus';

/** What goes through PostgreSQL: the sending instance, a counter, the topic and the id-only event. */
interface Envelope {
  i: string;
  n: number;
  t: string;
  e: BusEvent;
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; ours are ids and numbers (about 200 bytes). */
const MAX_PAYLOAD = 7900;

interface BusLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * MessageBus over PostgreSQL LISTEN/NOTIFY, for several server instances on one database (no new infrastructure).
 *
 * - One channel (`anxin_bus`) with the topic in the payload, not a channel per topic: topics are per user and per
 *   session, so per-topic channels would cost a LISTEN/UNLISTEN round trip on every socket open and close, and
 *   channel names are identifiers limited to 63 bytes. Every instance receives every event and keeps those it has
 *   subscribers for: events are about 200 bytes, so this is cheap for the few instances one database serves.
 * - Subscribers in this process get the event at once, without the round trip; notifications coming back from
 *   our own instance are skipped (the instance id is in the payload).
 * - Publishing: events are queued and sent in batches (`select pg_notify(…) from unnest(…)`), one batch at a time,
 *   so they leave in publish order; PostgreSQL delivers notifications in commit order. `publish` resolves once its
 *   batch is sent. A failed send is logged and dropped, never thrown at the caller: the message itself is already
 *   committed and a receiver catches up with `sync`.
 * - Listening: one dedicated connection per process, re-checked every `heartbeatMs`, and re-opened with exponential
 *   backoff (with jitter) when it drops. Events published by other instances while it is down are not replayed:
 *   clients catch up with `sync` after reconnecting, and sockets whose session ended meanwhile are closed by the
 *   periodic session check at the latest.
 * - Payloads carry ids and sequence numbers only (BusEvent), never content: nothing in PostgreSQL's notification
 *   queue is health data.
 */
export class PgBus implements MessageBus {
  private readonly handlers = new Map<string, Set<(event: BusEvent) => void>>();
  private readonly instance = crypto.randomBytes(8).toString('hex');
  private counter = 0;
  private readonly sender: pg.Pool;
  private listener: pg.Client | null = null;
  private attempt = 0;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private queue: { payload: string; done: () => void }[] = [];
  private flushing = false;

  constructor(
    private readonly opts: {
      connectionString: string;
      log?: BusLog;
      backoff?: { minMs: number; maxMs: number };
      heartbeatMs?: number;
    },
  ) {
    this.sender = new pg.Pool({
      connectionString: opts.connectionString,
      max: 1,
      application_name: 'anxin-bus-notify',
    });
    this.sender.on('error', (err) => opts.log?.warn({ err: err.message }, 'bus: notify connection closed'));
  }

  /** Opens the listening connection; resolves once LISTEN is in place (throws if the first attempt fails). */
  async start(): Promise<void> {
    await this.listen();
    this.heartbeat = setInterval(() => {
      const client = this.listener;
      if (!client) return;
      client.query('select 1').catch(() => this.dropListener(client));
    }, this.opts.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** Whether the listening connection is up (events from other instances arrive). */
  get listening(): boolean {
    return this.listener !== null;
  }

  async publish(topic: string, event: BusEvent): Promise<void> {
    for (const handler of this.handlers.get(topic) ?? []) handler(event);
    if (this.closed) return;
    const payload = JSON.stringify({ i: this.instance, n: ++this.counter, t: topic, e: event } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      this.opts.log?.warn({ topicKind: topic.split(':')[0], type: event.type }, 'bus: event too large, not sent');
      return;
    }
    await new Promise<void>((done) => {
      this.queue.push({ payload, done });
      if (!this.flushing) void this.flush();
    });
  }

  subscribe(topic: string, handler: (event: BusEvent) => void): () => void {
    const set = this.handlers.get(topic) ?? new Set();
    set.add(handler);
    this.handlers.set(topic, set);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(topic) === set) this.handlers.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => {});
    await this.sender.end().catch(() => {});
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.sender.query('select pg_notify($1, p) from unnest($2::text[]) as p', [
          BUS_CHANNEL,
          batch.map((b) => b.payload),
        ]);
      } catch (err) {
        this.opts.log?.warn({ err: (err as Error).message, events: batch.length }, 'bus: events not sent');
      }
      for (const b of batch) b.done();
    }
    this.flushing = false;
  }

  private deliver(payload: string | undefined) {
    if (!payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.i === this.instance) return;
    for (const handler of this.handlers.get(envelope.t) ?? []) handler(envelope.e);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      application_name: 'anxin-bus-listen',
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      if (msg.channel === BUS_CHANNEL) this.deliver(msg.payload);
    });
    // Only the connection in use is watched here; a failed attempt is handled by whoever called listen().
    const lost = () => {
      if (this.listener === client) this.dropListener(client);
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`listen ${BUS_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    if (this.attempt > 0) this.opts.log?.info({ attempts: this.attempt }, 'bus: listening again');
    this.attempt = 0;
  }

  private dropListener(client: pg.Client) {
    if (this.listener !== client) return;
    this.listener = null;
    this.opts.log?.warn({}, 'bus: listening connection lost, reconnecting');
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.closed || this.reconnectTimer || this.listener) return;
    const { minMs, maxMs } = this.opts.backoff ?? { minMs: 100, maxMs: 10_000 };
    const delay = Math.min(maxMs, minMs * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().catch(() => this.scheduleReconnect());
    }, delay);
  }
}

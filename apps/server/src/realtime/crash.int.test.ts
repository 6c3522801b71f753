import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, type TestApp } from '../../test/harness.js';
import { seedConsultations, type SeededConsultation, type SeededUser } from '../../test/seed-consultations.js';
import { startServerProcess, type ServerProcess } from '../../test/server-process.js';

/**
 * Crash reliability of messaging (CON-1): the real server as a child process, clients sending under load with
 * client ids, the server SIGKILLed several times mid-stream and restarted; clients reconnect and resend whatever was
 * not acknowledged, with the same client ids. Afterwards every message is stored exactly once, acknowledgements
 * match what is stored, sequence numbers are gap-free and in commit order, and every message decrypts to what was
 * sent.
 */

interface Outgoing {
  clientId: string;
  text: string;
  ackedSeq: number | null;
  duplicateAcks: number;
}

/**
 * A sender that behaves like the web client: keeps up to `window` messages in flight, reconnects after the
 * connection drops and resends everything not yet acknowledged, oldest first, with the same client ids.
 */
class ResendingSender {
  readonly outgoing: Outgoing[];
  private ws: WebSocket | null = null;
  private inFlight = new Set<string>();
  private stopped = false;
  connections = 0;
  /**
   * Pretend every `loseEvery`-th acknowledgement got lost on the way (as when a server dies between commit and
   * sending the ack): the message stays unacknowledged until the next reconnect resends it.
   */
  loseEvery = 0;
  private seen = 0;

  constructor(
    private readonly url: () => string,
    private readonly origin: () => string,
    private readonly user: SeededUser,
    private readonly consultationId: string,
    count: number,
    private readonly window: number,
    label: string,
  ) {
    this.outgoing = Array.from({ length: count }, (_, i) => ({
      clientId: crypto.randomUUID(),
      text: `${label} 第${i + 1}条：${crypto.randomBytes(6).toString('hex')}`,
      ackedSeq: null,
      duplicateAcks: 0,
    }));
  }

  get acked() {
    return this.outgoing.filter((o) => o.ackedSeq !== null).length;
  }

  get done() {
    return this.acked === this.outgoing.length;
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.ws?.terminate();
  }

  private connect() {
    if (this.stopped || this.done) return;
    const ws = new WebSocket(this.url(), { headers: { cookie: this.user.cookie, origin: this.origin() } });
    this.ws = ws;
    ws.on('open', () => {
      this.connections++;
      this.inFlight.clear();
      this.pump();
    });
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as {
        type: string;
        clientId?: string;
        seq?: number;
        duplicate?: boolean;
      };
      if (!frame.clientId || (frame.type !== 'ack' && frame.type !== 'error')) return;
      const out = this.outgoing.find((o) => o.clientId === frame.clientId);
      if (!out) return;
      // A lost acknowledgement: the message stays in flight (unconfirmed) until the connection is replaced.
      if (frame.type === 'ack' && this.loseEvery > 0 && !frame.duplicate && ++this.seen % this.loseEvery === 0) return;
      this.inFlight.delete(frame.clientId);
      if (frame.type === 'ack') {
        if (out.ackedSeq !== null && out.ackedSeq !== frame.seq)
          throw new Error(`client id acknowledged with two different seqs: ${out.ackedSeq} and ${frame.seq}`);
        out.ackedSeq = frame.seq!;
        if (frame.duplicate) out.duplicateAcks++;
      }
      // An error (e.g. the database going away under a dying server) leaves it unacknowledged: sent again later.
      this.pump();
    });
    const retry = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      setTimeout(() => this.connect(), 50);
    };
    ws.on('close', retry);
    ws.on('error', () => ws.terminate());
  }

  private pump() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    for (const out of this.outgoing) {
      if (this.inFlight.size >= this.window) break;
      if (out.ackedSeq !== null || this.inFlight.has(out.clientId)) continue;
      this.inFlight.add(out.clientId);
      ws.send(
        JSON.stringify({
          type: 'send',
          consultationId: this.consultationId,
          clientId: out.clientId,
          kind: 'text',
          text: out.text,
        }),
      );
    }
  }
}

let t: TestApp;
let consultations: SeededConsultation[];
let dataDir: string;
let server: ServerProcess | null = null;

beforeAll(async () => {
  t = await createTestApp();
  consultations = await seedConsultations({ app: t.app, db: t.db, sms: t.sms }, 3, 2);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-crash-'));
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const until = async (check: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('messaging survives server crashes', () => {
  it('CON-1: SIGKILLed three times under load, every acknowledged message is stored exactly once, gap-free, in order, and decrypts to what was sent', async () => {
    const start = () =>
      startServerProcess({ databaseUrl: t.dbUrl, dataDir, masterKey: t.masterKey, port: server?.port });
    server = await start();
    const url = () => `ws://127.0.0.1:${server!.port}/api/ws`;
    const origin = () => server!.url;
    // Patients pipeline (10 in flight), doctors send one at a time: both directions in each consultation.
    const senders = consultations.flatMap((c, i) => [
      new ResendingSender(url, origin, c.patient, c.id, 150, 10, `患者${i}`),
      new ResendingSender(url, origin, c.doctor, c.id, 30, 1, `医生${i}`),
    ]);
    const total = senders.reduce((n, s) => n + s.outgoing.length, 0);
    const acked = () => senders.reduce((n, s) => n + s.acked, 0);
    for (const [i, s] of senders.entries()) if (i % 2 === 0) s.loseEvery = 7;
    for (const s of senders) s.start();

    let kills = 0;
    for (const fraction of [0.15, 0.4, 0.65]) {
      await until(
        () => acked() >= total * fraction,
        30_000,
        `${fraction * 100}% acknowledged (${senders.map((s) => s.acked).join(', ')})\n${server.output()}`,
      );
      await server.kill();
      kills++;
      // Before the last restart, stop losing acknowledgements: everything still open is resent once more.
      if (kills === 3) for (const s of senders) s.loseEvery = 0;
      server = await start();
    }
    await until(() => senders.every((s) => s.done), 60_000, 'every message acknowledged');
    for (const s of senders) s.stop();
    await server.stop();
    server = null;

    expect(kills).toBe(3);
    // The senders really lost their connections and resent.
    expect(senders.every((s) => s.connections >= 2)).toBe(true);

    for (const [i, c] of consultations.entries()) {
      const mine = senders.slice(i * 2, i * 2 + 2);
      const sent = new Map(mine.flatMap((s) => s.outgoing.map((o) => [o.clientId, o] as const)));
      const rows = await t.db
        .selectFrom('messages')
        .select(['seq', 'client_id', 'created_at'])
        .where('consultation_id', '=', c.id)
        .orderBy('seq')
        .execute();
      // Exactly once: one row per message sent, no row for anything not sent.
      expect(rows.length).toBe(sent.size);
      expect(new Set(rows.map((r) => r.client_id)).size).toBe(sent.size);
      // Gap-free from 1, and in commit order.
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: sent.size }, (_, k) => k + 1));
      for (let k = 1; k < rows.length; k++)
        expect(new Date(rows[k]!.created_at).getTime()).toBeGreaterThanOrEqual(
          new Date(rows[k - 1]!.created_at).getTime(),
        );
      // What was acknowledged is what is stored.
      for (const r of rows) expect(sent.get(r.client_id)?.ackedSeq).toBe(Number(r.seq));
      // The doctor sent one at a time: their messages are stored in the order they were sent.
      const doctorOrder = rows.filter((r) => mine[1]!.outgoing.some((o) => o.clientId === r.client_id));
      expect(doctorOrder.map((r) => r.client_id)).toEqual(mine[1]!.outgoing.map((o) => o.clientId));
      // Everything decrypts, through the authorised API, to exactly what was sent.
      const stored: Array<{ seq: number; clientId: string; text: string }> = [];
      for (let after = 0; stored.length < rows.length;) {
        const page = (
          await get(t, `/api/consultations/${c.id}/messages?after=${after}&limit=500`, c.patient.cookie)
        ).json();
        expect(page.messages.length).toBeGreaterThan(0);
        stored.push(...page.messages);
        after = stored[stored.length - 1]!.seq;
      }
      for (const m of stored) expect(m.text).toBe(sent.get(m.clientId)!.text);
    }
    // Messages stored but not acknowledged (lost acks) were resent after a reconnect and answered as duplicates,
    // with their original sequence number (checked above).
    const duplicates = senders.reduce((n, s) => n + s.outgoing.filter((o) => o.duplicateAcks > 0).length, 0);
    expect(duplicates).toBeGreaterThan(0);
  }, 180_000);
});

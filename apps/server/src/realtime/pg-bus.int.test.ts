import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import type { ServerFrame } from '@anxin/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { createDb, type Db } from '../db/database.js';
import { FakeClock } from '../platform/clock.js';
import { ConsoleSmsProvider } from '../features/identity/sms/console-sms.js';
import { createTestDatabase, ORIGIN } from '../../test/harness.js';
import { seedConsultations, type SeededConsultation } from '../../test/seed-consultations.js';
import { BUS_CHANNEL, PgBus } from './pg-bus.js';
import type { BusEvent } from './bus.js';

/** Two app instances on one database, each with its own PgBus, as two servers behind a load balancer would be. */
interface Instance {
  app: FastifyInstance;
  bus: PgBus;
  db: Db;
  base: string;
  sms: ConsoleSmsProvider;
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;
let a: Instance;
let b: Instance;
const masterKey = crypto.randomBytes(32);
const clock = new FakeClock(new Date());

async function instance(): Promise<Instance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    ANXIN_DATA_DIR: dataDir,
    ANXIN_PUBLIC_URL: ORIGIN,
    ANXIN_BUS: 'postgres',
  });
  expect(config.bus).toBe('postgres');
  const db = createDb(database.url, 5);
  const bus = new PgBus({ connectionString: database.url, backoff: { minMs: 20, maxMs: 200 }, heartbeatMs: 500 });
  await bus.start();
  const sms = new ConsoleSmsProvider(() => {});
  const app = await buildApp({ config, db, masterKey, sms, clock, bus }, { logger: false });
  await app.services.policy.ensurePublished();
  const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  return { app, bus, db, base, sms };
}

async function connect(at: Instance, cookie: string) {
  const ws = new WebSocket(`${at.base.replace('http', 'ws')}/api/ws`, { headers: { cookie, origin: at.base } });
  const frames: ServerFrame[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  const closed = new Promise<{ code: number; at: number }>((resolve) =>
    ws.on('close', (code) => resolve({ code, at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async (pred: (f: ServerFrame) => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = frames.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
  };
  await waitFor((f) => f.type === 'hello');
  return { ws, frames, closed, waitFor, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
}

async function fresh(): Promise<SeededConsultation> {
  return (await seedConsultations({ app: a.app, db: a.db, sms: a.sms, origin: ORIGIN }, 1))[0]!;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-pgbus-'));
  a = await instance();
  b = await instance();
}, 60_000);

afterAll(async () => {
  for (const i of [a, b]) {
    if (!i) continue;
    await i.app.close();
    await i.bus.close();
    await i.db.destroy();
  }
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('PgBus: realtime events across instances (PostgreSQL LISTEN/NOTIFY)', () => {
  it('CON-1: a message sent through instance A reaches the recipient’s socket on instance B, and the notification carries no content', async () => {
    const c = await fresh();
    const tap = new pg.Client({ connectionString: database.url });
    await tap.connect();
    const payloads: string[] = [];
    tap.on('notification', (n) => payloads.push(n.payload ?? ''));
    await tap.query(`listen ${BUS_CHANNEL}`);

    const doctorOnB = await connect(b, c.doctor.cookie);
    const patientOnA = await connect(a, c.patient.cookie);
    const text = `医生，B 实例能收到吗？${crypto.randomUUID()}`;
    const clientId = crypto.randomUUID();
    patientOnA.send({ type: 'send', consultationId: c.id, clientId, kind: 'text', text });
    expect(await patientOnA.waitFor((f) => f.type === 'ack')).toMatchObject({ clientId, seq: 1 });
    expect(await doctorOnB.waitFor((f) => f.type === 'message')).toMatchObject({
      consultationId: c.id,
      message: { seq: 1, clientId, text, senderId: c.patient.id },
    });
    // Read receipts travel back the other way.
    doctorOnB.send({ type: 'read', consultationId: c.id, seq: 1 });
    expect(await patientOnA.waitFor((f) => f.type === 'read')).toMatchObject({ seq: 1, userId: c.doctor.id });

    await new Promise((r) => setTimeout(r, 50));
    expect(payloads.length).toBeGreaterThanOrEqual(2);
    expect(payloads.map((p) => JSON.parse(p).e)).toContainEqual({ type: 'message', consultationId: c.id, seq: 1 });
    for (const p of payloads) expect(p).not.toContain(text.slice(0, 6));
    await tap.end();
    doctorOnB.ws.close();
    patientOnA.ws.close();
  });

  it('ACC-4: signing out through instance A closes that session’s socket on instance B within a second', async () => {
    const c = await fresh();
    const onB = await connect(b, c.patient.cookie);
    const before = Date.now();
    const res = await a.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie: c.patient.cookie, origin: ORIGIN },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    const closed = await onB.closed;
    expect(closed.code).toBe(4401);
    expect(closed.at - before).toBeLessThan(1000);
  });

  it('CON-1: when its listening connection is cut, the bus reconnects (with backoff) and events flow again', async () => {
    const c = await fresh();
    const doctorOnB = await connect(b, c.doctor.cookie);
    const patientOnA = await connect(a, c.patient.cookie);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const killed = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'anxin-bus-listen' and datname = current_database()`,
    );
    await admin.end();
    expect(killed.rowCount).toBe(2);
    // Probe until an event published on A arrives on B again (B's listener had to notice and reconnect).
    const got: BusEvent[] = [];
    const off = b.bus.subscribe('probe', (e) => got.push(e));
    const end = Date.now() + 5000;
    while (got.length === 0 && Date.now() < end) {
      await a.bus.publish('probe', { type: 'status', consultationId: '', status: 'probe' });
      await new Promise((r) => setTimeout(r, 50));
    }
    off();
    expect(got.length).toBeGreaterThan(0);
    while (!a.bus.listening && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(a.bus.listening && b.bus.listening).toBe(true);
    const clientId = crypto.randomUUID();
    patientOnA.send({ type: 'send', consultationId: c.id, clientId, kind: 'text', text: '断线重连之后' });
    expect(await doctorOnB.waitFor((f) => f.type === 'message', 5000)).toMatchObject({
      message: { clientId, text: '断线重连之后' },
    });
    doctorOnB.ws.close();
    patientOnA.ws.close();
  });

  it('ANXIN_BUS accepts only in-process (the default) or postgres', () => {
    expect(loadConfig({}).bus).toBe('in-process');
    expect(() => loadConfig({ ANXIN_BUS: 'redis' })).toThrow(ConfigError);
  });
});

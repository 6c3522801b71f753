/**
 * npm run bench:im — text messaging over the WebSocket (CON-1). The real server (`main.ts`, its own process)
 * against a baseline measured in the same run on the same PostgreSQL: a raw `ws` server doing one raw INSERT per
 * message and forwarding the frame (bench/raw-ws-server.ts, also its own process). Patients send, their doctors
 * receive. Two measurements each:
 *
 *  - closed loop: BENCH_CONSULTATIONS (50) consultations, each keeping BENCH_WINDOW (10) messages in flight →
 *    acknowledged messages per second (acknowledged = stored and committed) and delivered messages per second;
 *  - open loop: a steady BENCH_RATE (500) messages per second → send-to-receive latency (sender's socket to the
 *    recipient's socket), p50, p90 and p99, and the send-to-ack latency. Goal: the product's receive p99 within
 *    1.5× of the raw server's, measured in the same round.
 *
 * The load generator runs in this process on the same 2 cores as both servers and PostgreSQL, so all figures are
 * lower than on a dedicated machine; the ratios are what to compare between commits. BENCH_ROUNDS repeats the
 * measurements and prints the spread.
 */
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createDb } from '../apps/server/src/db/database.js';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { systemClock } from '../apps/server/src/platform/clock.js';
import { ConsoleSmsProvider } from '../apps/server/src/features/identity/sms/console-sms.js';
import { seedConsultations, type SeededConsultation, type SeededUser } from '../apps/server/test/seed-consultations.js';
import { startServerProcess } from '../apps/server/test/server-process.js';

const CONSULTATIONS = Number(process.env.BENCH_CONSULTATIONS ?? 50);
const DOCTORS = Number(process.env.BENCH_DOCTORS ?? 10);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10);
const CLOSED_MS = Number(process.env.BENCH_MS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const OPEN_MS = Number(process.env.BENCH_OPEN_MS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const TEXT = '医生您好，昨晚又是凌晨三点才睡着，白天头很沉，药要不要调整？';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Target {
  name: string;
  connect(user: SeededUser): Promise<WebSocket>;
}

type Frame =
  | { type: 'ack'; clientId: string }
  | { type: 'message'; consultationId: string; message: { clientId: string } }
  | { type: 'error'; code: string; message: string; clientId?: string }
  | { type: string };

/** One set of sockets per measurement: a socket per patient (sender) and per doctor (receiver). */
async function openSockets(target: Target, consultations: SeededConsultation[]) {
  const onAck = new Map<string, () => void>();
  const onDeliver = new Map<string, () => void>();
  const errors: string[] = [];
  const handle = (raw: WebSocket.RawData) => {
    const frame = JSON.parse(raw.toString()) as Frame;
    if (frame.type === 'ack') {
      const id = (frame as { clientId: string }).clientId;
      onAck.get(id)?.();
      onAck.delete(id);
    } else if (frame.type === 'message') {
      const id = (frame as { message: { clientId: string } }).message.clientId;
      onDeliver.get(id)?.();
      onDeliver.delete(id);
    } else if (frame.type === 'error') {
      const f = frame as { code: string; clientId?: string };
      errors.push(f.code);
      if (f.clientId) {
        onAck.get(f.clientId)?.();
        onAck.delete(f.clientId);
        onDeliver.delete(f.clientId);
      }
    }
  };
  const doctorIds = [...new Set(consultations.map((c) => c.doctor.id))];
  const doctors = await Promise.all(
    doctorIds.map((id) => target.connect(consultations.find((c) => c.doctor.id === id)!.doctor)),
  );
  const patients = await Promise.all(consultations.map((c) => target.connect(c.patient)));
  for (const ws of [...doctors, ...patients]) ws.on('message', handle);
  return {
    /** Sends one message; `acked` and `delivered` fire once each. */
    send(i: number, acked: () => void, delivered: () => void) {
      const clientId = crypto.randomUUID();
      onAck.set(clientId, acked);
      onDeliver.set(clientId, delivered);
      patients[i]!.send(
        JSON.stringify({ type: 'send', consultationId: consultations[i]!.id, clientId, kind: 'text', text: TEXT }),
      );
    },
    errors,
    pendingDeliveries: () => onDeliver.size,
    close() {
      for (const ws of [...doctors, ...patients]) ws.close();
    },
  };
}

async function settle(check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

interface ClosedResult {
  ackedPerSec: number;
  deliveredPerSec: number;
  errors: number;
  undelivered: number;
}

async function closedLoop(target: Target, consultations: SeededConsultation[], ms: number): Promise<ClosedResult> {
  const s = await openSockets(target, consultations);
  let acked = 0;
  let delivered = 0;
  let inFlight = 0;
  const start = performance.now();
  const end = start + ms;
  const pump = (i: number) => {
    inFlight++;
    s.send(
      i,
      () => {
        inFlight--;
        if (performance.now() < end) {
          acked++;
          pump(i);
        }
      },
      () => {
        if (performance.now() < end) delivered++;
      },
    );
  };
  for (let i = 0; i < consultations.length; i++) for (let w = 0; w < WINDOW; w++) pump(i);
  await new Promise((r) => setTimeout(r, ms));
  const elapsed = (performance.now() - start) / 1000;
  await settle(() => inFlight === 0 && s.pendingDeliveries() === 0);
  const result = {
    ackedPerSec: acked / elapsed,
    deliveredPerSec: delivered / elapsed,
    errors: s.errors.length,
    undelivered: s.pendingDeliveries(),
  };
  s.close();
  return result;
}

interface OpenResult {
  sent: number;
  p50: number;
  p90: number;
  p99: number;
  ackP50: number;
  ackP99: number;
  errors: number;
  undelivered: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function openLoop(target: Target, consultations: SeededConsultation[], ms: number): Promise<OpenResult> {
  const s = await openSockets(target, consultations);
  const receive: number[] = [];
  const ack: number[] = [];
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const due = Math.min(Math.floor(((now - start) * RATE) / 1000), Math.floor((ms * RATE) / 1000));
      for (; sent < due; sent++) {
        const t0 = performance.now();
        s.send(
          sent % consultations.length,
          () => ack.push(performance.now() - t0),
          () => receive.push(performance.now() - t0),
        );
      }
      if (now - start >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await settle(() => s.pendingDeliveries() === 0);
  receive.sort((a, b) => a - b);
  ack.sort((a, b) => a - b);
  s.close();
  return {
    sent,
    p50: pct(receive, 0.5),
    p90: pct(receive, 0.9),
    p99: pct(receive, 0.99),
    ackP50: pct(ack, 0.5),
    ackP99: pct(ack, 0.99),
    errors: s.errors.length,
    undelivered: s.pendingDeliveries(),
  };
}

function connectWs(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-im-'));
fs.chmodSync(tmp, 0o755);
const pg = await startEmbeddedPostgres(tmp);
const db = createDb(pg.connectionString, 10);
const children: Array<{ stop: () => Promise<void> }> = [];
try {
  await migrate(db);
  const masterKey = crypto.randomBytes(32);

  // Seed through the API of an in-process instance (same database, same master key), then close it.
  const sms = new ConsoleSmsProvider(() => {});
  const seeder = await buildApp(
    {
      config: loadConfig({
        NODE_ENV: 'test',
        ANXIN_DATA_DIR: path.join(tmp, 'seed'),
        ANXIN_PUBLIC_URL: 'http://localhost:3000',
      }),
      db,
      masterKey,
      sms,
      clock: systemClock,
    },
    { logger: false },
  );
  await seeder.services.policy.ensurePublished();
  const seedStart = Date.now();
  const consultations = await seedConsultations({ app: seeder, db, sms }, CONSULTATIONS, DOCTORS);
  await seeder.close();
  console.log(`seeded ${consultations.length} consultations (${DOCTORS} doctors) in ${Date.now() - seedStart} ms`);

  const server = await startServerProcess({
    databaseUrl: pg.connectionString,
    dataDir: path.join(tmp, 'app'),
    masterKey,
    // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
  });
  children.push(server);
  const raw = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'raw-ws-server.ts')], {
    env: { ...process.env, DATABASE_URL: pg.connectionString },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rawExited = new Promise<void>((r) => raw.once('exit', () => r()));
  children.push({
    stop: async () => {
      if (raw.exitCode === null) raw.kill('SIGTERM');
      await rawExited;
    },
  });
  const rawPort = await new Promise<number>((resolve, reject) => {
    readline.createInterface({ input: raw.stdout! }).once('line', (line) => resolve(JSON.parse(line).port));
    raw.once('exit', () => reject(new Error('raw server exited')));
  });

  const anxin: Target = {
    name: 'anxin',
    connect: (user) => connectWs(`ws://127.0.0.1:${server.port}/api/ws`, { cookie: user.cookie, origin: server.url }),
  };
  const baseline: Target = {
    name: 'raw',
    connect: (user) => connectWs(`ws://127.0.0.1:${rawPort}/?user=${user.id}`, {}),
  };

  // Warm up both (JIT, connection pools, caches).
  await closedLoop(baseline, consultations, 1500);
  await closedLoop(anxin, consultations, 1500);

  const rounds: Array<{ rawClosed: ClosedResult; anxClosed: ClosedResult; rawOpen: OpenResult; anxOpen: OpenResult }> =
    [];
  for (let r = 0; r < ROUNDS; r++) {
    const rawClosed = await closedLoop(baseline, consultations, CLOSED_MS);
    const anxClosed = await closedLoop(anxin, consultations, CLOSED_MS);
    const rawOpen = await openLoop(baseline, consultations, OPEN_MS);
    const anxOpen = await openLoop(anxin, consultations, OPEN_MS);
    rounds.push({ rawClosed, anxClosed, rawOpen, anxOpen });
  }

  const f0 = (n: number) => n.toFixed(0).padStart(7);
  const f2 = (n: number) => n.toFixed(2).padStart(7);
  console.log(
    `\n${CONSULTATIONS} consultations (${DOCTORS} doctors), patients send, doctors receive; ${os.cpus().length} cores shared by ` +
      `both servers, PostgreSQL (fsync on) and this load generator; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    `closed loop: ${WINDOW} in flight per consultation for ${CLOSED_MS} ms; open loop: ${RATE} msg/s for ${OPEN_MS} ms\n`,
  );
  console.log(
    'round  path      acked/s  deliv/s  ratio | recv p50  recv p90  recv p99  ack p50  ack p99  (ms) | p99 ratio | errors lost',
  );
  for (const [i, r] of rounds.entries()) {
    const row = (name: string, c: ClosedResult, o: OpenResult, ratio: string, p99Ratio: string) =>
      console.log(
        `${String(i + 1).padStart(5)}  ${name.padEnd(8)}${f0(c.ackedPerSec)}  ${f0(c.deliveredPerSec)}  ${ratio} | ${f2(o.p50)}   ${f2(o.p90)}   ${f2(o.p99)}  ${f2(o.ackP50)}  ${f2(o.ackP99)}       | ${p99Ratio} | ${String(c.errors + o.errors).padStart(6)} ${String(c.undelivered + o.undelivered).padStart(4)}`,
      );
    row('raw', r.rawClosed, r.rawOpen, '     ', '         ');
    row(
      'anxin',
      r.anxClosed,
      r.anxOpen,
      (r.anxClosed.ackedPerSec / r.rawClosed.ackedPerSec).toFixed(2).padStart(5),
      `${(r.anxOpen.p99 / r.rawOpen.p99).toFixed(2)}×`.padStart(9),
    );
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const spread = (xs: number[], f: (n: number) => string) =>
    rounds.length > 1 ? ` (min ${f(Math.min(...xs)).trim()}, max ${f(Math.max(...xs)).trim()})` : '';
  const ratios = rounds.map((r) => r.anxClosed.ackedPerSec / r.rawClosed.ackedPerSec);
  const p99Ratios = rounds.map((r) => r.anxOpen.p99 / r.rawOpen.p99);
  const latency = (name: string, pick: (r: (typeof rounds)[number]) => OpenResult) =>
    `${name} p50 ${med(rounds.map((r) => pick(r).p50)).toFixed(2)} ms, p90 ${med(rounds.map((r) => pick(r).p90)).toFixed(2)} ms, p99 ${med(
      rounds.map((r) => pick(r).p99),
    ).toFixed(2)} ms${spread(
      rounds.map((r) => pick(r).p99),
      f2,
    )}`;
  console.log(
    `\nthroughput  anxin ${med(rounds.map((r) => r.anxClosed.ackedPerSec)).toFixed(0)} acked msg/s vs raw ${med(
      rounds.map((r) => r.rawClosed.ackedPerSec),
    ).toFixed(0)}: ratio ${med(ratios).toFixed(2)}×${spread(ratios, f2)} (goal ≥ 0.5×)`,
  );
  console.log(`latency     ${latency('anxin', (r) => r.anxOpen)}; ${latency('raw', (r) => r.rawOpen)}`);
  const p99Ratio = med(p99Ratios);
  console.log(
    `p99 ratio   ${p99Ratio.toFixed(2)}×${spread(p99Ratios, f2)} (goal ≤ 1.5× the raw server's p99 in the same round: ${p99Ratio <= 1.5 ? 'met' : 'NOT met'}; met in ${p99Ratios.filter((x) => x <= 1.5).length} of ${rounds.length} rounds)`,
  );
  const bad = rounds.some(
    (r) => r.anxClosed.errors + r.anxOpen.errors + r.anxClosed.undelivered + r.anxOpen.undelivered > 0,
  );
  if (bad) console.log('WARNING: anxin answered errors or left messages undelivered (see the table)');
} finally {
  for (const c of children.reverse()) await c.stop().catch(() => {});
  await db.destroy();
  await pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(0);

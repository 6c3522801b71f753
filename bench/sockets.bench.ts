/**
 * npm run bench:sockets — memory of idle WebSockets (CON-1): BENCH_SOCKETS (10,000) authenticated sockets held open
 * on the real server (`main.ts`, its own process: session cookie checked at the upgrade, Origin checked, a bus
 * subscription per user and per session, heartbeat) against a bare `ws` server holding as many (no
 * authentication, no state), in the same run. Each server is measured with garbage collected, before the sockets
 * connect and after they all are connected and idle for BENCH_IDLE_MS: RSS and heap, the ratio of the totals
 * (goal ≤ 3×) and of the cost per socket. The sessions belong to BENCH_SOCKET_USERS (100) patients, signed in
 * through the API; the remaining sessions of each are created through the identity service, as a sign-in would.
 */
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createDb } from '../apps/server/src/db/database.js';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { systemClock } from '../apps/server/src/platform/clock.js';
import { ConsoleSmsProvider } from '../apps/server/src/features/identity/sms/console-sms.js';
import { seedUser, type SeededUser } from '../apps/server/test/seed-consultations.js';
import { startServerProcess } from '../apps/server/test/server-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const probe = ['--expose-gc', '--import', path.join(here, 'memory-probe.mjs')];

if (process.argv[2] === 'bare') {
  // The baseline server: accepts WebSockets and holds them, nothing else.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16 * 1024 });
  wss.on('listening', () => {
    const address = wss.address();
    process.stdout.write(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
  });
  process.on('SIGTERM', () => wss.close(() => process.exit(0)));
} else {
  await main();
}

async function main() {
  const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
  const USERS = Number(process.env.BENCH_SOCKET_USERS ?? 100);
  const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5000);
  const CONCURRENCY = 64;

  interface Memory {
    rss: number;
    heapUsed: number;
    heapTotal: number;
    external: number;
  }
  /** Asks a server (started with the probe) for its memory after a garbage collection. */
  async function memoryOf(child: ChildProcess, output: () => string): Promise<Memory> {
    const seen = output()
      .split('\n')
      .filter((l) => l.startsWith('memory ')).length;
    child.kill('SIGUSR2');
    for (let i = 0; i < 200; i++) {
      const lines = output()
        .split('\n')
        .filter((l) => l.startsWith('memory '));
      if (lines.length > seen) return JSON.parse(lines[lines.length - 1]!.slice('memory '.length)) as Memory;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no memory report from the server');
  }

  /** Opens `count` sockets, CONCURRENCY at a time, from one loopback address per target (own ephemeral ports). */
  async function connectAll(count: number, open: (i: number) => WebSocket): Promise<WebSocket[]> {
    const sockets: WebSocket[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const ws = open(i);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
          ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
        });
        sockets.push(ws);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return sockets;
  }

  async function measure(
    child: ChildProcess,
    output: () => string,
    open: (i: number) => WebSocket,
  ): Promise<{ before: Memory; after: Memory; connectMs: number }> {
    const before = await memoryOf(child, output);
    const t0 = performance.now();
    const sockets = await connectAll(SOCKETS, open);
    const connectMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const after = await memoryOf(child, output);
    const stillOpen = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    if (stillOpen !== SOCKETS) throw new Error(`only ${stillOpen} of ${SOCKETS} sockets stayed open`);
    await Promise.all(
      sockets.map((s) => new Promise<void>((resolve) => (s.once('close', () => resolve()), s.close()))),
    );
    return { before, after, connectMs };
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-sockets-'));
  fs.chmodSync(tmp, 0o755);
  const pg = await startEmbeddedPostgres(tmp);
  const db = createDb(pg.connectionString, 10);
  const children: Array<() => Promise<void>> = [];
  try {
    await migrate(db);
    const masterKey = crypto.randomBytes(32);
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
    const seedStart = performance.now();
    const users: SeededUser[] = [];
    for (let i = 0; i < USERS; i++) users.push(await seedUser({ app: seeder, db, sms }, 'patient'));
    // One session per socket: the first of each user from its sign-in, the rest as further sign-ins would.
    const cookies = users.map((u) => u.cookie);
    const meta = { ip: '127.0.0.1', userAgent: 'bench:sockets', requestId: 'bench' };
    while (cookies.length < SOCKETS) {
      const batch = Math.min(500, SOCKETS - cookies.length);
      const issued = await db.transaction().execute(async (trx) => {
        const out = [];
        for (let k = 0; k < batch; k++) {
          const user = users[(cookies.length + k) % USERS]!;
          out.push(await seeder.services.identity.createSession(trx, user.id, 'patient', 'active', true, meta));
        }
        return out;
      });
      cookies.push(...issued.map((s) => `anxin_session=${s.token}`));
    }
    await seeder.close();
    console.log(
      `seeded ${SOCKETS} sessions of ${USERS} patients in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    // The bare ws server.
    const bare = spawn(process.execPath, [...probe, '--import', 'tsx', fileURLToPath(import.meta.url), 'bare'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let bareOut = '';
    bare.stderr!.on('data', (d: Buffer) => (bareOut += d.toString()));
    const bareExited = new Promise<void>((r) => bare.once('exit', () => r()));
    children.push(async () => {
      if (bare.exitCode === null) bare.kill('SIGTERM');
      await bareExited;
    });
    const barePort = await new Promise<number>((resolve, reject) => {
      readline.createInterface({ input: bare.stdout! }).once('line', (line) => resolve(JSON.parse(line).port));
      bare.once('exit', () => reject(new Error(`bare server exited: ${bareOut}`)));
    });
    const raw = await measure(
      bare,
      () => bareOut,
      () => new WebSocket(`ws://127.0.0.1:${barePort}/`, { perMessageDeflate: false, localAddress: '127.0.0.2' }),
    );
    await children.pop()!();

    // The real server.
    const server = await startServerProcess({
      databaseUrl: pg.connectionString,
      dataDir: path.join(tmp, 'app'),
      masterKey,
      nodeArgs: probe,
    });
    children.push(() => server.stop());
    // Warm up the upgrade path (JIT, pools) with a few sockets, then measure from a collected heap.
    const warm = await connectAll(100, (i) => anxinSocket(i));
    for (const s of warm) s.close();
    await new Promise((r) => setTimeout(r, 500));
    function anxinSocket(i: number) {
      return new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, {
        headers: { cookie: cookies[i]!, origin: server.url },
        perMessageDeflate: false,
        localAddress: '127.0.0.3',
      });
    }
    const anxin = await measure(server.child, server.output, anxinSocket);

    const mb = (n: number) => (n / 1024 / 1024).toFixed(1).padStart(7);
    const kb = (n: number) => (n / 1024).toFixed(1).padStart(8);
    console.log(
      `\n${SOCKETS} idle WebSockets, each server in its own process, garbage collected before each reading; ` +
        `${os.cpus().length} cores, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}\n`,
    );
    console.log('server     RSS before  RSS after  heap before  heap after   RSS/socket  heap/socket  connect');
    for (const [name, r] of [
      ['bare ws', raw],
      ['anxin', anxin],
    ] as const)
      console.log(
        `${name.padEnd(9)} ${mb(r.before.rss)} MB ${mb(r.after.rss)} MB  ${mb(r.before.heapUsed)} MB ${mb(r.after.heapUsed)} MB ` +
          `${kb((r.after.rss - r.before.rss) / SOCKETS)} kB ${kb((r.after.heapUsed - r.before.heapUsed) / SOCKETS)} kB  ${(r.connectMs / 1000).toFixed(1)} s`,
      );
    const ratio = anxin.after.rss / raw.after.rss;
    const perSocket = (anxin.after.rss - anxin.before.rss) / (raw.after.rss - raw.before.rss);
    console.log(
      `\nRSS with ${SOCKETS} sockets: anxin ${mb(anxin.after.rss).trim()} MB vs bare ws ${mb(raw.after.rss).trim()} MB: ratio ${ratio.toFixed(2)}× (goal ≤ 3×: ${ratio <= 3 ? 'met' : 'NOT met'}); per socket ${perSocket.toFixed(2)}× (heap ${(
        (anxin.after.heapUsed - anxin.before.heapUsed) /
        (raw.after.heapUsed - raw.before.heapUsed)
      ).toFixed(2)}×)`,
    );
  } finally {
    for (const stop of children.reverse()) await stop().catch(() => {});
    await db.destroy();
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(0);
}

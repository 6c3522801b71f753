/**
 * npm run bench — authenticated GET /api/me (session lookup, policy status, decrypting the phone number) against
 * a bare Fastify route returning a constant, both over real HTTP on this machine in the same run. Prints both
 * rates and their ratio; absolute numbers vary by machine, the ratio is what to compare between commits.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createDb } from '../apps/server/src/db/database.js';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { systemClock } from '../apps/server/src/platform/clock.js';
import { ConsoleSmsProvider } from '../apps/server/src/features/identity/sms/console-sms.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function measure(
  url: string,
  headers: Record<string, string>,
): Promise<{ rps: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const end = Date.now() + DURATION_MS;
  const worker = async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: latencies[Math.floor(latencies.length * 0.5)]!,
    p99: latencies[Math.floor(latencies.length * 0.99)]!,
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-'));
fs.chmodSync(tmp, 0o755);
const pg = await startEmbeddedPostgres(tmp);
const db = createDb(pg.connectionString, 10);
await migrate(db);
const config = loadConfig({ NODE_ENV: 'test', ANXIN_DATA_DIR: tmp, ANXIN_PUBLIC_URL: 'http://127.0.0.1:1' });
const sms = new ConsoleSmsProvider(() => {});
const app = await buildApp(
  { config, db, masterKey: crypto.randomBytes(32), sms, clock: systemClock },
  { logger: false },
);
await app.services.policy.ensurePublished();
const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });

const bare = Fastify({ logger: false });
bare.get('/bare', async () => ({ ok: true }));
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

try {
  const origin = new URL(appUrl).origin;
  const policy = (await (await fetch(`${appUrl}/api/policy/current`)).json()) as {
    version: number;
    locale: string;
    textSha256: string;
  };
  const proof = { version: policy.version, locale: policy.locale, textSha256: policy.textSha256 };
  const headers = { 'content-type': 'application/json', origin };
  await fetch(`${appUrl}/api/auth/code`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ phone: '13800138000', app: 'doctor', policyConsent: proof }),
  });
  const code = sms.latestCodeFor('13800138000');
  const res = await fetch(`${appUrl}/api/auth/verify`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ phone: '13800138000', code, app: 'doctor', policyConsent: proof }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;

  // Warm up both, then measure the baseline and the real route back to back.
  await measure(`${bareUrl}/bare`, {});
  await measure(`${appUrl}/api/me`, { cookie });
  const baseline = await measure(`${bareUrl}/bare`, {});
  const me = await measure(`${appUrl}/api/me`, { cookie });
  const fmt = (r: { rps: number; p50: number; p99: number }) =>
    `${r.rps.toFixed(0)} req/s (p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms)`;
  console.log(`concurrency ${CONCURRENCY}, ${DURATION_MS} ms each, ${os.cpus().length} cores`);
  console.log(`baseline  GET /bare     ${fmt(baseline)}`);
  console.log(`anxin     GET /api/me   ${fmt(me)}`);
  console.log(`ratio     /api/me is ${(me.rps / baseline.rps).toFixed(3)}× the bare route's throughput`);
} finally {
  await app.close();
  await bare.close();
  await db.destroy();
  await pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(0);

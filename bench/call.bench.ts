/**
 * npm run bench:call — time from the callee tapping "answer" to the first decoded video frame on both sides, over
 * CALLS (10) video calls between the real doctor and patient pages in Chromium (fake camera and microphone),
 * direct and relay-only (through a local coturn; skipped with a notice without `turnserver`). The same-run
 * baseline is two bare pages doing the same exchange (getUserMedia, offer, answer, trickled candidates) over a
 * minimal local WebSocket relay. Goals: p50 < 400 ms direct, < 600 ms relay-only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { Page } from 'playwright-core';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createDb } from '../apps/server/src/db/database.js';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { systemClock, type FakeClock } from '../apps/server/src/platform/clock.js';
import { ConsoleSmsProvider } from '../apps/server/src/features/identity/sms/console-sms.js';
import type { TestApp } from '../apps/server/test/harness.js';
import { hasChromium } from '../e2e/browser.js';
import {
  doctorAndPatient,
  hasTurnserver,
  launchWithDevices,
  overlayState,
  passNotice,
  startTurn,
} from '../e2e/calls-kit.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 10);

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p90: at(0.9), min: s[0]!, max: s[s.length - 1]! };
}
const fmt = (name: string, v: number[]) => {
  const r = stats(v);
  return `${name.padEnd(26)} p50 ${r.p50.toFixed(0).padStart(4)} ms   p90 ${r.p90.toFixed(0).padStart(4)} ms   (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}, n=${v.length})`;
};

/** The product on its own database, with a real clock. */
async function product(tmp: string, pgUrl: string, name: string, env: Record<string, string>) {
  const admin = createDb(pgUrl, 1);
  const { sql } = await import('kysely');
  await sql.raw(`create database ${name}`).execute(admin);
  await admin.destroy();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 10);
  await migrate(db);
  const config = loadConfig({
    NODE_ENV: 'test',
    ANXIN_DATA_DIR: path.join(tmp, name),
    ANXIN_PUBLIC_URL: 'http://localhost:3000',
    ...env,
  });
  const sms = new ConsoleSmsProvider(() => {});
  const app = await buildApp(
    { config, db, masterKey: crypto.randomBytes(32), sms, clock: systemClock },
    { logger: false },
  );
  await app.services.policy.ensurePublished();
  const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  // What the shared fixtures need of a test app.
  const t = { app, db, sms, config, clock: systemClock as unknown as FakeClock, logs: [] } as unknown as TestApp;
  return { t, base, close: async () => (await app.close(), await db.destroy()) };
}

/** The page remembers when the answer button was tapped (browser-side code, as a string: no DOM types here). */
async function watchAcceptClicks(page: Page) {
  await page.evaluate(`document.addEventListener('click', (e) => {
    if (e.target.closest('[data-testid="incoming-accept"]')) window.__acceptClick = Date.now();
  }, true)`);
}

const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;

/** CALLS video calls between the product's pages; ms from the answer tap to the later side's first frame. */
async function productCalls(t: TestApp, base: string): Promise<number[]> {
  const s = await doctorAndPatient(t);
  const origin = new URL(base).origin;
  for (const ctx of [s.doctor.context, s.patient.context])
    await ctx.grantPermissions(['microphone', 'camera'], { origin });
  const results: number[] = [];
  try {
    await s.patient.page.goto(`${base}/patient/consultations/${s.consultationId}`);
    await passNotice(s.patient.page, 'chat');
    await s.doctor.page.goto(`${base}/consultations/${s.consultationId}`);
    await passNotice(s.doctor.page, 'chat');
    for (const p of [s.doctor.page, s.patient.page]) await watchAcceptClicks(p);
    for (let i = 0; i < CALLS + 1; i++) {
      // Each side calls in turn (invitations are rate limited per person).
      const [caller, callee] = i % 2 === 0 ? [s.patient.page, s.doctor.page] : [s.doctor.page, s.patient.page];
      await caller.getByTestId('call-start-video').click();
      await callee.getByTestId('incoming-accept').click({ timeout: 15_000 });
      const firstFrames: number[] = [];
      for (const page of [s.patient.page, s.doctor.page]) {
        for (let w = 0; ; w++) {
          const st = await overlayState(page);
          if (st?.firstFrameAt) {
            firstFrames.push(st.firstFrameAt);
            break;
          }
          if (w > 300) throw new Error('no video frame within 15 s');
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const clickAt = await inPage<number>(callee, 'window.__acceptClick');
      if (i > 0) results.push(Math.max(...firstFrames) - clickAt); // the first call warms up
      await caller.getByTestId('call-hangup').click();
      for (const page of [s.patient.page, s.doctor.page])
        for (let w = 0; (await overlayState(page)) !== null; w++) {
          if (w > 200) throw new Error('the call screen did not close');
          await new Promise((r) => setTimeout(r, 50));
        }
    }
  } catch (err) {
    // Show what the screens looked like when it went wrong.
    for (const [who, page] of [
      ['patient', s.patient.page],
      ['doctor', s.doctor.page],
    ] as const)
      await page.screenshot({ path: path.join(os.tmpdir(), `anxin-bench-call-${who}.png`) }).catch(() => {});
    throw err;
  } finally {
    await s.close();
  }
  return results;
}

/** The baseline: the same exchange between two bare pages over a minimal WebSocket relay, nothing else. */
async function bareCalls(): Promise<number[]> {
  const html = `<!doctype html><meta charset="utf-8"><video id="v" autoplay playsinline></video><script>
  const ws = new WebSocket('ws://' + location.host + '/ws');
  const send = (m) => ws.send(JSON.stringify(m));
  let pc = null, pending = [];
  window.firstFrame = null; window.answeredAt = null;
  function peer(stream) {
    pc = new RTCPeerConnection({ iceServers: [] });
    stream.getTracks().forEach((t) => pc.addTrack(t, stream));
    pc.onicecandidate = (e) => e.candidate && send({ t: 'cand', c: e.candidate.toJSON() });
    pc.ontrack = (e) => { const v = document.getElementById('v'); if (!v.srcObject) { v.srcObject = e.streams[0];
      v.requestVideoFrameCallback(() => { window.firstFrame = Date.now(); }); } };
  }
  window.answer = async () => { window.answeredAt = Date.now();
    const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    peer(s); send({ t: 'accept' }); };
  window.reset = () => { pc && pc.close(); pc = null; pending = []; window.firstFrame = null;
    const v = document.getElementById('v'); v.srcObject = null; };
  let local = null;
  window.prepare = async () => { local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } }); };
  ws.onmessage = async (e) => { const m = JSON.parse(e.data);
    if (m.t === 'accept') { peer(local); await pc.setLocalDescription(await pc.createOffer()); send({ t: 'offer', sdp: pc.localDescription.sdp }); }
    else if (m.t === 'offer') { await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp }); for (const c of pending) await pc.addIceCandidate(c); pending = [];
      await pc.setLocalDescription(await pc.createAnswer()); send({ t: 'answer', sdp: pc.localDescription.sdp }); }
    else if (m.t === 'answer') { await pc.setRemoteDescription({ type: 'answer', sdp: m.sdp }); for (const c of pending) await pc.addIceCandidate(c); pending = []; }
    else if (m.t === 'cand') { if (pc && pc.remoteDescription) await pc.addIceCandidate(m.c); else pending.push(m.c); } };
  window.ready = new Promise((r) => ws.onopen = r);
  </script>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (sock) =>
    sock.on('message', (data) => {
      for (const other of wss.clients) if (other !== sock) other.send(String(data));
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://localhost:${(server.address() as { port: number }).port}/`;
  const a = await launchWithDevices();
  const b = await launchWithDevices();
  const results: number[] = [];
  try {
    for (const p of [a.page, b.page]) {
      await p.goto(url);
      await inPage(p, 'window.ready');
    }
    for (let i = 0; i < CALLS + 1; i++) {
      await inPage(a.page, 'window.prepare()');
      await inPage(b.page, 'window.answer()');
      const frames: number[] = [];
      for (const p of [a.page, b.page]) {
        frames.push(
          (await (await p.waitForFunction('window.firstFrame', undefined, { timeout: 15_000 })).jsonValue()) as number,
        );
      }
      const answeredAt = await inPage<number>(b.page, 'window.answeredAt');
      if (i > 0) results.push(Math.max(...frames) - answeredAt);
      for (const p of [a.page, b.page]) await inPage(p, 'window.reset()');
    }
  } finally {
    await a.context.close();
    await b.context.close();
    wss.close();
    server.close();
  }
  return results;
}

if (!hasChromium()) process.exit(0);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-call-'));
fs.chmodSync(tmp, 0o755);
const pg = await startEmbeddedPostgres(tmp, { database: 'postgres' });
const lines: string[] = [];
try {
  const baseline = await bareCalls();
  lines.push(fmt('baseline (bare pages)', baseline));
  const direct = await product(tmp, pg.connectionString, 'bench_direct', {});
  try {
    const d = await productCalls(direct.t, direct.base);
    lines.push(fmt('anxin direct', d));
    lines.push(`  direct p50 is ${(stats(d).p50 / stats(baseline).p50).toFixed(2)}× the baseline; goal p50 < 400 ms`);
  } finally {
    await direct.close();
  }
  if (hasTurnserver()) {
    const turn = await startTurn();
    const relay = await product(tmp, pg.connectionString, 'bench_relay', {
      ANXIN_TURN_URLS: turn.urls,
      ANXIN_TURN_SECRET: turn.secret,
      ANXIN_ICE_TRANSPORT_POLICY: 'relay',
    });
    try {
      const r = await productCalls(relay.t, relay.base);
      lines.push(fmt('anxin relay-only (coturn)', r));
      lines.push(`  relay-only goal p50 < 600 ms`);
    } finally {
      await relay.close();
      await turn.stop();
    }
  }
  console.log(`accept → first decoded video frame on both sides, ${CALLS} calls each, ${os.cpus().length} cores`);
  for (const l of lines) console.log(l);
} finally {
  await pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(0);

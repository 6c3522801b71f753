/**
 * Shared by the call journeys (e2e/calls.e2e.test.ts) and the call benchmark (bench/call.bench.ts): Chromium with
 * fake camera and microphone, a local coturn on loopback for relay-only calls, and a doctor and a patient in an
 * active consultation, each in their own browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../apps/server/test/harness.js';
import { staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../apps/server/test/consultation-fixtures.js';
import { CHROMIUM, passNotice, withCookie } from './browser.js';

export const TURNSERVER = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';
export const TURN_TEST_CONFIG = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../docs/coturn/turnserver.test.conf',
);

/** Whether coturn is installed; CI installs it (.ci/run), so there a missing turnserver is a failure. */
export function hasTurnserver(): boolean {
  if (fs.existsSync(TURNSERVER)) return true;
  if (process.env.CI) throw new Error(`CI=true but ${TURNSERVER} is missing: install the Debian package "coturn".`);
  console.warn(
    `\n*** RELAY-ONLY CALL SKIPPED: ${TURNSERVER} not found. Install it with: apt-get install coturn (.ci/run does) ***\n`,
  );
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Turn {
  urls: string;
  secret: string;
  stop(): Promise<void>;
}

/**
 * Starts coturn on loopback with the test configuration (docs/coturn/turnserver.test.conf), a free listening port,
 * a random relay port range and a random secret; resolves once it accepts connections.
 */
export async function startTurn(): Promise<Turn> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-turn-'));
  const port = await freePort();
  const minPort = 40000 + crypto.randomInt(0, 200) * 100;
  const secret = crypto.randomBytes(24).toString('base64url');
  const child: ChildProcess = spawn(
    TURNSERVER,
    [
      '-c',
      TURN_TEST_CONFIG,
      '--listening-port',
      String(port),
      '--min-port',
      String(minPort),
      '--max-port',
      String(minPort + 99),
      '--static-auth-secret',
      secret,
      '--pidfile',
      path.join(dir, 'turnserver.pid'),
      '--db',
      path.join(dir, 'turndb'),
      '--log-file',
      'stdout',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when the TCP listener answers.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`turnserver exited:\n${output}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 100) throw new Error(`turnserver did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    urls: `turn:127.0.0.1:${port}?transport=udp,turn:127.0.0.1:${port}?transport=tcp`,
    secret,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Chromium with a fake camera (test pattern) and microphone (beep). With `fakeUi` every device prompt is accepted;
 * without it only what the test grants (context.grantPermissions) is allowed and the rest is refused.
 */
export async function launchWithDevices(viewport = { width: 390, height: 844 }, fakeUi = true) {
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'zh-CN',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      ...(fakeUi ? ['--use-fake-ui-for-media-stream'] : []),
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export { passNotice, withCookie };

/** The product with the given call settings, listening on a free port. */
export async function startCallProduct(env: Record<string, string> = {}): Promise<{ t: TestApp; base: string }> {
  const t = await createTestApp({ env });
  const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  return { t, base };
}

export interface Party {
  context: BrowserContext;
  page: Page;
  cookie: string;
  id: string;
}

/** An approved doctor and a consented patient with an active consultation, each signed in in a browser. */
export async function doctorAndPatient(t: TestApp, opts: { patientFakeUi?: boolean } = {}) {
  const reviewer = await staffCookie(t, ['reviewer']);
  const d = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', String(crypto.randomInt(100, 999)));
  const c = await activeConsultation(t, d);
  const doctor = await launchWithDevices();
  const patient = await launchWithDevices(undefined, opts.patientFakeUi ?? true);
  await withCookie(doctor.context, d.cookie);
  await withCookie(patient.context, c.patient.cookie);
  return {
    consultationId: c.id,
    doctor: { ...doctor, cookie: d.cookie, id: d.id } as Party,
    patient: { ...patient, cookie: c.patient.cookie, id: c.patient.id } as Party,
    async close() {
      await doctor.context.close();
      await patient.context.close();
    },
  };
}

/** Reads the call screen's data attributes (phase, bytes and frames received, first frame time). */
export async function overlayState(page: Page) {
  // evaluateAll does not wait: the screen may close between two looks.
  return page.getByTestId('call-overlay').evaluateAll((nodes) => {
    const node = nodes[0];
    if (!node) return null;
    const d = (node as unknown as { dataset: Record<string, string | undefined> }).dataset;
    return {
      phase: d.phase ?? '',
      media: d.media ?? '',
      callId: d.callId ?? '',
      bytesReceived: Number(d.bytesReceived ?? 0),
      framesDecoded: Number(d.framesDecoded ?? 0),
      acceptedAt: d.acceptedAt ? Number(d.acceptedAt) : null,
      firstFrameAt: d.firstFrameAt ? Number(d.firstFrameAt) : null,
      relayed: d.relayed === 'true',
      outcome: d.outcome ?? '',
    };
  });
}

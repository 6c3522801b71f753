import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { createDb, type Db } from '../src/db/database.js';
import { FakeClock } from '../src/platform/clock.js';
import { ConsoleSmsProvider } from '../src/features/identity/sms/console-sms.js';
import type { ConsentProof } from '@anxin/contracts';

export const ORIGIN = 'http://localhost:3000';

/** A fresh database cloned from the migrated template; dropped on close. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  dbUrl: string;
  clock: FakeClock;
  sms: ConsoleSmsProvider;
  config: Config;
  masterKey: Buffer;
  logs: string[];
  close(): Promise<void>;
}

export async function createTestApp(
  overrides: { env?: Record<string, string>; clock?: FakeClock } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-test-data-'));
  const config = loadConfig({ NODE_ENV: 'test', ANXIN_DATA_DIR: dataDir, ANXIN_PUBLIC_URL: ORIGIN, ...overrides.env });
  const db = createDb(database.url, 5);
  const clock = overrides.clock ?? new FakeClock(new Date());
  const logs: string[] = [];
  const sms = new ConsoleSmsProvider(
    (line) => logs.push(line),
    () => clock.now(),
  );
  const masterKey = crypto.randomBytes(32);
  // Capture everything the app logs, at every level, to check that no personal data leaks into it.
  const stream = { write: (line: string) => void logs.push(line) };
  const app = await buildApp(
    { config, db, masterKey, sms, clock },
    {
      logger: {
        level: 'trace',
        stream,
        redact: (await import('../src/platform/logger.js')).loggerOptions('trace').redact,
      },
    },
  );
  await app.services.policy.ensurePublished();
  return {
    app,
    db,
    dbUrl: database.url,
    clock,
    sms,
    config,
    masterKey,
    logs,
    async close() {
      await app.close();
      await db.destroy();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let phoneCounter = 0;
/** A distinct valid mainland mobile number per call. */
export function testPhone(): string {
  phoneCounter++;
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

export async function policyProof(t: TestApp, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<ConsentProof> {
  const res = await t.app.inject({ method: 'GET', url: `/api/policy/current?locale=${locale}` });
  const doc = res.json();
  return { version: doc.version, locale, textSha256: doc.textSha256 };
}

/** Each test request comes from its own address unless one is given, so per-IP limits don't couple tests. */
export function randomIp(): string {
  return `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
}

export function post(
  t: TestApp,
  url: string,
  payload: unknown,
  cookie?: string,
  headers: Record<string, string> = {},
  remoteAddress = randomIp(),
) {
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress,
    payload: payload as object,
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers },
  });
}

export function get(t: TestApp, url: string, cookie?: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url, headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

export function sessionCookie(res: { cookies: Array<{ name: string; value: string }> }): string {
  const c = res.cookies.find((x) => x.name === 'anxin_session');
  if (!c) throw new Error('no session cookie set');
  return `anxin_session=${c.value}`;
}

/** Full doctor/patient sign-in through the public API; returns the cookie. */
export async function signIn(
  t: TestApp,
  app: 'doctor' | 'patient' = 'doctor',
  phone = testPhone(),
  extra: Record<string, unknown> = {},
) {
  const proof = await policyProof(t);
  const sent = await post(t, '/api/auth/code', { phone, app, policyConsent: proof });
  if (sent.statusCode !== 200) throw new Error(`code request failed: ${sent.body}`);
  const code = t.sms.latestCodeFor(phone);
  const res = await post(t, '/api/auth/verify', { phone, code, app, policyConsent: proof, ...extra });
  if (res.statusCode !== 200) throw new Error(`verify failed: ${res.body}`);
  return { cookie: sessionCookie(res), me: res.json(), phone };
}

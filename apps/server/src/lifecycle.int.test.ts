import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './db/embedded.js';

/** The product as a user starts it: `node apps/server/src/main.ts` on an empty data folder, embedded PostgreSQL. */
const repoRoot = new URL('../../../', import.meta.url).pathname;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-lifecycle-'));
fs.chmodSync(root, 0o755);
const dataDir = path.join(root, 'data');
const children: ChildProcess[] = [];

function env(port: number) {
  return {
    ...process.env,
    DATABASE_URL: '',
    PORT: String(port),
    ANXIN_DATA_DIR: dataDir,
    ANXIN_PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
  };
}

function startServer(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env: env(port),
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      if (out.includes('Anxin is running at')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function signUp(base: string, phone: string, output: () => string) {
  const policy = (await (await fetch(`${base}/api/policy/current`)).json()) as {
    version: number;
    locale: string;
    textSha256: string;
  };
  const proof = { version: policy.version, locale: policy.locale, textSha256: policy.textSha256 };
  const headers = { 'content-type': 'application/json', origin: base };
  const sent = await fetch(`${base}/api/auth/code`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ phone, app: 'doctor', policyConsent: proof }),
  });
  expect(sent.status).toBe(200);
  await new Promise((r) => setTimeout(r, 100));
  const code = [...output().matchAll(/sign-in code (\d{6})/g)].at(-1)![1];
  const res = await fetch(`${base}/api/auth/verify`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ phone, code, app: 'doctor', policyConsent: proof }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { id: ((await res.json()) as { id: string }).id, cookie };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

describe('starting and stopping the product', () => {
  it('SEC-1: first start creates embedded PostgreSQL (fsync on), a 0600 master key and serves the app; a second process on the same data folder is refused; SIGTERM stops PostgreSQL; a restart reuses the data', async () => {
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const first = await startServer(port);
    expect(first.output()).toContain(`/patient`);
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const openapi = (await (await fetch(`${base}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/auth/verify');
    const user = await signUp(base, '13600001234', first.output);

    // Logs carry a masked number only.
    expect(first.output()).not.toContain('13600001234');
    expect(first.output()).toContain('136****1234');

    // A second server on the same data folder refuses with a clear message.
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: repoRoot,
      env: env(await freePort()),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already using the data folder/);

    // fsync is on in the embedded server.
    const settings = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded-postgres.json'), 'utf8'));
    const pg = (await import('pg')).default;
    const client = new pg.Client({
      host: '127.0.0.1',
      port: settings.port,
      user: 'postgres',
      password: settings.password,
      database: 'anxin',
    });
    await client.connect();
    expect((await client.query('show fsync')).rows[0].fsync).toBe('on');
    await client.end();

    // A backup while the server runs (embedded mode).
    const backup = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/cli/backup.ts', '--out', path.join(root, 'backups')],
      {
        cwd: repoRoot,
        env: env(port),
        encoding: 'utf8',
      },
    );
    expect(backup.status, backup.stderr).toBe(0);

    expect(await stop(first.child), first.output().slice(-3000)).toBe(0);
    expect(first.output()).toContain('stopped cleanly');
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'anxin.lock'))).toBe(false);

    const again = await startServer(port);
    expect(again.output()).not.toContain('database migrated');
    // The session and the account survived the restart: same database, same key.
    const me = await fetch(`${base}/api/me`, { headers: { cookie: user.cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(user.id);
    expect(await stop(again.child), again.output().slice(-3000)).toBe(0);
  }, 180_000);
});

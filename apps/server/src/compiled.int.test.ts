import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './db/embedded.js';

/**
 * `npm start` runs the compiled bundle (scripts/build.mjs → apps/server/dist/main.js), not the TypeScript sources:
 * it must find its migrations and the crisis lexicon, validate and serialise like the sources do, and stop cleanly.
 */
const repoRoot = new URL('../../../', import.meta.url).pathname;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-compiled-'));
fs.chmodSync(root, 0o755);
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the compiled server', () => {
  it('builds once, then starts from JavaScript on an empty data folder, migrates, serves the API and the apps, and stops cleanly', async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs', 'server'], { cwd: repoRoot, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    // A second build with unchanged sources is skipped (the stamp matches).
    const again = spawnSync(process.execPath, ['scripts/build.mjs', 'server'], { cwd: repoRoot, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('built server');
    expect(fs.readdirSync(path.join(repoRoot, 'apps/server/dist/migrations')).length).toBe(
      fs.readdirSync(path.join(repoRoot, 'apps/server/src/db/migrations')).filter((f) => f.endsWith('.sql')).length,
    );

    const port = await freePort();
    const base = `http://localhost:${port}`;
    const child = spawn(process.execPath, ['apps/server/dist/main.js'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: '',
        PORT: String(port),
        ANXIN_DATA_DIR: path.join(root, 'data'),
        ANXIN_PUBLIC_URL: base,
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
      },
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${out.slice(-3000)}`)), 60_000);
      child.stdout!.on('data', () => {
        if (out.includes('Anxin is running at')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out.slice(-3000)}`)));
    });
    expect(out).toContain('database migrated');

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const openapi = (await (await fetch(`${base}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/auth/verify');
    const policy = await fetch(`${base}/api/policy/current`);
    expect(policy.status).toBe(200);
    expect(((await policy.json()) as { version: number }).version).toBeGreaterThan(0);
    // Bad input: a clear 4xx with a code and a message, from the same validators as in development.
    const bad = await fetch(`${base}/api/auth/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ phone: 12 }),
    });
    expect(bad.status).toBe(400);
    const error = ((await bad.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toMatch(/\w/);
    expect(error.message.length).toBeGreaterThan(0);
    const page = await fetch(`${base}/patient`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code, out.slice(-3000)).toBe(0);
    expect(out).toContain('stopped cleanly');
    expect(fs.existsSync(path.join(root, 'data', 'postgres', 'postmaster.pid'))).toBe(false);
  }, 180_000);
});

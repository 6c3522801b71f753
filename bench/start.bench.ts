/**
 * npm run bench:start — time from starting the product to the first 200 from /healthz, on a fresh data folder
 * (first start: initdb, migrations, master key, policy) and on an existing one (warm start), for the server as
 * `npm start` runs it (node apps/server/dist/main.js, built once) and for the whole `npm start` command (npm, the
 * build stamp check, then the server); for comparison, the TypeScript sources through tsx as before (warm; the
 * web build `npm start` used to run first is not counted). Baselines in the same run: a bare Node process
 * answering /healthz, and embedded PostgreSQL alone (initdb + start on a fresh folder; start on an existing one).
 * BENCH_ROUNDS (default 5) rounds each; prints median, min–max and the ratio of medians to the baselines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { freePort, startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const loadBefore = os.loadavg()[0]!;
const repoRoot = new URL('../', import.meta.url).pathname;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-start-'));
fs.chmodSync(scratch, 0o755);
let folders = 0;
const freshFolder = () => path.join(scratch, `data-${++folders}`);

const BARE_SERVER = `require('node:http').createServer((req, res) => { res.statusCode = req.url === '/healthz' ? 200 : 404; res.end('{"status":"ok"}'); }).listen(Number(process.env.PORT), '127.0.0.1');`;

/** Spawns `cmd`, polls /healthz every 5 ms until it answers 200, then stops it as Ctrl-C does and waits. */
async function timeToHealthy(cmd: string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), ANXIN_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let elapsed = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cmd.join(' ')} exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      elapsed = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  // Ctrl-C: SIGINT to the whole process group (`npm start` runs the server in a shell below npm).
  process.kill(-child.pid!, 'SIGINT');
  await exited;
  await new Promise((r) => setTimeout(r, 300));
  return elapsed;
}

async function timePostgres(dataDir: string): Promise<number> {
  const started = performance.now();
  const pg = await startEmbeddedPostgres(dataDir);
  const elapsed = performance.now() - started;
  await pg.stop();
  return elapsed;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** Brings the build up to date, untimed: `npm start` is measured as it runs when nothing changed since. */
function build() {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}
build();

const server = [process.execPath, 'apps/server/dist/main.js'];
const npmStart = ['npm', 'start', '--silent'];
const bare = [process.execPath, '-e', BARE_SERVER];
// How the server started before it was compiled (and still does in `npm run dev:server`).
const sources = [process.execPath, '--import', 'tsx', 'apps/server/src/main.ts'];
const warmFolder = freshFolder();
await timeToHealthy(server, warmFolder); // creates the folder the warm starts reuse

const results: Record<string, number[]> = {};
const failures: Record<string, string[]> = {};
/** A start that fails is counted and shown, not retried silently. */
const add = async (name: string, measure: Promise<number>) => {
  try {
    (results[name] ??= []).push(await measure);
  } catch (err) {
    const reason = /\w*Error: .*/.exec(String((err as Error).message))?.[0] ?? String(err);
    (failures[name] ??= []).push(reason.slice(0, 200));
  }
};
for (let round = 0; round < ROUNDS; round++) {
  await add('bare node /healthz', timeToHealthy(bare, freshFolder()));
  await add('PostgreSQL initdb + start', timePostgres(freshFolder()));
  await add('PostgreSQL start (existing)', timePostgres(warmFolder));
  await add('first start, server', timeToHealthy(server, freshFolder()));
  await add('warm start, server', timeToHealthy(server, warmFolder));
  build();
  await add('first start, npm start', timeToHealthy(npmStart, freshFolder()));
  build();
  await add('warm start, npm start', timeToHealthy(npmStart, warmFolder));
  await add('warm start, TypeScript sources', timeToHealthy(sources, warmFolder));
}

const baseline = summary(results['bare node /healthz']!).median;
const initdb = summary(results['PostgreSQL initdb + start']!).median;
console.log(
  `\n${ROUNDS} rounds, ${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`,
);
console.log('what                              median      min–max         ×bare node  ×PostgreSQL alone');
for (const [name, samples] of Object.entries(results)) {
  const s = summary(samples);
  const pgRatio = name.startsWith('first')
    ? `${(s.median / initdb).toFixed(2)}× initdb+start`
    : name.startsWith('warm')
      ? `${(s.median / summary(results['PostgreSQL start (existing)']!).median).toFixed(2)}× start`
      : '';
  console.log(
    `${name.padEnd(32)} ${s.median.toFixed(0).padStart(6)} ms  ${s.min.toFixed(0).padStart(6)}–${s.max.toFixed(0).padEnd(6)} ms  ${(s.median / baseline).toFixed(1).padStart(8)}×  ${pgRatio}`,
  );
}
const goal = (name: string, limit: number) => {
  if (!results[name]) return `${name}: no start succeeded`;
  const { median } = summary(results[name]);
  return `${name} ${median.toFixed(0)} ms (goal < ${limit} ms: ${median < limit ? 'met' : 'NOT met'})`;
};
for (const [name, reasons] of Object.entries(failures))
  console.log(`${name}: ${reasons.length} of ${ROUNDS} starts failed: ${[...new Set(reasons)].join('; ')}`);
console.log(`\n${goal('warm start, npm start', 1500)}; ${goal('first start, npm start', 5000)}`);
fs.rmSync(scratch, { recursive: true, force: true });

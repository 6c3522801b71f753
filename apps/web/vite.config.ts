import fs from 'node:fs';
import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

const root = new URL('.', import.meta.url).pathname;
const api = 'http://127.0.0.1:3000';

/**
 * Deep links in dev/preview: `/patient/me` must load the patient page and `/admin/audit` the staff console,
 * just as the server's fallback does in production. Vite's own fallback would serve the doctor page.
 */
function multiPageFallback(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    const looksLikeFile = /\.[a-z0-9]+$/i.test(path);
    if (wantsHtml && !looksLikeFile) {
      if (path === '/patient' || path.startsWith('/patient/')) req.url = '/patient/index.html';
      else if (path === '/admin' || path.startsWith('/admin/')) req.url = '/admin/index.html';
    }
    next();
  };
  return {
    name: 'anxin-multi-page-fallback',
    configureServer(server) {
      server.middlewares.use(rewrite);
    },
    configurePreviewServer(server) {
      server.middlewares.use(rewrite);
    },
  };
}

/**
 * The first paint of the three apps (doctor, patient, staff) shares one style sheet, src/boot.css, inlined into
 * each page where it says so; each page sets only its own colours (--boot-bg, --boot-accent) on <html>.
 */
function bootStyle(): Plugin {
  const file = `${root}src/boot.css`;
  return {
    name: 'anxin-boot-style',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        const marker = /<!-- anxin:boot-style[^>]*-->/;
        if (!marker.test(html)) throw new Error('page without the anxin:boot-style marker');
        return html.replace(marker, () => `<style>\n${fs.readFileSync(file, 'utf8')}</style>`);
      },
    },
  };
}

interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null;
}
const ENTRY = { admin: `${root}src/apps/admin/main.tsx`, mobile: `${root}src/apps/mobile/bootstrap.tsx` };
const firstLoads = new WeakMap<ModuleGraph, { adminAll: Set<string>; mobile: Set<string> }>();
/** The modules an entry imports, transitively: before its first paint (static), or at any time (lazy too). */
function reachable(graph: ModuleGraph, entry: string, lazyToo = false): Set<string> {
  const seen = new Set<string>([entry]);
  for (const id of seen) {
    const info = graph.getModuleInfo(id);
    for (const next of info?.importedIds ?? []) seen.add(next);
    if (lazyToo) for (const next of info?.dynamicallyImportedIds ?? []) seen.add(next);
  }
  return seen;
}
function firstLoadOf(graph: ModuleGraph) {
  let sets = firstLoads.get(graph);
  if (!sets) {
    sets = { adminAll: reachable(graph, ENTRY.admin, true), mobile: reachable(graph, ENTRY.mobile) };
    firstLoads.set(graph, sets);
  }
  return sets;
}
/** What the mobile apps load first and the staff console uses too (the API client, copy, contracts). */
function sharedChunk(id: string, graph: ModuleGraph): string | null {
  const { adminAll, mobile } = firstLoadOf(graph);
  return adminAll.has(id) && mobile.has(id) ? 'shared' : null;
}
/** The rest of the mobile apps' first load (nothing the staff console uses); the console's stays in its entry. */
function mobileShellChunk(id: string, graph: ModuleGraph): string | null {
  const { adminAll, mobile } = firstLoadOf(graph);
  return mobile.has(id) && !adminAll.has(id) ? 'mobile-shell' : null;
}

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    multiPageFallback(),
    bootStyle(),
    // Brotli (max quality) and gzip copies of every text file over 1 KiB, written next to it at build time;
    // the server picks one per Accept-Encoding (@fastify/static preCompressed) instead of compressing per request.
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(html|css|js|mjs|json|svg|webmanifest|txt)$/,
      threshold: 1024,
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        doctor: `${root}index.html`,
        patient: `${root}patient/index.html`,
        admin: `${root}admin/index.html`,
      },
      output: {
        codeSplitting: {
          groups: [
            // One shared, long-cached chunk for the runtime every app needs.
            {
              name: 'runtime',
              priority: 4,
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|i18next|react-i18next|cookie|set-cookie-parser)[\\/]/,
            },
            // Everything the first screen needs, in one file (not dozens of small ones, each a request and a
            // render-blocking stylesheet): what both apps load first, and the mobile shell.
            { name: sharedChunk, debugName: 'shared', priority: 3 },
            { name: mobileShellChunk, debugName: 'mobile-shell', priority: 2 },
            // The rest of the mobile UI kit, loaded with the first screen that uses any of it.
            {
              name: 'mobile-ui',
              priority: 1,
              test: /node_modules[\\/](antd-mobile|antd-mobile-icons|@react-spring|@use-gesture|@floating-ui|rc-[a-z-]+|ahooks|use-sync-external-store)[\\/]/,
            },
          ],
        },
      },
    },
    // The staff console (desktop, antd) is one ~850 kB chunk by design; the mobile apps stay far below this.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      // The chat's WebSocket (must come before '/api', which does not proxy upgrades).
      '/api/ws': { target: api, ws: true },
      '/api': api,
      '/docs': api,
      '/healthz': api,
    },
  },
  preview: {
    proxy: {
      // The chat's WebSocket (must come before '/api', which does not proxy upgrades).
      '/api/ws': { target: api, ws: true },
      '/api': api,
      '/docs': api,
      '/healthz': api,
    },
  },
});

import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), multiPageFallback()],
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
        // One shared, long-cached chunk for the runtime every app needs; each app's UI kit stays with it.
        codeSplitting: {
          groups: [
            {
              name: 'runtime',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|i18next|react-i18next|cookie|set-cookie-parser)[\\/]/,
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

/*
 * Anxin service worker (hand-written, no build step).
 *
 * - Precaches the built app shell at install: the page's HTML and every hashed JS/CSS file reachable from it
 *   (its scripts, styles and the chunks those load later), so the app starts offline.
 * - Doctor app only: keeps the last successful work queue (GET /api/consultations) of the signed-in doctor in
 *   its own cache and answers it from there when the network fails. It is deleted on any sign-in or sign-out
 *   request (/api/auth/*) and whenever the server answers that request with 401/403.
 * - Keeps the public policy and user agreement texts (GET /api/policy/current and /terms, the same for everyone)
 *   so a device that agreed before can open the app offline. No other /api/ response, nor anything else that may
 *   carry personal or health data, is cached: those requests are not intercepted.
 * - When offline and no shell is cached, navigations get the offline notice page.
 *
 * Registered from the doctor app (scope "/") and the patient app (scope "/patient/"); the staff console
 * registers nothing and is passed through untouched.
 *
 * Push (NOT-1): shows the server's content-free notification ("您有一条新消息": never a name or message text,
 * decrypted by the browser from an end-to-end encrypted payload) and opens or focuses its link on click.
 */
const VERSION = 'v2';
const SCOPE_PATH = new URL(self.registration.scope).pathname; // "/" or "/patient/"
const CACHE_PREFIX = 'anxin-shell:';
const CACHE_NAME = `${CACHE_PREFIX}${SCOPE_PATH}:${VERSION}`;
const OFFLINE_URL = '/offline.html';
/** The signed-in doctor's last work queue: the one API response kept (see above). */
const QUEUE_CACHE = `anxin-queue:${SCOPE_PATH}`;
const QUEUE_PATH = '/api/consultations';
const KEEPS_QUEUE = SCOPE_PATH === '/';
/** Public documents without anything personal in them, kept with the shell. */
const PUBLIC_DOCS = /^\/api\/policy\/(current|terms)$/;

/** Paths the worker must never answer from, or store into, the cache. */
const NEVER_CACHE = [/^\/api(\/|$)/, /^\/docs(\/|$)/, /^\/healthz$/, /^\/readyz$/, /^\/admin(\/|$)/];
/** Static files that are safe to keep: content-hashed build output, icons and manifests. */
const STATIC = [/^\/assets\//, /^\/icons\//, /\.webmanifest$/, /^\/offline\.html$/];

function neverCache(path) {
  return NEVER_CACHE.some((re) => re.test(path));
}

/** The doctor worker (scope "/") leaves the patient app's pages to the patient worker. */
function isOwnPage(path) {
  if (!path.startsWith(SCOPE_PATH)) return false;
  if (SCOPE_PATH === '/' && (path === '/patient' || path.startsWith('/patient/'))) return false;
  return true;
}

/** Same-origin asset URLs referenced by the shell HTML (scripts, styles, module preloads, icons, manifest). */
function assetsIn(html) {
  const urls = new Set();
  const re = /(?:src|href)="(\/[^"]+)"/g;
  let m;
  while ((m = re.exec(html))) {
    const path = m[1];
    if (STATIC.some((s) => s.test(path))) urls.add(path);
  }
  return [...urls];
}

/** Build files a script or stylesheet loads (chunks are flat in /assets/: "./x-hash.js" or "assets/x-hash.js"). */
function chunksIn(code) {
  const urls = new Set();
  const re = /(?:\.\/|\/?assets\/)([\w.-]+\.(?:js|css))(?=["'`)])/g;
  let m;
  while ((m = re.exec(code))) urls.add(`/assets/${m[1]}`);
  return [...urls];
}

/** The shell HTML and everything reachable from it: the app's scripts and styles, and the chunks loaded later. */
async function precacheShell() {
  const cache = await caches.open(CACHE_NAME);
  await cache.add(new Request(OFFLINE_URL, { cache: 'reload' }));
  const res = await fetch(new Request(SCOPE_PATH, { cache: 'reload', credentials: 'same-origin' }));
  if (!res.ok || !(res.headers.get('content-type') || '').includes('text/html')) return;
  const html = await res.clone().text();
  await cache.put(SCOPE_PATH, res);
  const seen = new Set();
  let next = assetsIn(html);
  while (next.length > 0) {
    const found = await Promise.all(
      next
        .filter((url) => !seen.has(url) && seen.add(url))
        .map(async (url) => {
          try {
            const file = await fetch(new Request(url, { cache: 'reload' }));
            if (!file.ok) return [];
            await cache.put(url, file.clone());
            return /\.(js|css)$/.test(url) ? chunksIn(await file.text()) : [];
          } catch {
            return [];
          }
        }),
    );
    next = found.flat().filter((url) => !seen.has(url));
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const mine = `${CACHE_PREFIX}${SCOPE_PATH}:`;
      await Promise.all(names.filter((n) => n.startsWith(mine) && n !== CACHE_NAME).map((n) => caches.delete(n)));
      if (!KEEPS_QUEUE) await caches.delete(QUEUE_CACHE);
      await self.clients.claim();
    })(),
  );
});

async function offlineResponse() {
  const cached = await caches.match(OFFLINE_URL);
  return (
    cached ||
    new Response(
      '<!doctype html><meta charset="utf-8"><title>离线 Offline</title><p>当前处于离线状态，请联网后重试。</p><p>You are offline. Please reconnect and try again.</p>',
      {
        status: 503,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      },
    )
  );
}

/** Network first, so a new release shows up at once; the cached shell (or the offline page) when offline. */
async function shellNavigation(request) {
  const cache = await caches.open(CACHE_NAME);
  try {
    const res = await fetch(request);
    const html = (res.headers.get('content-type') || '').includes('text/html');
    if (res.ok && html && !res.redirected) {
      // Every deep link gets the same index.html from the server, so it is stored once under the scope path.
      await cache.put(SCOPE_PATH, res.clone());
    }
    return res;
  } catch {
    return (await cache.match(SCOPE_PATH)) || offlineResponse();
  }
}

/** Hashed build files never change: cache first, fill the cache on first use (lazy chunks, fonts, icons). */
async function staticAsset(request) {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(request);
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok && res.type === 'basic') await cache.put(request, res.clone());
  return res;
}

/**
 * The work queue: network first, and the last successful answer kept for when the network fails. A 401/403 (signed
 * out, session ended) drops it. Offline without a kept queue: the same NETWORK-style failure the app expects.
 */
/** Network first; the last copy when offline. */
async function publicDocument(request) {
  const cache = await caches.open(CACHE_NAME);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch (err) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw err;
  }
}

async function workQueue(request) {
  const cache = await caches.open(QUEUE_CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(QUEUE_PATH, res.clone());
    else if (res.status === 401 || res.status === 403) await caches.delete(QUEUE_CACHE);
    return res;
  } catch (err) {
    const kept = await cache.match(QUEUE_PATH);
    if (kept) return kept;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Signing in or out (whoever it is, on this device or all of them): the kept queue belonged to the previous
  // session. Not intercepted.
  if (request.method !== 'GET' && /^\/api\/(auth\/|me\/sessions)/.test(url.pathname)) {
    event.waitUntil(caches.delete(QUEUE_CACHE));
    return;
  }
  if (request.method !== 'GET') return;
  // Who is signed in is never kept either; but when the answer is "nobody" (401), the kept queue goes.
  if (KEEPS_QUEUE && url.pathname === '/api/me') {
    event.respondWith(
      fetch(request).then(async (res) => {
        if (res.status === 401) await caches.delete(QUEUE_CACHE);
        return res;
      }),
    );
    return;
  }
  if (KEEPS_QUEUE && url.pathname === QUEUE_PATH && !url.search) {
    event.respondWith(workQueue(request));
    return;
  }
  if (PUBLIC_DOCS.test(url.pathname)) {
    event.respondWith(publicDocument(request));
    return;
  }
  if (neverCache(url.pathname)) return; // straight to the network, never stored

  if (request.mode === 'navigate') {
    if (isOwnPage(url.pathname)) event.respondWith(shellNavigation(request));
    else event.respondWith(fetch(request).catch(() => offlineResponse()));
    return;
  }
  if (STATIC.some((re) => re.test(url.pathname))) event.respondWith(staticAsset(request));
});

// ---- push notifications -------------------------------------------------------------------------------------

const FALLBACK_NOTICE = { title: '安心 Anxin', body: '您有一条新通知 / You have a new notice' };

/** A same-origin path inside this worker's app; anything else falls back to the app's notices page. */
function notificationPath(value) {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return `${SCOPE_PATH}notices`;
  const url = new URL(value, self.location.origin);
  if (url.origin !== self.location.origin || !isOwnPage(url.pathname)) return `${SCOPE_PATH}notices`;
  return `${url.pathname}${url.search}`;
}

function readPayload(event) {
  try {
    const data = event.data ? event.data.json() : null;
    if (data && typeof data === 'object' && typeof data.title === 'string' && typeof data.body === 'string')
      return data;
  } catch {
    // not JSON: show the generic notice
  }
  return null;
}

self.addEventListener('push', (event) => {
  event.waitUntil(
    (async () => {
      const data = readPayload(event);
      const path = notificationPath(data && data.url);
      // Someone looking at exactly this page already sees the update; no need to ring.
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const watching = windows.some(
        (c) => c.focused && c.visibilityState === 'visible' && new URL(c.url).pathname === path,
      );
      if (watching) return;
      const icon = SCOPE_PATH === '/patient/' ? '/icons/patient-192.png' : '/icons/doctor-192.png';
      await self.registration.showNotification(data ? data.title : FALLBACK_NOTICE.title, {
        body: data ? data.body : FALLBACK_NOTICE.body,
        tag: data && typeof data.tag === 'string' ? data.tag : undefined,
        renotify: Boolean(data && data.tag),
        icon,
        badge: icon,
        data: { path },
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path = notificationPath(event.notification.data && event.notification.data.path);
  const target = new URL(path, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const exact = windows.find((c) => c.url === target);
      if (exact) return exact.focus();
      const mine = windows.find((c) => isOwnPage(new URL(c.url).pathname));
      if (mine) {
        const focused = await mine.focus();
        if ('navigate' in focused) {
          const moved = await focused.navigate(target).catch(() => null);
          if (moved) return moved;
        }
      }
      return self.clients.openWindow(target);
    })(),
  );
});

/** The browser replaced its subscription (e.g. key rotation): register the new one for this signed-in device. */
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const options = event.oldSubscription && event.oldSubscription.options;
      const sub = event.newSubscription || (options ? await self.registration.pushManager.subscribe(options) : null);
      if (!sub) return;
      await fetch('/api/push/subscriptions', {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(sub.toJSON()),
      });
    })().catch(() => undefined),
  );
});

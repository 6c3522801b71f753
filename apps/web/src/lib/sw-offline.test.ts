import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';

const SW = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../public/sw.js'), 'utf8');
const ORIGIN = 'https://anxin.example';

/** A Cache Storage in memory: named caches of URL → Response. */
function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const key = (r: Request | string) => new URL(typeof r === 'string' ? r : r.url, ORIGIN).href;
  const open = async (name: string) => {
    const store = stores.get(name) ?? new Map<string, Response>();
    stores.set(name, store);
    return {
      put: async (r: Request | string, res: Response) => void store.set(key(r), res),
      match: async (r: Request | string) => store.get(key(r))?.clone(),
      add: async () => undefined,
    };
  };
  return {
    stores,
    api: {
      open,
      delete: async (name: string) => stores.delete(name),
      keys: async () => [...stores.keys()],
      match: async (r: Request | string) => {
        for (const s of stores.values()) if (s.has(key(r))) return s.get(key(r))!.clone();
        return undefined;
      },
    },
  };
}

/** Loads public/sw.js for a scope with a scripted network; returns a fetch dispatcher. */
function loadWorker(scopePath: '/' | '/patient/', network: (req: Request) => Promise<Response>) {
  const handlers = new Map<string, (event: unknown) => void>();
  const caches = fakeCaches();
  const self = {
    registration: { scope: `${ORIGIN}${scopePath}`, showNotification: vi.fn(), pushManager: {} },
    location: new URL(`${ORIGIN}/sw.js`),
    clients: { matchAll: vi.fn(async () => []), openWindow: vi.fn(), claim: vi.fn() },
    addEventListener: (name: string, fn: (event: unknown) => void) => handlers.set(name, fn),
    skipWaiting: vi.fn(),
  };
  const fetch = vi.fn(network);
  // In a worker, relative URLs resolve against its origin.
  class WorkerRequest extends Request {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === 'string' ? new URL(input, ORIGIN).href : input, init);
    }
  }
  vm.runInNewContext(SW, { self, URL, Response, Request: WorkerRequest, fetch, caches: caches.api, console });
  /** The worker's answer (undefined: not intercepted, the browser goes to the network itself). */
  const request = async (url: string, init: RequestInit & { mode?: RequestMode } = {}) => {
    let answer: Promise<Response> | undefined;
    const waits: Promise<unknown>[] = [];
    const req = new Request(`${ORIGIN}${url}`, init);
    handlers.get('fetch')!({
      request: Object.defineProperty(req, 'mode', { value: init.mode ?? 'cors' }),
      respondWith: (p: Promise<Response>) => (answer = p),
      waitUntil: (p: Promise<unknown>) => waits.push(p),
    });
    const res = answer ? await answer : undefined;
    await Promise.all(waits);
    return res;
  };
  const install = async () => {
    let done: Promise<unknown> = Promise.resolve();
    handlers.get('install')!({ waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  };
  return { request, install, caches: caches.stores, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const offline = () => Promise.reject(new TypeError('Failed to fetch'));

describe('service worker: shell precache', () => {
  it('precaches the shell HTML and every chunk reachable from it, including ones loaded later', async () => {
    const files: Record<string, string> = {
      '/patient/':
        '<script type="module" src="/assets/patient-A1.js"></script><link rel="stylesheet" href="/assets/shell-B2.css">',
      '/assets/patient-A1.js': 'const m=()=>import("./ChatPage-C3.js");__vite__mapDeps(["assets/mobile-ui-D4.js"])',
      '/assets/ChatPage-C3.js': 'import("./ChatPage-C3.js");export{}',
      '/assets/mobile-ui-D4.js': 'export{}',
      '/assets/shell-B2.css': 'body{}',
    };
    const w = loadWorker('/patient/', async (req) => {
      const body = files[new URL(req.url).pathname];
      return body === undefined
        ? new Response('', { status: 404 })
        : new Response(body, { headers: { 'content-type': req.url.endsWith('/') ? 'text/html' : 'text/javascript' } });
    });
    await w.install();
    expect([...w.caches.get('anxin-shell:/patient/:v2')!.keys()].map((u) => new URL(u).pathname).sort()).toEqual(
      Object.keys(files).sort(),
    );
  });
});

describe('service worker: offline work queue', () => {
  it('keeps the last work queue and answers it when the network fails', async () => {
    let up = true;
    const w = loadWorker('/', (req) => (up ? Promise.resolve(json({ consultations: [{ id: req.url }] })) : offline()));
    expect((await (await w.request('/api/consultations'))!.json()).consultations).toHaveLength(1);
    up = false;
    const kept = await w.request('/api/consultations');
    expect(kept!.status).toBe(200);
    expect((await kept!.json()).consultations).toHaveLength(1);
  });

  it('offline without a kept queue, fails like the network does (the app shows its error state)', async () => {
    const w = loadWorker('/', offline);
    await expect(w.request('/api/consultations')).rejects.toThrow('Failed to fetch');
  });

  it('drops the kept queue on sign-in, sign-out and signing out every device, and when the server says 401', async () => {
    for (const [url, method] of [
      ['/api/auth/sign-out', 'POST'],
      ['/api/auth/verify', 'POST'],
      ['/api/me/sessions/sign-out-all', 'POST'],
    ] as const) {
      const w = loadWorker('/', async () => json({ consultations: [] }));
      await w.request('/api/consultations');
      expect(w.caches.get('anxin-queue:/')?.size).toBe(1);
      expect(await w.request(url, { method })).toBeUndefined(); // not intercepted
      expect(w.caches.has('anxin-queue:/')).toBe(false);
    }
    let status = 200;
    const w = loadWorker('/', async () => json({ consultations: [] }, status));
    await w.request('/api/consultations');
    status = 401;
    expect((await w.request('/api/me'))!.status).toBe(401);
    expect(w.caches.has('anxin-queue:/')).toBe(false);
    status = 200;
    await w.request('/api/consultations');
    status = 401;
    await w.request('/api/consultations');
    expect(w.caches.has('anxin-queue:/')).toBe(false);
  });

  it('never keeps any other API response: not /api/me, not a consultation, not messages; the patient worker keeps no queue', async () => {
    const w = loadWorker('/', async () => json({ secret: '患者的消息' }));
    for (const url of ['/api/me', '/api/consultations/abc', '/api/consultations/abc/messages', '/api/notices'])
      await w.request(url);
    await w.request('/api/consultations?after=1');
    expect([...w.caches.values()].every((store) => store.size === 0)).toBe(true);
    const patient = loadWorker('/patient/', async () => json({ consultations: [] }));
    expect(await patient.request('/api/consultations')).toBeUndefined();
    expect(patient.caches.size).toBe(0);
  });

  it('keeps the public policy text for a device that agreed before', async () => {
    let up = true;
    const w = loadWorker('/', () => (up ? Promise.resolve(json({ version: 3 })) : offline()));
    await w.request('/api/policy/current?locale=zh-CN');
    up = false;
    expect(await (await w.request('/api/policy/current?locale=zh-CN'))!.json()).toEqual({ version: 3 });
  });
});

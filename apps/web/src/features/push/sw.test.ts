import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';

const SW = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../public/sw.js'), 'utf8');
const ORIGIN = 'https://anxin.example';

interface FakeWindow {
  url: string;
  focused: boolean;
  visibilityState: 'visible' | 'hidden';
  focus: ReturnType<typeof vi.fn>;
  navigate: ReturnType<typeof vi.fn>;
}

/** Loads public/sw.js into a fake ServiceWorkerGlobalScope and returns its event handlers and spies. */
function loadWorker(scopePath: '/' | '/patient/', windows: FakeWindow[] = []) {
  const handlers = new Map<string, (event: unknown) => void>();
  const showNotification = vi.fn(async () => undefined);
  const openWindow = vi.fn(async (url: string) => ({ url }));
  const self = {
    registration: { scope: `${ORIGIN}${scopePath}`, showNotification, pushManager: {} },
    location: new URL(`${ORIGIN}/sw.js`),
    clients: { matchAll: vi.fn(async () => windows), openWindow, claim: vi.fn() },
    addEventListener: (name: string, fn: (event: unknown) => void) => handlers.set(name, fn),
    skipWaiting: vi.fn(),
  };
  vm.runInNewContext(SW, { self, URL, Response, Request, fetch: vi.fn(), caches: {}, console });
  const dispatch = async (name: string, event: Record<string, unknown>) => {
    let done: Promise<unknown> = Promise.resolve();
    handlers.get(name)!({ ...event, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  };
  return { dispatch, showNotification, openWindow };
}

const pushEvent = (payload: unknown) => ({
  data: {
    json: () => {
      if (typeof payload === 'string') throw new SyntaxError('not json');
      return payload;
    },
  },
});

const win = (url: string, focused = false): FakeWindow => ({
  url,
  focused,
  visibilityState: focused ? 'visible' : 'hidden',
  focus: vi.fn(async function (this: FakeWindow) {
    return this;
  }),
  navigate: vi.fn(async (to: string) => ({ url: to })),
});

describe('service worker: push', () => {
  it('NOT-1: shows the content-free notification with its link; a bad link falls back to the notices page', async () => {
    const w = loadWorker('/patient/');
    const id = '6f1c3a52-1b7e-4b0e-9a55-3f0f2b9d2c11';
    await w.dispatch(
      'push',
      pushEvent({
        v: 1,
        title: '安心',
        body: '您有一条新消息',
        url: `/patient/consultations/${id}`,
        tag: `consultation:${id}`,
      }),
    );
    expect(w.showNotification).toHaveBeenCalledWith(
      '安心',
      expect.objectContaining({
        body: '您有一条新消息',
        tag: `consultation:${id}`,
        data: { path: `/patient/consultations/${id}` },
      }),
    );
    for (const url of ['//evil.example/x', 'https://evil.example/', '/consultations/x', '/admin']) {
      await w.dispatch('push', pushEvent({ v: 1, title: '安心', body: '您有一条新消息', url, tag: 't' }));
      expect(w.showNotification).toHaveBeenLastCalledWith(
        '安心',
        expect.objectContaining({ data: { path: '/patient/notices' } }),
      );
    }
    await w.dispatch('push', pushEvent('garbage'));
    expect(w.showNotification).toHaveBeenLastCalledWith(
      '安心 Anxin',
      expect.objectContaining({ body: '您有一条新通知 / You have a new notice', data: { path: '/patient/notices' } }),
    );
  });

  it('NOT-1: the doctor worker leaves patient links alone, and stays quiet for someone already on that page', async () => {
    const watching = win(`${ORIGIN}/consultations/abc`, true);
    const w = loadWorker('/', [watching]);
    await w.dispatch(
      'push',
      pushEvent({ v: 1, title: '安心', body: '您有一条新消息', url: '/consultations/abc', tag: 'x' }),
    );
    expect(w.showNotification).not.toHaveBeenCalled();
    await w.dispatch(
      'push',
      pushEvent({ v: 1, title: '安心', body: '您有一条新消息', url: '/patient/consultations/abc', tag: 'x' }),
    );
    expect(w.showNotification).toHaveBeenLastCalledWith(
      '安心',
      expect.objectContaining({ data: { path: '/notices' } }),
    );
  });
});

describe('service worker: notification click', () => {
  const click = (p: string) => ({ notification: { close: vi.fn(), data: { path: p } } });

  it('NOT-1: opens the link in a new window when the app is not open', async () => {
    const w = loadWorker('/');
    await w.dispatch('notificationclick', click('/consultations/abc'));
    expect(w.openWindow).toHaveBeenCalledWith(`${ORIGIN}/consultations/abc`);
  });

  it('NOT-1: focuses the window already showing the link, or moves an open app window there', async () => {
    const exact = win(`${ORIGIN}/consultations/abc`);
    const w1 = loadWorker('/', [win(`${ORIGIN}/me`), exact]);
    await w1.dispatch('notificationclick', click('/consultations/abc'));
    expect(exact.focus).toHaveBeenCalled();
    expect(w1.openWindow).not.toHaveBeenCalled();

    const other = win(`${ORIGIN}/me`);
    const w2 = loadWorker('/', [win(`${ORIGIN}/patient/`), other]);
    await w2.dispatch('notificationclick', click('/consultations/abc'));
    expect(other.focus).toHaveBeenCalled();
    expect(other.navigate).toHaveBeenCalledWith(`${ORIGIN}/consultations/abc`);
    expect(w2.openWindow).not.toHaveBeenCalled();
  });
});

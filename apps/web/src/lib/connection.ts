/**
 * The app's connection as it really is, for the indicator: `offline` when the device has no network or the server
 * cannot be reached (a probe of /healthz, which the service worker never answers), `connecting` while the
 * signed-in app's WebSocket is (re)connecting, `online` when it is open. navigator.onLine alone only knows that
 * some network exists, not that this server answers.
 */
import { useSyncExternalStore } from 'react';
import { onApiError } from './api';
import { realtime } from './realtime/instance';

export type Connection = 'online' | 'connecting' | 'offline';

const PROBE_MS = 5_000;
const PROBE_TIMEOUT_MS = 4_000;

let browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
/** The last probe's answer; null before the first one. */
let reachable: boolean | null = null;
const listeners = new Set<() => void>();
let state: Connection = compute();
let timer: number | undefined;
let probing = false;

function compute(): Connection {
  if (!browserOnline || reachable === false) return 'offline';
  // The app's WebSocket (lib/realtime) counts while it is meant to be open (signed in), not after sign-out.
  if (reachable === null || (realtime.running && realtime.getState() !== 'open')) return 'connecting';
  return 'online';
}

function update() {
  const next = compute();
  if (next !== state) {
    state = next;
    for (const l of listeners) l();
  }
  // Not online: look again every few seconds (and stop once online).
  window.clearTimeout(timer);
  if (state !== 'online' && listeners.size > 0) timer = window.setTimeout(() => void probe(), PROBE_MS);
}

async function probe() {
  if (probing) return;
  probing = true;
  try {
    const res = await fetch('/healthz', { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    reachable = res.ok;
  } catch {
    reachable = false;
  } finally {
    probing = false;
  }
  update();
}

// The WebSocket (re)connecting or dropped: is it the network, or only the socket? Open: the server answers.
realtime.onState((socket) => {
  if (socket === 'open') reachable = true;
  else if (realtime.running) void probe();
  update();
});

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) {
    const online = () => {
      browserOnline = true;
      void probe();
    };
    const offline = () => {
      browserOnline = false;
      update();
    };
    const visible = () => {
      if (document.visibilityState === 'visible') void probe();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    // A request that never reached the server: check whether the server is there at all.
    const stopErrors = onApiError((error) => {
      if (error.code === 'NETWORK_ERROR') void probe();
    });
    void probe();
    unsubscribeAll = () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
      stopErrors();
      window.clearTimeout(timer);
    };
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) unsubscribeAll();
  };
}
let unsubscribeAll = () => {};

const snapshot = () => state;

export function useConnection(): Connection {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

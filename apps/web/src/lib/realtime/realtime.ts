/**
 * The app's one WebSocket to the server (`/api/ws`, see apps/server/src/realtime/ws.routes.ts): chat, call
 * signalling and crisis alerts all ride on it. This module owns the connection — opening it, one reconnect
 * backoff, reconnecting at once when the network comes back, and the session check (close code 4401 stops it and
 * asks the app to look at the session again). Features subscribe to the frame types they handle and send over
 * it; what to do after a reconnect (chat `sync`, `call.resume`) stays with each feature, which watches the state.
 * No React here (see RealtimeProvider.tsx); the WebSocket class, timers and event target can be injected for tests.
 */
import type { ClientFrame, ServerFrame } from '@anxin/contracts';

/** `connecting`: a socket is being opened. `open`: frames flow. `offline`: no socket (waiting to retry, or stopped). */
export type RealtimeState = 'connecting' | 'open' | 'offline';
export type FrameType = ServerFrame['type'];
export type FrameOf<T extends FrameType> = Extract<ServerFrame, { type: T }>;

/** Close code of the server when the session ended or was revoked (ws.routes.ts `WS_SESSION_ENDED`). */
export const SESSION_ENDED = 4401;

/** Reconnect delays: quick at first (a call has a 30 s grace period to come back), then every 5 s. */
export const RECONNECT_MS = [250, 1_000, 2_000, 5_000] as const;

export function reconnectDelay(attempt: number): number {
  return RECONNECT_MS[Math.min(Math.max(attempt, 0), RECONNECT_MS.length - 1)] ?? 5_000;
}

/** The ws:// or wss:// address of the socket on this origin. */
export function socketUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/ws`;
}

/** A server frame (a JSON object with a string `type`), or null for anything else (never throws). */
export function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  return typeof (value as { type?: unknown }).type === 'string' ? (value as ServerFrame) : null;
}

/** The part of the browser's WebSocket used here (a fake one in tests). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((e: unknown) => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  onclose: ((e: { code: number }) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}
export type SocketClass = new (url: string) => SocketLike;

/** WebSocket.OPEN */
const OPEN = 1;

export interface RealtimeOptions {
  /** Where to connect; read at each attempt. */
  url: () => string;
  /** Defaults to the browser's WebSocket. */
  WebSocket?: SocketClass;
  /** Defaults to `reconnectDelay`. */
  delay?: (attempt: number) => number;
  /** Where `online` (and the Network Information `change`) events arrive; defaults to window. null: none. */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  /** Network Information API (`change` when the network changes); defaults to navigator.connection. */
  network?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
}

export interface Realtime {
  /** Open the socket and keep it open until `stop` (or the session ends). Calling it again does nothing. */
  start(options?: { onSessionEnded?: () => void }): void;
  /** Close the socket (code 1000) and stop reconnecting: signed out, or the app went away. */
  stop(): void;
  /** Between `start` and `stop`, and not ended by the server for the session. */
  readonly running: boolean;
  readonly state: RealtimeState;
  getState(): RealtimeState;
  /** Called on every state change (after `state` and `running` are updated). */
  onState(listener: (state: RealtimeState) => void): () => void;
  /** Frames of one type, in the order they arrive. Returns the unsubscribe. */
  subscribe<T extends FrameType>(type: T, listener: (frame: FrameOf<T>) => void): () => void;
  /** Sends when the socket is open and says so; false otherwise (nothing is queued: callers fall back or wait). */
  send(frame: ClientFrame): boolean;
}

export function createRealtime(options: RealtimeOptions): Realtime {
  const delay = options.delay ?? reconnectDelay;
  const frameListeners = new Map<string, Set<(frame: ServerFrame) => void>>();
  const stateListeners = new Set<(state: RealtimeState) => void>();
  let ws: SocketLike | null = null;
  let state: RealtimeState = 'offline';
  let running = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onSessionEnded: (() => void) | undefined;
  let events: RealtimeOptions['events'] = null;
  let network: RealtimeOptions['network'] = null;

  const setState = (next: RealtimeState) => {
    if (next === state) return;
    state = next;
    for (const l of [...stateListeners]) l(next);
  };

  const schedule = () => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(connect, delay(attempt++));
  };

  function connect() {
    if (!running || ws) return;
    // The browser's class unless one was injected (tests).
    const WebSocket = options.WebSocket ?? (globalThis.WebSocket as unknown as SocketClass | undefined);
    let socket: SocketLike;
    try {
      if (!WebSocket) throw new Error('WebSocket unavailable');
      socket = new WebSocket(options.url()); // the app's only one
    } catch {
      setState('offline');
      schedule();
      return;
    }
    ws = socket;
    setState('connecting');
    socket.onopen = () => {
      if (ws !== socket) return;
      attempt = 0;
      setState('open');
    };
    socket.onmessage = (e) => {
      if (ws !== socket) return;
      const frame = parseFrame(e.data);
      if (!frame) return;
      const listeners = frameListeners.get(frame.type);
      // A listener unsubscribed by an earlier one (during this frame) gets nothing more.
      if (listeners) for (const l of [...listeners]) if (listeners.has(l)) l(frame);
    };
    socket.onclose = (e) => {
      if (ws !== socket) return; // an old socket (stopped, or StrictMode's first mount)
      ws = null;
      if (e.code === SESSION_ENDED) {
        // The session ended: no reconnecting; the app looks at the session (and shows sign-in).
        halt();
        setState('offline');
        onSessionEnded?.();
        return;
      }
      setState('offline');
      schedule();
    };
  }

  /** The network is back (or changed): try now instead of waiting for the next attempt. */
  const onNetwork = () => {
    if (!running || ws) return;
    attempt = 0;
    clearTimeout(timer);
    connect();
  };

  function halt() {
    running = false;
    clearTimeout(timer);
    events?.removeEventListener('online', onNetwork);
    network?.removeEventListener('change', onNetwork);
    events = null;
    network = null;
  }

  return {
    start(opts = {}) {
      if (running) return;
      onSessionEnded = opts.onSessionEnded;
      running = true;
      attempt = 0;
      events = options.events !== undefined ? options.events : typeof window === 'undefined' ? null : window;
      network =
        options.network !== undefined
          ? options.network
          : ((typeof navigator === 'undefined'
              ? null
              : (navigator as Navigator & { connection?: EventTarget }).connection) ?? null);
      events?.addEventListener('online', onNetwork);
      network?.addEventListener?.('change', onNetwork);
      connect();
    },
    stop() {
      const wasRunning = running;
      halt();
      const socket = ws;
      ws = null;
      socket?.close(1000);
      if (state !== 'offline') setState('offline');
      else if (wasRunning) for (const l of [...stateListeners]) l(state); // `running` changed
    },
    get running() {
      return running;
    },
    get state() {
      return state;
    },
    getState: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    subscribe(type, listener) {
      const set = frameListeners.get(type) ?? new Set();
      frameListeners.set(type, set);
      const l = listener as (frame: ServerFrame) => void;
      set.add(l);
      return () => {
        set.delete(l);
        if (set.size === 0 && frameListeners.get(type) === set) frameListeners.delete(type);
      };
    },
    send(frame) {
      if (!ws || state !== 'open' || ws.readyState !== OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
  };
}

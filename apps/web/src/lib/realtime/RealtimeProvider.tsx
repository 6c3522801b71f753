import { createContext, useContext, useLayoutEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { realtime as appRealtime } from './instance';
import type { Realtime, RealtimeState } from './realtime';

const RealtimeContext = createContext<Realtime>(appRealtime);

/**
 * Opens the app's one WebSocket while `userId` is set (a signed-in doctor or patient who may use it) and closes it
 * when it is cleared (sign-out) or changes; mounted once in the app shell, around everything that uses it.
 * `onSessionEnded`: the server closed the socket because the session ended (code 4401).
 */
export function RealtimeProvider({
  userId,
  onSessionEnded,
  instance = appRealtime,
  children,
}: {
  userId: string | null;
  onSessionEnded: () => void;
  instance?: Realtime;
  children: ReactNode;
}) {
  const ended = useRef(onSessionEnded);
  ended.current = onSessionEnded;
  // A layout effect: open before the screens' own (passive) effects look at the state, so a chat opened with the
  // app starts as "connecting", not as "polling".
  useLayoutEffect(() => {
    if (!userId) return;
    instance.start({ onSessionEnded: () => ended.current() });
    return () => instance.stop();
  }, [userId, instance]);
  return <RealtimeContext.Provider value={instance}>{children}</RealtimeContext.Provider>;
}

/** The app's connection: `subscribe(type, fn)`, `send(frame)`, `state`, `onState(fn)`. */
export function useRealtime(): Realtime {
  return useContext(RealtimeContext);
}

/** The connection's state, re-rendering when it changes. */
export function useRealtimeState(): RealtimeState {
  const r = useRealtime();
  return useSyncExternalStore(r.onState, r.getState, r.getState);
}

import type { AppKind, Me } from '@anxin/contracts';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, onApiError, toApiError, type ApiError } from '../../lib/api';
import { adoptLocale, currentLocale, hasChosenLocale } from '../../lib/i18n';

export type SessionState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  /**
   * `otherApp`: the cookie belongs to another app's account (same origin, one cookie).
   * `ended`: the session ended while in use (expired, or signed out from another device).
   */
  | { status: 'signedOut'; otherApp?: AppKind; ended?: boolean }
  | { status: 'signedIn'; me: Me };

interface SessionContextValue {
  state: SessionState;
  /** The signed-in person, when there is one. */
  me: Me | undefined;
  refresh: () => Promise<void>;
  setMe: (me: Me) => void;
  signOut: () => Promise<void>;
  markSignedOut: (ended?: boolean) => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/**
 * Who is signed in to this app, from `GET /api/session`. Does nothing while `enabled` is false, so the
 * mobile apps make no request beyond the policy text before the first-visit notice is agreed to.
 */
export function SessionProvider({
  app,
  enabled = true,
  children,
}: {
  app: AppKind;
  enabled?: boolean;
  children: ReactNode;
}) {
  const [state, setState] = useState<SessionState>(enabled ? { status: 'loading' } : { status: 'idle' });
  const generation = useRef(0);

  const accept = useCallback(
    (me: Me) => {
      if (me.app !== app) setState({ status: 'signedOut', otherApp: me.app });
      else setState({ status: 'signedIn', me });
    },
    [app],
  );

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => (s.status === 'signedIn' ? s : { status: 'loading' }));
    try {
      // Signed out is an answer, not an error: no failed request on a visitor's first load.
      const { me, ended } = await api.session();
      if (mine !== generation.current) return;
      if (me) accept(me);
      else setState({ status: 'signedOut', ended });
    } catch (err) {
      if (mine !== generation.current) return;
      const error = toApiError(err);
      setState(
        error.status === 401
          ? { status: 'signedOut', ended: error.code === 'SESSION_EXPIRED' }
          : { status: 'error', error },
      );
    }
  }, [accept]);

  const markSignedOut = useCallback((ended = false) => {
    generation.current++;
    setState({ status: 'signedOut', ended });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } catch (err) {
      // Already signed out is fine; anything else (offline) must not pretend the cookie is gone.
      if (toApiError(err).status !== 401) throw err;
    }
    markSignedOut(false);
  }, [markSignedOut]);

  useEffect(() => {
    if (enabled) void refresh();
  }, [enabled, refresh]);

  // Couldn't reach the server: look again as soon as the device is back online.
  const failed = state.status === 'error';
  useEffect(() => {
    if (!failed) return;
    const retry = () => void refresh();
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [failed, refresh]);

  // Any call answering 401 means the session ended (expired, or signed out from another device);
  // POLICY_ACCEPTANCE_REQUIRED means a new policy took effect: reload `me` so the gate shows it.
  useEffect(
    () =>
      onApiError((error, _method, path) => {
        if (path.startsWith('/api/auth/')) return; // sign-in steps report their own errors
        if (error.status === 401 && path !== '/api/me') markSignedOut(true);
        else if (error.code === 'POLICY_ACCEPTANCE_REQUIRED') void refresh();
      }),
    [markSignedOut, refresh],
  );

  // Language: a choice made on this device wins and is saved to the account; otherwise follow the account.
  const me = state.status === 'signedIn' ? state.me : undefined;
  const meId = me?.id;
  useEffect(() => {
    if (!me || me.stage !== 'active' || me.policy.needsAcceptance) return;
    if (me.locale === currentLocale()) return;
    if (hasChosenLocale()) api.updateMe({ locale: currentLocale() }).catch(() => undefined);
    else void adoptLocale(me.locale);
    // Only when a (different) person signs in, not on every profile update.
  }, [meId]);

  return (
    <SessionContext.Provider value={{ state, me, refresh, setMe: accept, signOut, markSignedOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** For screens that only render when signed in. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe while signed out');
  return me;
}

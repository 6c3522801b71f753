import type { PolicyDocument } from '@anxin/contracts';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../lib/api';
import { currentLocale } from '../../lib/i18n';
import { useResource } from '../../lib/hooks';
import { clearPolicyAck, readPolicyAck, storePolicyAck, type MobileApp } from '../../lib/storage';

interface PolicyContextValue {
  /** The current policy in the UI language (the previous one stays while a language switch loads). */
  doc: PolicyDocument | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  /** Policy version whose first-visit notice was agreed to on this device (UI memory only). */
  ack: number | null;
  acknowledge: (version: number) => void;
  /** Takes the first-visit agreement back (before sign-in): the notice asks again. */
  withdrawAck: () => void;
}

const PolicyContext = createContext<PolicyContextValue | null>(null);

export function PolicyProvider({ app, children }: { app: MobileApp; children: ReactNode }) {
  useTranslation(); // re-render (and refetch) when the language changes
  const locale = currentLocale();
  const { data, error, loading, reload } = useResource(() => api.policy(locale), [locale]);
  const [ack, setAck] = useState(() => readPolicyAck(app));
  const acknowledge = useCallback(
    (version: number) => {
      storePolicyAck(app, version);
      setAck(version);
    },
    [app],
  );
  const withdrawAck = useCallback(() => {
    clearPolicyAck(app);
    setAck(null);
  }, [app]);
  return (
    <PolicyContext.Provider value={{ doc: data, error, loading, reload, ack, acknowledge, withdrawAck }}>
      {children}
    </PolicyContext.Provider>
  );
}

export function usePolicy(): PolicyContextValue {
  const value = useContext(PolicyContext);
  if (!value) throw new Error('usePolicy outside PolicyProvider');
  return value;
}

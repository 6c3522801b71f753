import type { CrisisView } from '@anxin/contracts';
import { useCallback, useEffect, useState } from 'react';
import { crisisApi, toApiError, type ApiError } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { useRealtime } from '../../lib/realtime';
import { onCrisisFrame } from './frames';

/** The doctor's view is refreshed this often too, in case the socket is down (the chat then polls over REST). */
const DOCTOR_REFRESH_MS = 30_000;

export interface Crisis {
  view: CrisisView | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  /** How many live alerts arrived while this screen was open (the banner draws attention to a new one). */
  liveAlerts: number;
  acknowledge: () => Promise<void>;
  acknowledging: boolean;
  acknowledgeError: ApiError | undefined;
}

/**
 * CON-4: a consultation's crisis state from `GET /api/consultations/:id/crisis`, refreshed when the app's socket
 * delivers a `crisis` frame for it (doctor only; the patient never gets one) and, for the doctor, every 30 s and
 * when the page becomes visible again.
 */
export function useCrisis(consultationId: string, role: 'doctor' | 'patient'): Crisis {
  const resource = useResource(() => crisisApi.view(consultationId), [consultationId]);
  const { reload } = resource;
  const realtime = useRealtime();
  const [liveAlerts, setLiveAlerts] = useState(0);
  const [acknowledging, setAcknowledging] = useState(false);
  const [acknowledgeError, setAcknowledgeError] = useState<ApiError>();

  useEffect(() => {
    setLiveAlerts(0);
    setAcknowledgeError(undefined);
  }, [consultationId]);

  useEffect(
    () =>
      onCrisisFrame(realtime, consultationId, () => {
        setLiveAlerts((n) => n + 1);
        void reload();
      }),
    [realtime, consultationId, reload],
  );

  useEffect(() => {
    if (role !== 'doctor') return;
    const refresh = () => {
      if (document.visibilityState === 'visible') void reload();
    };
    const timer = window.setInterval(refresh, DOCTOR_REFRESH_MS);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [role, reload]);

  const acknowledge = useCallback(async () => {
    setAcknowledging(true);
    setAcknowledgeError(undefined);
    try {
      await crisisApi.acknowledge(consultationId);
      await reload();
    } catch (err) {
      setAcknowledgeError(toApiError(err));
    } finally {
      setAcknowledging(false);
    }
  }, [consultationId, reload]);

  return {
    view: resource.data,
    error: resource.error,
    loading: resource.loading,
    reload,
    liveAlerts,
    acknowledge,
    acknowledging,
    acknowledgeError,
  };
}

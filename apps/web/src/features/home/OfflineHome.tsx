import { Button } from 'antd-mobile';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { useConnection } from '../../lib/connection';
import { LoadingView } from '../../ui/mobile/StatusViews';

// Loaded when first shown (precached by the service worker), so the shell stays small.
const WorkQueue = lazy(() => import('../consultations').then((m) => ({ default: m.WorkQueue })));
const PatientsPage = lazy(() => import('../consultations').then((m) => ({ default: m.PatientsPage })));

/**
 * The doctor app when the server cannot be reached and nobody is known to be signed in yet: the shell, the work
 * queue and the patient list as last seen (the service worker keeps the last queue of the signed-in doctor and
 * nothing else), and a way to try again. Everything else waits for the connection.
 */
export function OfflineRoutes({ onRetry }: { onRetry: () => void }) {
  // The server answers again (its health check, not only the browser's online flag): look up the session.
  const connection = useConnection();
  const was = useRef(connection);
  useEffect(() => {
    if (was.current === 'offline' && connection !== 'offline') onRetry();
    was.current = connection;
  }, [connection, onRetry]);
  return (
    <Suspense fallback={<LoadingView fullscreen />}>
      <Routes>
        <Route index element={<OfflineHome onRetry={onRetry} />} />
        <Route path="/patients" element={<PatientsPage />} />
        <Route path="/patients/:id" element={<PatientsPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}

function OfflineHome({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="ax-home" data-testid="offline-home">
      <header className="ax-home-hero ax-home-hero-offline">
        <div>
          <div className="ax-home-greeting">{t('home.greetingAnonymous')}</div>
          <div className="ax-home-brand">{t('brand.doctor.name')}</div>
        </div>
        <Button size="small" fill="outline" color="primary" onClick={onRetry} data-testid="offline-retry">
          {t('offline.retry')}
        </Button>
      </header>
      <WorkQueue />
    </div>
  );
}

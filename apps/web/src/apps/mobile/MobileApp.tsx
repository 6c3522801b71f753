import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ReturnAfterSignIn } from '../../features/directory/ReturnAfterSignIn';
import { PolicyProvider, usePolicy } from '../../features/policy/PolicyContext';
import { PrivacyNoticeGate } from '../../features/policy/PrivacyNoticeGate';
import { SessionProvider, useSession } from '../../features/session/SessionContext';
import { currentLocale } from '../../lib/i18n';
import { RealtimeProvider } from '../../lib/realtime';
import { ConnectionBanner } from '../../ui/mobile/ConnectionBanner';
import { MobileAppProvider, useMobileApp, type MobileApp as AppName } from '../../ui/mobile/AppContext';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import {
  ApplicationPage,
  ApplicationStatusPage,
  CallProvider,
  ChatPage,
  ConsentRoute,
  ConsultationListPage,
  DevicesPage,
  DirectoryPage,
  DisplayNamePage,
  HomePage,
  MePage,
  NewConsultationPage,
  NoticesPage,
  NotificationsPage,
  OfflineRoutes,
  PatientsPage,
  PolicyPage,
  PolicyReaccept,
  PrivacyPage,
  PublicProfilePage,
  SignInPage,
  VisitorHome,
} from './pages';
import { TabLayout } from './TabLayout';

/** A signed-out visitor who opened a deep link signs in and lands where they were going (e.g. a new consultation). */
function SignInFirst() {
  const { pathname, search } = useLocation();
  const returnTo = pathname === '/' ? undefined : pathname + search;
  return <Navigate to="/sign-in" replace state={returnTo ? { returnTo } : undefined} />;
}

function AppRoutes() {
  const app = useMobileApp();
  const session = useSession();
  const { state } = session;

  if (state.status === 'idle' || state.status === 'loading') return <LoadingView fullscreen />;
  if (state.status === 'error')
    // Offline, the doctor still gets the shell and the last-seen work queue (kept by the service worker).
    return app === 'doctor' && state.error.code === 'NETWORK_ERROR' ? (
      <OfflineRoutes onRetry={() => void session.refresh()} />
    ) : (
      <ErrorView fullscreen error={state.error} onRetry={() => void session.refresh()} />
    );
  if (state.status === 'signedOut') {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        {/* The directory is public: browsing doctors needs no account (e.g. a doctor opening their own profile). */}
        {app === 'patient' && <Route index element={<VisitorHome />} />}
        {app === 'patient' && <Route path="/doctors" element={<DirectoryPage />} />}
        {app === 'patient' && <Route path="/doctors/:id" element={<PublicProfilePage />} />}
        {/* After closing the account every session has ended: its confirmation still shows (from this tab only). */}
        <Route path="/me/privacy/*" element={<PrivacyPage />} />
        <Route path="*" element={<SignInFirst />} />
      </Routes>
    );
  }
  if (state.me.policy.needsAcceptance) return <PolicyReaccept />;

  return (
    <Routes>
      <Route element={<TabLayout />}>
        <Route index element={<HomePage />} />
        <Route path="/me" element={<MePage />} />
      </Route>
      <Route path="/me/name" element={<DisplayNamePage />} />
      <Route path="/me/devices" element={<DevicesPage />} />
      <Route path="/me/privacy/*" element={<PrivacyPage />} />
      <Route path="/me/notifications" element={<NotificationsPage />} />
      <Route path="/policy" element={<PolicyPage backTo="/me" />} />
      <Route path="/consent/:purpose" element={<ConsentRoute />} />
      <Route path="/notices" element={<NoticesPage />} />
      <Route path="/sign-in" element={<ReturnAfterSignIn />} />
      {app === 'doctor' && <Route path="/onboarding" element={<ApplicationPage />} />}
      {app === 'doctor' && <Route path="/onboarding/status" element={<ApplicationStatusPage />} />}
      {app === 'patient' && <Route path="/doctors" element={<DirectoryPage />} />}
      {app === 'patient' && <Route path="/doctors/:id" element={<PublicProfilePage />} />}
      {app === 'patient' && <Route path="/find-doctor" element={<Navigate to="/doctors" replace />} />}
      {app === 'patient' && <Route path="/consultations" element={<ConsultationListPage />} />}
      {app === 'patient' && <Route path="/consultations/new" element={<NewConsultationPage />} />}
      {app === 'doctor' && <Route path="/consultations" element={<Navigate to="/" replace />} />}
      {app === 'doctor' && <Route path="/patients" element={<PatientsPage />} />}
      {app === 'doctor' && <Route path="/patients/:id" element={<PatientsPage />} />}
      <Route path="/consultations/:id" element={<ChatPage />} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

/**
 * The app's one WebSocket (lib/realtime): open while a doctor or patient who may use it (active, policy accepted)
 * is signed in, closed on sign-out; when the server ends it for the session, the session is looked up again.
 */
function Realtime({ children }: { children: ReactNode }) {
  const { me, refresh } = useSession();
  const userId = me && me.stage === 'active' && !me.policy.needsAcceptance && me.app !== 'staff' ? me.id : null;
  return (
    <RealtimeProvider userId={userId} onSessionEnded={() => void refresh()}>
      {children}
    </RealtimeProvider>
  );
}

/** The session is only looked up once this device has agreed to some version of the notice. */
function Session({ app }: { app: AppName }) {
  const { ack } = usePolicy();
  return (
    <SessionProvider app={app} enabled={ack !== null}>
      <PrivacyNoticeGate>
        <Realtime>
          {/* Calls ring on every screen of the signed-in app, and a call stays up while the person moves around. */}
          <CallProvider>
            <AppRoutes />
          </CallProvider>
        </Realtime>
      </PrivacyNoticeGate>
    </SessionProvider>
  );
}

/** The doctor (`/`) and patient (`/patient`) apps: same screens, different copy and colours. */
export function MobileApp({ app }: { app: AppName }) {
  const { t } = useTranslation();
  const locale = currentLocale();

  useEffect(() => {
    document.title = t(`brand.${app}.name`);
  }, [app, t, locale]);

  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN}>
      <MobileAppProvider value={app}>
        <BrowserRouter basename={app === 'doctor' ? '/' : '/patient'}>
          <div className="ax-app">
            <ConnectionBanner />
            <PolicyProvider app={app}>
              {/* Screens load when first shown (./pages); until the first one has, the loading view. */}
              <Suspense fallback={<LoadingView fullscreen />}>
                <Session app={app} />
              </Suspense>
            </PolicyProvider>
          </div>
        </BrowserRouter>
      </MobileAppProvider>
    </ConfigProvider>
  );
}

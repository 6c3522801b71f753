import { App as AntApp, ConfigProvider, Result, Spin, Button, Typography } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { canReview } from '../../features/admin-review/model';
import { canHandleCrisis } from '../../features/crisis/model';
import { SessionProvider, useMe, useSession } from '../../features/session/SessionContext';
import { currentLocale } from '../../lib/i18n';
import {
  AuditPage,
  ConsoleLayout,
  CrisisAccess,
  DevOutboxPage,
  EnrolPage,
  EscalationDetailPage,
  EscalationsPage,
  ReviewAccess,
  ReviewDetailPage,
  ReviewQueuePage,
  RightsAccess,
  RightsCalendarPage,
  RightsDetailPage,
  RightsHoldsPage,
  RightsNewPage,
  RightsOfficerAccess,
  RightsQueuePage,
  StaffSignIn,
} from './pages';

function Loading() {
  const { t } = useTranslation();
  return (
    <div className="ax-admin-center">
      <Spin size="large" />
      <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
    </div>
  );
}

/** Waits for `GET /api/session`, then shows the console (fully signed in) or the sign-in steps. */
function SessionGate({ children, signIn }: { children: ReactNode; signIn?: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const { state } = session;
  if (state.status === 'idle' || state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return (
      <div className="ax-admin-center">
        <Result
          status="warning"
          title={t('errors.loadTitle')}
          subTitle={state.error.message}
          extra={<Button onClick={() => void session.refresh()}>{t('common.retry')}</Button>}
        />
      </div>
    );
  }
  const active = state.status === 'signedIn' && state.me.stage === 'active';
  if (signIn) return active ? <Navigate to="/" replace /> : <>{children}</>;
  return active ? <>{children}</> : <Navigate to="/sign-in" replace />;
}

/** Where staff land after signing in: their work queue (reviews, else crisis escalations), else the audit log. */
function Landing() {
  const { roles } = useMe();
  const to = canReview(roles) ? '/reviews' : canHandleCrisis(roles) ? '/crisis' : '/audit';
  return <Navigate to={to} replace />;
}

function AdminRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/enrol" element={<EnrolPage />} />
        <Route
          path="/sign-in"
          element={
            <SessionGate signIn>
              <StaffSignIn />
            </SessionGate>
          }
        />
        <Route
          element={
            <SessionGate>
              <ConsoleLayout />
            </SessionGate>
          }
        >
          <Route index element={<Landing />} />
          <Route path="/dev-outbox" element={<DevOutboxPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route
            path="/reviews"
            element={
              <ReviewAccess>
                <ReviewQueuePage />
              </ReviewAccess>
            }
          />
          <Route
            path="/reviews/:id"
            element={
              <ReviewAccess>
                <ReviewDetailPage />
              </ReviewAccess>
            }
          />
          <Route
            path="/crisis"
            element={
              <CrisisAccess>
                <EscalationsPage />
              </CrisisAccess>
            }
          />
          <Route
            path="/crisis/:id"
            element={
              <CrisisAccess>
                <EscalationDetailPage />
              </CrisisAccess>
            }
          />
          <Route
            path="/rights"
            element={
              <RightsAccess>
                <RightsQueuePage />
              </RightsAccess>
            }
          />
          <Route
            path="/rights/new"
            element={
              <RightsAccess>
                <RightsNewPage />
              </RightsAccess>
            }
          />
          <Route
            path="/rights/calendar"
            element={
              <RightsOfficerAccess>
                <RightsCalendarPage />
              </RightsOfficerAccess>
            }
          />
          <Route
            path="/rights/holds"
            element={
              <RightsOfficerAccess>
                <RightsHoldsPage />
              </RightsOfficerAccess>
            }
          />
          <Route
            path="/rights/:id"
            element={
              <RightsAccess>
                <RightsDetailPage />
              </RightsAccess>
            }
          />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}

export function AdminApp() {
  const { t } = useTranslation();
  const locale = currentLocale();
  useEffect(() => {
    document.title = t('brand.admin.name');
  }, [t, locale]);
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      // Secondary and description text darker than antd's 45 % black, which is 3.3:1 on the console's grey
      // background: 65 % black is 6.9:1 there and 7.5:1 on white (WCAG AA asks 4.5:1).
      theme={{
        token: {
          colorPrimary: '#0f766e',
          borderRadius: 8,
          colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
          colorTextDescription: 'rgba(0, 0, 0, 0.65)',
        },
      }}
    >
      <AntApp>
        <BrowserRouter basename="/admin">
          <SessionProvider app="staff">
            <AdminRoutes />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

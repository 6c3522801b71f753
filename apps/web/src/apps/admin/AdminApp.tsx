import { App as AntApp, ConfigProvider, Result, Spin, Button, Typography } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuditPage } from '../../features/admin/AuditPage';
import { ConsoleLayout } from '../../features/admin/ConsoleLayout';
import { DevOutboxPage } from '../../features/admin/DevOutboxPage';
import { EnrolPage } from '../../features/admin/EnrolPage';
import { StaffSignIn } from '../../features/admin/StaffSignIn';
import { ReviewAccess, ReviewDetailPage, ReviewQueuePage } from '../../features/admin-review';
import { CrisisAccess, EscalationDetailPage, EscalationsPage } from '../../features/crisis/admin';
import { SessionProvider, useSession } from '../../features/session/SessionContext';
import { currentLocale } from '../../lib/i18n';

/** Waits for `GET /api/me`, then shows the console (fully signed in) or the sign-in steps. */
function SessionGate({ children, signIn }: { children: ReactNode; signIn?: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const { state } = session;
  if (state.status === 'idle' || state.status === 'loading') {
    return (
      <div className="ax-admin-center">
        <Spin size="large" />
        <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
      </div>
    );
  }
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

function AdminRoutes() {
  return (
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
        <Route index element={<Navigate to="/dev-outbox" replace />} />
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
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
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
      theme={{ token: { colorPrimary: '#0f766e', borderRadius: 8 } }}
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

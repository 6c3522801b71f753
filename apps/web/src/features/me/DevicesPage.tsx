import type { SessionInfo } from '@anxin/contracts';
import { Button, Dialog, List, NoticeBar, PullToRefresh, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, toApiError } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { useSession } from '../session/SessionContext';
import { usePullCopy } from './pull';

/** "登录设备": where this account is signed in, with sign-out per device or everywhere. */
export function DevicesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const pull = usePullCopy();
  const { data, error, loading, reload } = useResource(() => api.sessions(), []);
  const [busy, setBusy] = useState<string | null>(null);

  const confirm = (content: string) =>
    Dialog.confirm({
      content,
      confirmText: <span data-testid="dialog-confirm">{t('common.confirm')}</span>,
      cancelText: <span data-testid="dialog-cancel">{t('common.cancel')}</span>,
    });

  const run = async (key: string, action: () => Promise<unknown>, signsMeOut: boolean) => {
    setBusy(key);
    try {
      await action();
      Toast.show({ icon: 'success', content: t('devices.done') });
      if (signsMeOut) {
        session.markSignedOut();
        navigate('/sign-in', { replace: true });
      } else {
        await reload();
      }
    } catch (err) {
      Toast.show({ content: toApiError(err).message, duration: 3000 });
    } finally {
      setBusy(null);
    }
  };

  const signOutOne = async (s: SessionInfo) => {
    if (!(await confirm(t('devices.signOutOneConfirm', { device: s.device })))) return;
    await run(s.id, () => api.signOutSession(s.id), s.current);
  };
  const signOutOthers = async () => {
    if (!(await confirm(t('devices.signOutOthersConfirm')))) return;
    await run('others', () => api.signOutAll(false), false);
  };
  const signOutAll = async () => {
    if (!(await confirm(t('devices.signOutAllConfirm')))) return;
    await run('all', () => api.signOutAll(true), true);
  };

  const sessions = data ? [...data.sessions].sort((a, b) => Number(b.current) - Number(a.current)) : [];
  const others = sessions.filter((s) => !s.current);

  return (
    <Page title={t('devices.title')} backTo="/me">
      <PullToRefresh onRefresh={reload} {...pull}>
        <div className="ax-list-page" data-testid="devices">
          <p className="ax-muted ax-intro">{t('devices.intro')}</p>
          {!data && loading && <LoadingView />}
          {error && !data && (
            <ErrorView
              error={error}
              networkHint={t('errors.list')}
              onRetry={() => void reload()}
              testId="devices-error"
            />
          )}
          {error && data && (
            <NoticeBar color="alert" wrap content={error.isNetwork ? t('errors.list') : error.message} />
          )}
          {data && (
            <List mode="card" data-testid="devices-list">
              {sessions.map((s) => (
                <List.Item
                  key={s.id}
                  data-testid="device-item"
                  description={
                    <div className="ax-device-meta">
                      <div>{t('devices.lastActive', { time: formatRelative(s.lastSeenAt) })}</div>
                      <div>{t('devices.ip', { ip: s.ipMasked })}</div>
                      <div>{t('devices.signedInAt', { time: formatDateTime(s.createdAt) })}</div>
                      <div>{t('devices.expiresAt', { time: formatDateTime(s.expiresAt) })}</div>
                    </div>
                  }
                  extra={
                    <Button
                      size="mini"
                      fill="outline"
                      loading={busy === s.id}
                      disabled={busy !== null}
                      onClick={() => void signOutOne(s)}
                      data-testid={s.current ? 'device-sign-out-current' : 'device-sign-out'}
                    >
                      {t('devices.signOutOne')}
                    </Button>
                  }
                >
                  <span className="ax-device-name">{s.device}</span>
                  {s.current && (
                    <Tag color="primary" fill="outline" className="ax-device-tag" data-testid="current-device-tag">
                      {t('devices.current')}
                    </Tag>
                  )}
                </List.Item>
              ))}
            </List>
          )}
          {data && others.length === 0 && <EmptyView title={t('devices.empty')} description={t('devices.emptyHint')} />}
          {data && (
            <div className="ax-actions ax-devices-actions">
              {others.length > 0 && (
                <Button
                  block
                  color="primary"
                  fill="outline"
                  loading={busy === 'others'}
                  disabled={busy !== null}
                  onClick={() => void signOutOthers()}
                  data-testid="sign-out-others"
                >
                  {t('devices.signOutOthers')}
                </Button>
              )}
              <Button
                block
                color="danger"
                fill="outline"
                loading={busy === 'all'}
                disabled={busy !== null}
                onClick={() => void signOutAll()}
                data-testid="sign-out-all"
              >
                {t('devices.signOutAll')}
              </Button>
            </div>
          )}
        </div>
      </PullToRefresh>
    </Page>
  );
}

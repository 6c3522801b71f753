import type { Notice } from '@anxin/contracts';
import { List, NoticeBar, PullToRefresh, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { onboardingApi, toApiError } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePullCopy } from '../me/pull';
import { pickText } from '../onboarding/bundle';
import { useNoticesT } from './i18n';

/**
 * Where a notice's link leads: app paths of this app open in place; the other mobile app's paths load that app.
 * Anything off-site is ignored (notices never send people elsewhere).
 */
function destination(link: string, app: 'doctor' | 'patient'): { inApp: string } | { page: string } | null {
  let path: string;
  try {
    const url = new URL(link, window.location.origin);
    if (url.origin !== window.location.origin) return null;
    path = `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
  const isPatientPath = path === '/patient' || path.startsWith('/patient/');
  if (path === '/admin' || path.startsWith('/admin/')) return { page: path };
  if (app === 'patient') return isPatientPath ? { inApp: path.slice('/patient'.length) || '/' } : { page: path };
  return isPatientPath ? { page: path } : { inApp: path };
}

/** `/notices`: everything the platform told this person, newest first; opening one marks it read. */
export function NoticesPage() {
  const t = useNoticesT();
  const app = useMobileApp();
  const navigate = useNavigate();
  const pull = usePullCopy();
  const { data, error, loading, reload } = useResource(() => onboardingApi.notices(), []);
  const [read, setRead] = useState<ReadonlySet<string>>(() => new Set());

  const open = async (notice: Notice) => {
    if (!notice.readAt && !read.has(notice.id)) {
      setRead((s) => new Set(s).add(notice.id));
      try {
        await onboardingApi.readNotice(notice.id);
      } catch (err) {
        Toast.show({ content: t('notices.markReadFailed', { message: toApiError(err).message }), duration: 3000 });
      }
    }
    if (!notice.link) return;
    const target = destination(notice.link, app);
    if (!target) return;
    if ('inApp' in target) navigate(target.inApp);
    else window.location.assign(target.page);
  };

  const notices = data?.notices ?? [];

  return (
    <Page title={t('notices.title')} backTo="/">
      <PullToRefresh onRefresh={reload} {...pull}>
        <div className="ax-list-page" data-testid="notices">
          {!data && loading && <LoadingView text={t('notices.loading')} />}
          {!data && error && (
            <ErrorView
              error={error}
              title={t('notices.loadFailed')}
              onRetry={() => void reload()}
              testId="notices-error"
            />
          )}
          {data && error && <NoticeBar color="alert" wrap content={t('notices.loadFailed')} />}
          {data && notices.length === 0 && (
            <EmptyView
              title={t('notices.empty')}
              description={app === 'doctor' ? t('notices.emptyDoctor') : t('notices.emptyPatient')}
            />
          )}
          {notices.length > 0 && (
            <List mode="card" data-testid="notices-list">
              {notices.map((n) => {
                const unread = !n.readAt && !read.has(n.id);
                return (
                  <List.Item
                    key={n.id}
                    onClick={() => void open(n)}
                    arrowIcon={n.link ? undefined : false}
                    data-testid="notice-item"
                    data-notice-id={n.id}
                    data-kind={n.kind}
                    data-read={!unread}
                    prefix={
                      <span
                        className={unread ? 'ax-notice-dot ax-notice-dot-on' : 'ax-notice-dot'}
                        aria-label={unread ? t('notices.unread') : undefined}
                        data-testid={unread ? 'notice-unread-dot' : undefined}
                      />
                    }
                    description={
                      <div className="ax-notice-body">
                        <div>{pickText(n.body)}</div>
                        <time className="ax-small" dateTime={n.createdAt} title={formatDateTime(n.createdAt)}>
                          {formatRelative(n.createdAt)}
                        </time>
                      </div>
                    }
                  >
                    <span className={unread ? 'ax-notice-title ax-notice-title-unread' : 'ax-notice-title'}>
                      {pickText(n.title)}
                    </span>
                  </List.Item>
                );
              })}
            </List>
          )}
        </div>
      </PullToRefresh>
    </Page>
  );
}

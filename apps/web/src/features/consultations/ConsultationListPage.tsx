import type { ConsultationSummary } from '@anxin/contracts';
import { Badge, Button, List, NoticeBar, PullToRefresh } from 'antd-mobile';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { consultationApi } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePullCopy } from '../me/pull';
import { useConsultT } from './i18n';
import { StatusTag } from './StatusTag';

const ORDER = { active: 0, requested: 1, ended: 2, declined: 2 } as const;

function latest(c: ConsultationSummary): string {
  return c.lastMessageAt ?? c.endedAt ?? c.acceptedAt ?? c.createdAt;
}

/** Reloads when the app comes back to the foreground (new replies while it was in the background). */
export function useReloadOnVisible(reload: () => Promise<void>, everyMs?: number) {
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    const timer = everyMs ? window.setInterval(onVisible, everyMs) : undefined;
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.clearInterval(timer);
    };
  }, [reload, everyMs]);
}

/** `/consultations` (patient app): my consultations, the ones in progress first. */
export function ConsultationListPage() {
  const t = useConsultT();
  const navigate = useNavigate();
  const pull = usePullCopy();
  const { data, error, loading, reload } = useResource(() => consultationApi.list(), []);
  useReloadOnVisible(reload, 15_000);

  const list = [...(data?.consultations ?? [])].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || Date.parse(latest(b)) - Date.parse(latest(a)),
  );

  return (
    <Page title={t('consultations.list.title')} backTo="/">
      <PullToRefresh onRefresh={reload} {...pull}>
        <div className="ax-list-page" data-testid="consultation-list">
          {!data && loading && !error && <LoadingView text={t('consultations.list.loading')} />}
          {!data && error && (
            <ErrorView
              error={error}
              title={t('consultations.list.loadFailed')}
              onRetry={() => void reload()}
              testId="consultation-list-error"
            />
          )}
          {data && error && <NoticeBar color="alert" wrap content={t('consultations.list.refreshFailed')} />}
          {data && list.length === 0 && (
            <EmptyView title={t('consultations.list.empty')} description={t('consultations.list.emptyHint')}>
              <Button color="primary" onClick={() => navigate('/doctors')} data-testid="find-doctor">
                {t('consultations.list.toDirectory')}
              </Button>
            </EmptyView>
          )}
          {list.length > 0 && (
            <List mode="card">
              {list.map((c) => (
                <List.Item
                  key={c.id}
                  onClick={() => navigate(`/consultations/${encodeURIComponent(c.id)}`)}
                  data-testid="consultation-item"
                  data-consultation-id={c.id}
                  data-status={c.status}
                  extra={
                    c.unread > 0 ? (
                      <Badge content={c.unread > 99 ? '99+' : c.unread} data-testid="consultation-unread" />
                    ) : undefined
                  }
                  description={
                    <div className="ax-con-item-meta">
                      <StatusTag status={c.status} />
                      {c.counselling && <span className="ax-small">{t('consultations.counselling')}</span>}
                      <time className="ax-small" dateTime={latest(c)} title={formatDateTime(latest(c))}>
                        {formatRelative(latest(c))}
                      </time>
                    </div>
                  }
                >
                  {c.doctor.name}
                </List.Item>
              ))}
            </List>
          )}
        </div>
      </PullToRefresh>
    </Page>
  );
}

/** The patient's home: a way into "我的问诊" with what needs attention. */
export function PatientConsultationsEntry() {
  const t = useConsultT();
  const navigate = useNavigate();
  const { data, reload } = useResource(() => consultationApi.list(), []);
  useReloadOnVisible(reload);
  const list = data?.consultations ?? [];
  const active = list.filter((c) => c.status === 'active').length;
  const requested = list.filter((c) => c.status === 'requested').length;
  const unread = list.reduce((n, c) => n + c.unread, 0);

  return (
    <section className="ax-card ax-con-entry" data-testid="my-consultations-card">
      <div className="ax-con-entry-head">
        <h2 className="ax-section-title">{t('consultations.home.title')}</h2>
        {unread > 0 && (
          <span className="ax-con-entry-unread" data-testid="my-consultations-unread">
            {t('consultations.home.unread', { count: unread })}
          </span>
        )}
      </div>
      <p className="ax-muted ax-small">
        {list.length === 0 ? t('consultations.home.none') : t('consultations.home.summary', { active, requested })}
      </p>
      <Button
        block
        fill="outline"
        color="primary"
        onClick={() => navigate('/consultations')}
        data-testid="my-consultations"
      >
        {t('consultations.home.open')}
      </Button>
    </section>
  );
}

import type { ConsentRecord } from '@anxin/contracts';
import { Button, Dialog, List, NoticeBar, PullToRefresh, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, toApiError } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePolicy } from '../policy/PolicyContext';
import { useSession } from '../session/SessionContext';
import { usePullCopy } from './pull';

/** "隐私": consent records, the current policy, and how to reach the operator (POL-3). */
export function PrivacyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const pull = usePullCopy();
  const { data, error, loading, reload } = useResource(() => api.privacy(), []);
  const session = useSession();
  const { doc: policy } = usePolicy();
  const [withdrawing, setWithdrawing] = useState<string | null>(null);

  // RIG-4: an optional consent can be withdrawn at any time; it stops processing from then on.
  const withdraw = async (c: ConsentRecord) => {
    if (c.purpose === null) return;
    const feature = t(`consent.purpose.${c.purpose}`);
    const ok = await Dialog.confirm({
      title: t('privacy.withdrawTitle', { feature }),
      content: t('privacy.withdrawBody', { feature }),
      confirmText: <span data-testid="dialog-confirm">{t('privacy.withdraw')}</span>,
      cancelText: <span data-testid="dialog-cancel">{t('common.cancel')}</span>,
    });
    if (!ok) return;
    setWithdrawing(c.id);
    try {
      await api.withdrawSensitiveConsent(c.purpose);
      Toast.show({ icon: 'success', content: t('privacy.withdrawDone') });
      await Promise.all([reload(), session.refresh()]);
    } catch (err) {
      Toast.show({ content: toApiError(err).message, duration: 3000 });
    } finally {
      setWithdrawing(null);
    }
  };

  const what = (c: ConsentRecord) =>
    c.kind === 'policy'
      ? t('privacy.kindPolicy')
      : t('privacy.kindSensitive', { purpose: c.purpose ? t(`consent.purpose.${c.purpose}`) : '' });

  const consents = data ? [...data.consents].sort((a, b) => b.acceptedAt.localeCompare(a.acceptedAt)) : [];

  return (
    <Page title={t('privacy.title')} backTo="/me">
      <PullToRefresh onRefresh={reload} {...pull}>
        <div className="ax-list-page" data-testid="privacy">
          {!data && loading && <LoadingView />}
          {error && !data && (
            <ErrorView
              error={error}
              networkHint={t('errors.list')}
              onRetry={() => void reload()}
              testId="privacy-error"
            />
          )}
          {error && data && (
            <NoticeBar color="alert" wrap content={error.isNetwork ? t('errors.list') : error.message} />
          )}
          {data && (
            <>
              <List header={t('privacy.consents')} mode="card" data-testid="consent-list">
                {consents.map((c) => (
                  <List.Item
                    key={c.id}
                    extra={
                      c.kind === 'sensitive' && !c.withdrawnAt ? (
                        <Button
                          size="mini"
                          fill="outline"
                          loading={withdrawing === c.id}
                          disabled={withdrawing !== null}
                          onClick={() => void withdraw(c)}
                          data-testid={`withdraw-consent-${c.purpose ?? ''}`}
                        >
                          {t('privacy.withdraw')}
                        </Button>
                      ) : undefined
                    }
                    data-testid="consent-item"
                    description={
                      <div className="ax-device-meta">
                        <div>{t('privacy.acceptedAt', { time: formatDateTime(c.acceptedAt) })}</div>
                        {c.withdrawnAt && (
                          <div>{t('privacy.withdrawnAt', { time: formatDateTime(c.withdrawnAt) })}</div>
                        )}
                      </div>
                    }
                  >
                    <span>{what(c)}</span>{' '}
                    {c.policyEffectiveAt && (
                      <Tag fill="outline" color="primary">
                        {t('privacy.policyOf', { date: formatDate(c.policyEffectiveAt) })}
                      </Tag>
                    )}{' '}
                    {c.withdrawnAt && (
                      <Tag fill="outline" color="default">
                        {t('privacy.withdrawnTag')}
                      </Tag>
                    )}
                  </List.Item>
                ))}
              </List>
              {consents.length === 0 ? (
                <EmptyView title={t('privacy.empty')} description={t('privacy.emptyHint')} />
              ) : (
                <p className="ax-muted ax-intro">{t('privacy.consentsIntro')}</p>
              )}

              <List mode="card">
                <List.Item onClick={() => navigate('/policy')} data-testid="current-policy-link">
                  {policy
                    ? t('privacy.currentPolicyFrom', { date: formatDate(policy.effectiveAt) })
                    : t('privacy.currentPolicy')}
                </List.Item>
              </List>

              <List header={t('privacy.contactTitle')} mode="card" data-testid="operator-contact">
                <List.Item extra={data.operator.name}>{t('privacy.operator')}</List.Item>
                <List.Item
                  extra={
                    <a href={`tel:${data.operator.hotline.replace(/[^\d+]/g, '')}`} data-testid="operator-hotline">
                      {data.operator.hotline}
                    </a>
                  }
                >
                  {t('privacy.hotline')}
                </List.Item>
                <List.Item extra={<a href={`mailto:${data.operator.email}`}>{data.operator.email}</a>}>
                  {t('privacy.email')}
                </List.Item>
              </List>
              <p className="ax-muted ax-intro">{t('privacy.contactHint')}</p>
            </>
          )}
        </div>
      </PullToRefresh>
    </Page>
  );
}

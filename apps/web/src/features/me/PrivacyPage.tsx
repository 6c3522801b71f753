import type { ConsentRecord, DataHeld, HeldCategory, RightsRequestList } from '@anxin/contracts';
import { Button, Collapse, Dialog, List, NoticeBar, PullToRefresh, Tag, Toast } from 'antd-mobile';
import { lazy, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import { api, toApiError } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/format';
import { useResource, type Resource } from '../../lib/hooks';
import { DevicesIcon, DocumentIcon, ShieldIcon, UserIcon } from '../../ui/mobile/icons';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePolicy } from '../policy/PolicyContext';
import { useSession } from '../session/SessionContext';
import { clearReceipt, useReceipt } from './cancel-receipt';
import { usePullCopy } from './pull';
import { rightsApi } from './rights-api';
import { useRightsT } from './rights-i18n';
import './rights.css';
import { RequestCard, useRightsRequests } from './RightsRequests';

// The action screens load when first opened.
const RightsActionPage = lazy(() => import('./RightsActionPage').then((m) => ({ default: m.RightsActionPage })));
const CancelPage = lazy(() => import('./CancelPage').then((m) => ({ default: m.CancelPage })));
const CancelledView = lazy(() => import('./CancelPage').then((m) => ({ default: m.CancelledView })));
const RequestDetailPage = lazy(() => import('./RequestDetailPage').then((m) => ({ default: m.RequestDetailPage })));

/**
 * `/me/privacy/*`: 个人信息与隐私 and its screens. Signed out (after a cancellation every session has ended), only the
 * confirmation of the cancellation, from what this tab kept.
 */
export function PrivacyPage() {
  const { state } = useSession();
  const signedIn = state.status === 'signedIn';
  const { receipt, fresh } = useReceipt();
  // Signed in again (which withdraws a cancellation): an older confirmation kept in this tab is no longer needed.
  useEffect(() => {
    if (signedIn && receipt && !fresh) clearReceipt();
  }, [signedIn, receipt, fresh]);
  if (!signedIn) return <CancelledView />;
  return (
    <Routes>
      <Route index element={<PrivacyOverview />} />
      <Route path="cancel" element={<CancelPage />} />
      <Route path="cancelled" element={<CancelledView />} />
      <Route path="requests/:id" element={<RequestDetailPage />} />
      <Route path=":action" element={<RightsActionPage />} />
      <Route path="*" element={<Navigate to="/me/privacy" replace />} />
    </Routes>
  );
}

/**
 * 个人信息与隐私: what we hold (by category), account and security, consent records with withdrawal (RIG-4), the
 * rights actions and the person's requests (RIG-1…7), the current policy, and how to reach the operator (POL-3).
 */
function PrivacyOverview() {
  const { t } = useTranslation();
  const tr = useRightsT();
  const navigate = useNavigate();
  const pull = usePullCopy();
  const { data, error, loading, reload: reloadPrivacy } = useResource(() => api.privacy(), []);
  const held = useResource(() => rightsApi.dataHeld(), []);
  const requests = useRightsRequests();
  const reload = async () => {
    await Promise.all([reloadPrivacy(), held.reload(), requests.reload()]);
  };
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
      await Promise.all([reloadPrivacy(), session.refresh()]);
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
    <Page title={tr('rights.title')} backTo="/me">
      <PullToRefresh onRefresh={reload} {...pull}>
        <div className="ax-list-page" data-testid="privacy">
          {!data && loading && <LoadingView />}
          {error && !data && (
            <ErrorView
              error={error}
              networkHint={t('errors.list')}
              onRetry={() => void reloadPrivacy()}
              testId="privacy-error"
            />
          )}
          {error && data && (
            <NoticeBar color="alert" wrap content={error.isNetwork ? t('errors.list') : error.message} />
          )}
          {data && (
            <>
              <p className="ax-muted ax-intro">{tr('rights.intro')}</p>
              <HeldSection resource={held} />
              <AccountSection held={held.data} />

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

              <ActionsSection />
              <RequestsSection resource={requests} />

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

/** What we hold about the person, one collapsible panel per category (from `GET /api/me/data`). */
function HeldSection({ resource }: { resource: Resource<DataHeld> }) {
  const tr = useRightsT();
  const { data, error, loading, reload } = resource;
  const rows = (c: HeldCategory) =>
    [
      { key: 'purposes', label: tr('rights.data.purposes'), values: c.purposes },
      { key: 'legalBasis', label: tr('rights.data.legalBasis'), values: c.legalBasis },
      { key: 'retention', label: tr('rights.data.retention'), values: c.retention },
      { key: 'recipients', label: tr('rights.data.recipients'), values: c.recipients },
    ] as const;
  return (
    <section className="ax-rights-section" data-testid="rights-data">
      <h2 className="ax-rights-section-title">{tr('rights.data.title')}</h2>
      {!data && loading && <LoadingView />}
      {error && !data && (
        <ErrorView
          error={error}
          title={tr('rights.data.errorTitle')}
          networkHint={tr('rights.loadFailed')}
          onRetry={() => void reload()}
          testId="rights-data-error"
        />
      )}
      {data && data.categories.length === 0 && (
        <EmptyView title={tr('rights.data.empty')} description={tr('rights.data.emptyHint')} />
      )}
      {data && data.categories.length > 0 && (
        <>
          <p className="ax-muted ax-intro">{tr('rights.data.intro')}</p>
          <div className="ax-rights-collapse">
            <Collapse>
              {data.categories.map((c) => (
                <Collapse.Panel
                  key={c.category}
                  title={
                    <span className="ax-rights-category" data-testid="rights-data-category">
                      <span>{c.label}</span>
                      {c.sensitive && (
                        <Tag color="warning" fill="outline">
                          {tr('rights.data.sensitive')}
                        </Tag>
                      )}
                      {c.count !== null && (
                        <span className="ax-muted ax-small">{tr('rights.data.count', { count: c.count })}</span>
                      )}
                    </span>
                  }
                >
                  <dl className="ax-rights-facts">
                    {rows(c).map((row) => (
                      <div key={row.key}>
                        <dt>{row.label}</dt>
                        <dd>
                          {row.values.length === 0 ? (
                            tr('rights.data.none')
                          ) : row.values.length === 1 ? (
                            row.values[0]
                          ) : (
                            <ul>
                              {row.values.map((v) => (
                                <li key={v}>{v}</li>
                              ))}
                            </ul>
                          )}
                        </dd>
                      </div>
                    ))}
                  </dl>
                </Collapse.Panel>
              ))}
            </Collapse>
          </div>
        </>
      )}
    </section>
  );
}

/** 账号与安全: devices and sign-in history (the existing page), and bound third-party accounts. */
function AccountSection({ held }: { held: DataHeld | undefined }) {
  const tr = useRightsT();
  const navigate = useNavigate();
  const bound = held?.boundAccounts ?? [];
  return (
    <List header={tr('rights.account.title')} mode="card" data-testid="rights-account">
      <List.Item
        prefix={<DevicesIcon />}
        description={tr('rights.account.devicesHint')}
        onClick={() => navigate('/me/devices')}
        data-testid="rights-devices-link"
      >
        {tr('rights.account.devices')}
      </List.Item>
      {bound.length === 0 ? (
        <List.Item
          prefix={<UserIcon />}
          description={tr('rights.account.boundEmptyHint')}
          extra={tr('rights.account.boundEmpty')}
          data-testid="rights-bound-empty"
        >
          {tr('rights.account.bound')}
        </List.Item>
      ) : (
        bound.map((b) => (
          <List.Item
            key={`${b.provider}:${b.maskedId}`}
            prefix={<UserIcon />}
            extra={b.maskedId}
            description={tr('rights.account.boundAt', { date: formatDate(b.boundAt) })}
            data-testid="rights-bound-account"
          >
            {b.provider}
          </List.Item>
        ))
      )}
    </List>
  );
}

/** The rights actions; each needs the step-up code. */
function ActionsSection() {
  const tr = useRightsT();
  const navigate = useNavigate();
  const items = [
    {
      key: 'export',
      title: tr('rights.actions.export'),
      hint: tr('rights.actions.exportHint'),
      icon: <DocumentIcon />,
    },
    { key: 'correct', title: tr('rights.actions.correct'), hint: tr('rights.actions.correctHint'), icon: <UserIcon /> },
    { key: 'erase', title: tr('rights.actions.erase'), hint: tr('rights.actions.eraseHint'), icon: <ShieldIcon /> },
    {
      key: 'explain',
      title: tr('rights.actions.explain'),
      hint: tr('rights.actions.explainHint'),
      icon: <DocumentIcon />,
    },
  ];
  return (
    <>
      <List header={tr('rights.actions.title')} mode="card" data-testid="rights-actions">
        {items.map((i) => (
          <List.Item
            key={i.key}
            prefix={i.icon}
            description={i.hint}
            onClick={() => navigate(`/me/privacy/${i.key}`)}
            data-testid={`rights-action-${i.key}`}
          >
            {i.title}
          </List.Item>
        ))}
        <List.Item
          prefix={<ShieldIcon />}
          description={tr('rights.actions.cancelHint')}
          onClick={() => navigate('/me/privacy/cancel')}
          data-testid="rights-action-cancel"
        >
          <span className="ax-rights-danger">{tr('rights.actions.cancel')}</span>
        </List.Item>
      </List>
      <p className="ax-muted ax-intro">{tr('rights.actions.intro')}</p>
    </>
  );
}

/** 我的申请: newest first, with status, dates and what can be done with each. */
function RequestsSection({ resource }: { resource: Resource<RightsRequestList> }) {
  const tr = useRightsT();
  const navigate = useNavigate();
  const { data, error, loading, reload } = resource;
  return (
    <section className="ax-rights-section" data-testid="rights-requests">
      <h2 className="ax-rights-section-title">{tr('rights.requests.title')}</h2>
      {!data && loading && <LoadingView />}
      {error && !data && (
        <ErrorView
          error={error}
          title={tr('rights.requests.errorTitle')}
          networkHint={tr('rights.loadFailed')}
          onRetry={() => void reload()}
          testId="rights-requests-error"
        />
      )}
      {data && data.requests.length === 0 && (
        <EmptyView title={tr('rights.requests.empty')} description={tr('rights.requests.emptyHint')} />
      )}
      {data && data.requests.length > 0 && (
        <div className="ax-card ax-rights-request-list">
          {data.requests.map((r) => (
            <RequestCard
              key={r.id}
              request={r}
              onChanged={reload}
              onOpen={() => navigate(`/me/privacy/requests/${encodeURIComponent(r.id)}`)}
            />
          ))}
        </div>
      )}
    </section>
  );
}

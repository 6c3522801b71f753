import type { MyApplication } from '@anxin/contracts';
import { Button, PullToRefresh } from 'antd-mobile';
import { useCallback, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { onboardingApi } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { ShieldIcon } from '../../ui/mobile/icons';
import { Page } from '../../ui/mobile/Page';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePullCopy } from '../me/pull';
import { ApplicationFormView } from './ApplicationForm';
import { useOnbT } from './i18n';
import { isEditable } from './model';
import { StatusContent } from './StatusView';

function ConsentNeeded() {
  const t = useOnbT();
  const navigate = useNavigate();
  return (
    <div className="ax-card ax-coming-card" data-testid="onboarding-consent-needed">
      <div className="ax-onb-big-icon" aria-hidden="true">
        <ShieldIcon />
      </div>
      <h1 className="ax-card-title">{t('onboarding.consentNeeded.title')}</h1>
      <p className="ax-muted">{t('onboarding.consentNeeded.body')}</p>
      <Button
        block
        color="primary"
        size="large"
        onClick={() => navigate('/consent/onboarding')}
        data-testid="onboarding-consent-link"
      >
        {t('onboarding.consentNeeded.action')}
      </Button>
    </div>
  );
}

/**
 * `/onboarding`: the application form while it can be edited; the status instead while it is under review
 * (and for a rejected application, unless the doctor chose to edit it again).
 */
export function ApplicationPage() {
  const t = useOnbT();
  const location = useLocation();
  const wantsEdit = (location.state as { edit?: boolean } | null)?.edit === true;
  const { data, error, reload } = useResource(() => onboardingApi.application(), []);
  const [latest, setLatest] = useState<MyApplication>();
  const app = latest ?? data;

  const refetch = useCallback(() => {
    setLatest(undefined);
    void reload();
  }, [reload]);

  if (!app) {
    return (
      <Page title={t('onboarding.title')} backTo="/">
        {error ? (
          <ErrorView
            error={error}
            title={t('onboarding.loadFailed')}
            onRetry={() => void reload()}
            testId="onboarding-error"
          />
        ) : (
          <LoadingView text={t('onboarding.loading')} />
        )}
      </Page>
    );
  }

  const showForm = isEditable(app.status) && (app.status !== 'rejected' || wantsEdit);
  if (showForm && !app.sensitiveConsentGiven) {
    return (
      <Page title={t('onboarding.title')} backTo="/">
        <ConsentNeeded />
      </Page>
    );
  }
  if (showForm) {
    return <ApplicationFormView initial={app} onSubmitted={setLatest} onNotEditable={refetch} />;
  }
  return (
    <Page title={t('onboarding.status.title')} backTo="/">
      <StatusContent app={app} />
    </Page>
  );
}

/** `/onboarding/status`: where the application stands, the reviewer's words and the pre-check. */
export function ApplicationStatusPage() {
  const t = useOnbT();
  const pull = usePullCopy();
  const { data, error, reload } = useResource(() => onboardingApi.application(), []);
  return (
    <Page title={t('onboarding.status.title')} backTo="/">
      <PullToRefresh onRefresh={reload} {...pull}>
        {!data && error && (
          <ErrorView
            error={error}
            title={t('onboarding.loadFailed')}
            onRetry={() => void reload()}
            testId="onboarding-error"
          />
        )}
        {!data && !error && <LoadingView text={t('onboarding.loading')} />}
        {data && <StatusContent app={data} />}
      </PullToRefresh>
    </Page>
  );
}

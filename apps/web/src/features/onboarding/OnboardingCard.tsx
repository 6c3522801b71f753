import type { MyApplication } from '@anxin/contracts';
import { Button, Skeleton, Steps } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { onboardingApi } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { HeartMark } from '../../ui/mobile/icons';
import { pickText } from './bundle';
import { useOnbT } from './i18n';
import { decisionOf, isUntouched, latestSubmission } from './model';
import { StatusTag } from './StatusView';

function StatusCard({ app }: { app: MyApplication }) {
  const t = useOnbT();
  const navigate = useNavigate();
  const decision = decisionOf(app);
  const submittedAt = latestSubmission(app);
  const reReview = app.status === 'draft' && app.profileLive;

  let body: string;
  let action: string;
  let to: string;
  switch (app.status) {
    case 'draft':
      body = reReview
        ? t('onboarding.status.reReviewBody')
        : app.updatedAt
          ? t('onboarding.card.draftSaved', { time: formatDateTime(app.updatedAt) })
          : t('onboarding.card.draftNew');
      action = t('onboarding.card.continue');
      to = '/onboarding';
      break;
    case 'submitted':
      body = t('onboarding.status.body.submitted');
      action = t('onboarding.card.view');
      to = '/onboarding/status';
      break;
    case 'changes_requested':
      body = t('onboarding.status.body.changes_requested');
      action = t('onboarding.card.edit');
      to = '/onboarding';
      break;
    case 'approved':
      body = t('onboarding.status.body.approved');
      action = t('onboarding.card.view');
      to = '/onboarding/status';
      break;
    default:
      body = t('onboarding.status.body.rejected');
      action = t('onboarding.card.viewDetail');
      to = '/onboarding/status';
  }

  return (
    <section className="ax-card ax-onb-card" data-testid="onboarding-card" data-status={app.status}>
      <div className="ax-onb-card-head">
        <h1 className="ax-card-title">
          {app.status === 'draft' ? t('onboarding.card.draftTitle') : t('onboarding.card.title')}
        </h1>
        <StatusTag status={app.status} />
      </div>
      <p className="ax-muted">{body}</p>
      {app.status === 'submitted' && submittedAt && (
        <p className="ax-muted ax-small">{t('onboarding.status.submittedAt', { time: formatDateTime(submittedAt) })}</p>
      )}
      {decision && (decision.reasonLabel || decision.reasonText) && (
        <div
          className={`ax-onb-notice ${app.status === 'rejected' ? 'ax-onb-notice-danger' : 'ax-onb-notice-warn'}`}
          data-testid="onboarding-card-reason"
        >
          {decision.reasonLabel && <div className="ax-onb-reason-label">{pickText(decision.reasonLabel)}</div>}
          {decision.reasonText && <div className="ax-onb-reason-text">{decision.reasonText}</div>}
        </div>
      )}
      {(app.status === 'draft' || app.status === 'changes_requested') && (
        <p className="ax-onb-card-missing" data-testid="onboarding-card-missing">
          {app.missing.length > 0
            ? t('onboarding.card.missing', { count: app.missing.length })
            : t('onboarding.card.missingNone')}
        </p>
      )}
      <Button block color="primary" size="large" onClick={() => navigate(to)} data-testid="onboarding-card-action">
        {action}
      </Button>
    </section>
  );
}

/**
 * The doctor's home: before anything was started, the invitation to onboarding (consent first); afterwards the
 * application's status card. Below, where the doctor is on the way to seeing patients. Once the profile is live
 * (approved), `live` (the work queue) takes the place of both; a re-review in progress keeps its status card.
 */
export function DoctorHomeOnboarding({ consented, live }: { consented: boolean; live?: ReactNode }) {
  const { t: tc } = useTranslation();
  const t = useOnbT();
  const navigate = useNavigate();
  const { data, error, reload } = useResource(() => onboardingApi.application(), [consented]);

  const invitation = !consented && (!data || isUntouched(data));
  const status = data?.status;
  const current = !consented ? 0 : status === 'submitted' ? 2 : status === 'approved' ? 3 : 1;

  if (live && data && (data.status === 'approved' || data.profileLive)) {
    return (
      <>
        {data.status !== 'approved' && <StatusCard app={data} />}
        {live}
      </>
    );
  }

  return (
    <>
      {invitation ? (
        <section className="ax-card ax-home-card">
          <HeartMark size={44} />
          <h1 className="ax-card-title">{tc('home.doctor.title')}</h1>
          <p className="ax-muted">{tc('home.doctor.body')}</p>
          <Button
            block
            color="primary"
            size="large"
            onClick={() => navigate(consented ? '/onboarding' : '/consent/onboarding')}
            data-testid="start-onboarding"
          >
            {tc('home.doctor.action')}
          </Button>
        </section>
      ) : data ? (
        <StatusCard app={data} />
      ) : error ? (
        <section className="ax-card ax-onb-card" data-testid="onboarding-card" data-status="error">
          <h1 className="ax-card-title">{t('onboarding.card.title')}</h1>
          <p className="ax-muted">{t('onboarding.card.loadFailed')}</p>
          <p className="ax-muted ax-small">{error.message}</p>
          <Button block fill="outline" color="primary" onClick={() => void reload()} data-testid="retry">
            {tc('common.retry')}
          </Button>
        </section>
      ) : (
        <section className="ax-card ax-onb-card" aria-busy="true">
          <Skeleton.Title animated />
          <Skeleton.Paragraph lineCount={3} animated />
        </section>
      )}

      <section className="ax-card">
        <h2 className="ax-section-title">{tc('home.doctor.next')}</h2>
        <Steps direction="vertical" current={Math.min(current, 2)}>
          {(['step1', 'step2', 'step3'] as const).map((key, i) => (
            <Steps.Step
              key={key}
              title={t(`onboarding.homeSteps.${key}`)}
              status={i < current ? 'finish' : i === current ? 'process' : 'wait'}
            />
          ))}
        </Steps>
      </section>
    </>
  );
}

import type { ApplicationStatus, MyApplication, Precheck } from '@anxin/contracts';
import { Button, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../lib/format';
import { useMe } from '../session/SessionContext';
import { pickText } from './bundle';
import { useOnbT } from './i18n';
import { decisionOf, latestSubmission, precheckItems, type PrecheckItem } from './model';

type TagColor = 'default' | 'primary' | 'success' | 'warning' | 'danger';
export const STATUS_COLOR: Record<ApplicationStatus, TagColor> = {
  draft: 'default',
  submitted: 'primary',
  changes_requested: 'warning',
  approved: 'success',
  rejected: 'danger',
};

export function StatusTag({ status }: { status: ApplicationStatus }) {
  const t = useOnbT();
  return (
    <Tag color={STATUS_COLOR[status]} fill="solid" className="ax-onb-status-tag" data-testid="status-tag">
      {t(`onboarding.status.labels.${status}`)}
    </Tag>
  );
}

/** The doctor's public profile lives in the patient app. */
export function publicProfileHref(userId: string): string {
  return `/patient/doctors/${encodeURIComponent(userId)}`;
}

function RuleItem({ item }: { item: PrecheckItem }) {
  const t = useOnbT();
  const [open, setOpen] = useState(false);
  const { flagged, explanation } = item;
  const name = item.known ? t(`onboarding.precheck.rules.${item.known}`) : t('onboarding.precheck.ruleFallback');
  const explanationId = `precheck-explanation-${item.rule}`;
  return (
    <li
      className={`ax-onb-rule ${flagged ? 'ax-onb-rule-flag' : 'ax-onb-rule-pass'}`}
      data-testid={flagged ? `precheck-flag-${item.rule}` : `precheck-pass-${item.rule}`}
      data-outcome={flagged ? 'flag' : 'pass'}
    >
      <div className="ax-onb-rule-head">
        <span className="ax-onb-rule-icon" aria-hidden="true">
          {flagged ? '!' : '✓'}
        </span>
        <span className="ax-onb-rule-name">{name}</span>
        <Tag color={flagged ? 'warning' : 'success'} fill="outline">
          {flagged ? t('onboarding.precheck.flagTag') : t('onboarding.precheck.passTag')}
        </Tag>
        {explanation && (
          <button
            type="button"
            className="ax-link ax-onb-why"
            aria-expanded={open}
            aria-controls={explanationId}
            onClick={() => setOpen((o) => !o)}
            data-testid={`precheck-why-${item.rule}`}
          >
            {open ? t('onboarding.precheck.hideWhy') : t('onboarding.precheck.why')}
          </button>
        )}
      </div>
      {explanation && open && (
        <p className="ax-onb-rule-why" id={explanationId} data-testid={explanationId}>
          {pickText(explanation)}
        </p>
      )}
    </li>
  );
}

/** RIG-6: what the automated pre-check looked at; flagged items explain themselves; a reviewer decides. */
export function PrecheckView({ precheck }: { precheck: Precheck | null }) {
  const t = useOnbT();
  const items = precheck ? precheckItems(precheck) : [];
  const flags = items.filter((i) => i.flagged).length;
  return (
    <section className="ax-card ax-onb-precheck" data-testid="precheck" data-outcome={precheck?.outcome ?? 'none'}>
      <h2 className="ax-section-title">{t('onboarding.precheck.title')}</h2>
      <p className="ax-hint" data-testid="precheck-human-review">
        {t('onboarding.precheck.intro')}
      </p>
      {!precheck ? (
        <p className="ax-muted">{t('onboarding.precheck.notYet')}</p>
      ) : (
        <>
          <p className="ax-onb-precheck-summary">
            {flags > 0
              ? t('onboarding.precheck.flagged', { count: flags })
              : t('onboarding.precheck.allPassed', { count: items.length })}
          </p>
          <ul className="ax-onb-rules">
            {items.map((i) => (
              <RuleItem key={i.rule} item={i} />
            ))}
          </ul>
          <p className="ax-muted ax-small">
            {t('onboarding.precheck.checkedAt', { time: formatDateTime(precheck.decidedAt) })}
          </p>
        </>
      )}
    </section>
  );
}

function Timeline({ app }: { app: MyApplication }) {
  const t = useOnbT();
  const events = [...app.timeline].reverse();
  return (
    <section className="ax-card" data-testid="timeline">
      <h2 className="ax-section-title">{t('onboarding.status.timeline')}</h2>
      {events.length === 0 ? (
        <p className="ax-muted">{t('onboarding.status.timelineEmpty')}</p>
      ) : (
        <ol className="ax-onb-timeline">
          {events.map((e, i) => (
            <li
              key={`${e.at}-${e.kind}-${i}`}
              className={`ax-onb-event ax-onb-event-${e.kind}`}
              data-testid="timeline-event"
              data-kind={e.kind}
            >
              <div className="ax-onb-event-dot" aria-hidden="true" />
              <div className="ax-onb-event-body">
                <div className="ax-onb-event-title">{t(`onboarding.status.events.${e.kind}`)}</div>
                <div className="ax-muted ax-small">{formatDateTime(e.at)}</div>
                {e.reasonLabel && <div className="ax-onb-reason-label">{pickText(e.reasonLabel)}</div>}
                {e.reasonText && <div className="ax-onb-reason-text">{e.reasonText}</div>}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Status, reviewer's reason, next action, pre-check and history of the doctor's application. */
export function StatusContent({ app }: { app: MyApplication }) {
  const t = useOnbT();
  const me = useMe();
  const navigate = useNavigate();
  const decision = decisionOf(app);
  const submittedAt = latestSubmission(app);
  const reReview = app.status === 'draft' && app.profileLive;
  const edit = () => navigate('/onboarding', { state: { edit: true } });

  return (
    <div className="ax-onb-status">
      <section
        className={`ax-card ax-onb-status-card ax-onb-status-${app.status}`}
        data-testid="application-status"
        data-status={app.status}
      >
        <StatusTag status={app.status} />
        <h1 className="ax-card-title">{t(`onboarding.status.headline.${app.status}`)}</h1>
        <p className="ax-muted">
          {reReview ? t('onboarding.status.reReviewBody') : t(`onboarding.status.body.${app.status}`)}
        </p>
        {app.status === 'submitted' && app.profileLive && (
          <p className="ax-muted">{t('onboarding.status.liveDuringReview')}</p>
        )}
        {submittedAt && app.status === 'submitted' && (
          <p className="ax-muted ax-small">
            {t('onboarding.status.submittedAt', { time: formatDateTime(submittedAt) })}
          </p>
        )}
        {decision && (decision.reasonLabel || decision.reasonText) && (
          <div
            className={`ax-onb-notice ${app.status === 'rejected' ? 'ax-onb-notice-danger' : 'ax-onb-notice-warn'}`}
            data-testid="status-reason"
          >
            <strong>{t('onboarding.status.reasonTitle')}</strong>
            {decision.reasonLabel && <div className="ax-onb-reason-label">{pickText(decision.reasonLabel)}</div>}
            {decision.reasonText && <div className="ax-onb-reason-text">{decision.reasonText}</div>}
          </div>
        )}
        <div className="ax-actions ax-onb-status-actions">
          {app.status === 'draft' && (
            <Button block color="primary" size="large" onClick={edit} data-testid="edit-application">
              {t('onboarding.status.continue')}
            </Button>
          )}
          {app.status === 'changes_requested' && (
            <Button block color="primary" size="large" onClick={edit} data-testid="edit-application">
              {t('onboarding.status.editResubmit')}
            </Button>
          )}
          {app.status === 'rejected' && (
            <Button block fill="outline" size="large" onClick={edit} data-testid="edit-application">
              {t('onboarding.status.reapply')}
            </Button>
          )}
          {app.profileLive && (
            <a className="ax-onb-link-button" href={publicProfileHref(me.id)} data-testid="view-public-profile">
              {t('onboarding.status.viewProfile')}
            </a>
          )}
          {app.status === 'approved' && (
            <>
              <Button block size="large" onClick={edit} data-testid="edit-application">
                {t('onboarding.status.editProfile')}
              </Button>
              <p className="ax-hint">{t('onboarding.status.editProfileHint')}</p>
            </>
          )}
        </div>
      </section>
      {(app.precheck || app.status === 'submitted') && <PrecheckView precheck={app.precheck} />}
      <Timeline app={app} />
    </div>
  );
}

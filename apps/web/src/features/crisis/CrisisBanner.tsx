import { Button, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { pickText } from '../onboarding/bundle';
import { ResourceList } from './CrisisResourceCard';
import { useCrisisT } from './i18n';
import { linesForCopy, resourcesOf } from './model';
import type { Crisis } from './useCrisis';

/**
 * The doctor's alert (CON-4): what kind of signal, where in the conversation, the platform's protocol and the
 * crisis lines, and "I have seen this". Nothing shows while the consultation has no unclosed escalation.
 *
 * It is pinned above the messages in its own space (never laid over them), so the message that triggered it stays
 * readable: unfolded while it waits for acknowledgement (again on each live alert), a slim bar when it opens
 * already acknowledged, and foldable at any time. "Go to this message" scrolls the conversation to it.
 */
export function CrisisBanner({ crisis, onShowMessage }: { crisis: Crisis; onShowMessage?: (seq: number) => void }) {
  const t = useCrisisT();
  const { view, error, liveAlerts } = crisis;
  const escalation = view?.escalation ?? null;
  const isOpen = escalation?.status === 'open' && !escalation.handedOverAt;
  // Folded until an alert waits for acknowledgement; acknowledging leaves it unfolded (it says so), the doctor folds it.
  const [folded, setFolded] = useState(true);
  const [details, setDetails] = useState(false);
  useEffect(() => {
    if (isOpen) setFolded(false);
  }, [isOpen, liveAlerts]);

  if (!view) {
    if (!error) return null;
    return (
      <div className="ax-crisis-banner ax-crisis-banner-error" role="alert" data-testid="crisis-banner-error">
        {t('crisis.doctor.loadFailed', { message: error.message })}{' '}
        <button type="button" className="ax-crisis-link" onClick={() => void crisis.reload()}>
          {t('crisis.doctor.retry')}
        </button>
      </div>
    );
  }
  if (!escalation) return null;

  const acute = escalation.severity === 'acute';
  const resources = resourcesOf(view);
  const copy = async () => {
    const text = t('crisis.doctor.copyText', { lines: linesForCopy(resources, pickText) });
    try {
      await navigator.clipboard.writeText(text);
      Toast.show({ icon: 'success', content: t('crisis.doctor.copied') });
    } catch {
      Toast.show({ content: t('crisis.doctor.copyFailed'), duration: 3000 });
    }
  };
  const acknowledge = isOpen && (
    <Button
      size="mini"
      color={acute ? 'danger' : 'warning'}
      loading={crisis.acknowledging}
      onClick={() => void crisis.acknowledge()}
      data-testid="crisis-acknowledge"
    >
      {t('crisis.doctor.acknowledge')}
    </Button>
  );
  const where = onShowMessage && (
    <button
      type="button"
      className="ax-crisis-link"
      onClick={() => onShowMessage(escalation.lastSeq)}
      data-testid="crisis-show-message"
    >
      {t('crisis.doctor.showMessage')}
    </button>
  );

  return (
    <section
      className={`ax-crisis-banner ax-crisis-banner-${acute ? 'acute' : 'concern'}${isOpen ? '' : ' ax-crisis-banner-seen'}${folded ? ' ax-crisis-banner-folded' : ''}`}
      role={isOpen ? 'alert' : 'status'}
      aria-label={acute ? t('crisis.doctor.acuteTitle') : t('crisis.doctor.concernTitle')}
      data-testid="crisis-banner"
      data-severity={escalation.severity}
      data-status={escalation.status}
      data-folded={folded}
    >
      {folded ? (
        <div className="ax-crisis-bar">
          <span className="ax-crisis-bar-title">
            <span aria-hidden="true">⚠</span> {acute ? t('crisis.doctor.barAcute') : t('crisis.doctor.barConcern')}
            <span className="ax-crisis-bar-where"> · {t('crisis.doctor.atMessage', { seq: escalation.lastSeq })}</span>
          </span>
          <button
            type="button"
            className="ax-crisis-link"
            onClick={() => setFolded(false)}
            aria-expanded={false}
            data-testid="crisis-unfold"
          >
            {t('crisis.doctor.expand')}
          </button>
          {acknowledge}
        </div>
      ) : (
        <>
          <div className="ax-crisis-banner-head">
            <div className="ax-crisis-banner-title">
              <span aria-hidden="true">⚠</span>{' '}
              {acute ? t('crisis.doctor.acuteTitle') : t('crisis.doctor.concernTitle')}
            </div>
            <button
              type="button"
              className="ax-crisis-link"
              onClick={() => setFolded(true)}
              aria-expanded={true}
              data-testid="crisis-fold"
            >
              {t('crisis.doctor.fold')}
            </button>
          </div>
          <p className="ax-crisis-banner-body">
            {acute ? t('crisis.doctor.acuteBody') : t('crisis.doctor.concernBody')}
          </p>
          <div className="ax-crisis-banner-where ax-small" data-testid="crisis-where">
            {escalation.hitCount > 1
              ? t('crisis.doctor.whereMany', {
                  first: escalation.firstSeq,
                  count: escalation.hitCount,
                  time: formatDateTime(escalation.lastSignalAt),
                })
              : t('crisis.doctor.where', {
                  first: escalation.firstSeq,
                  time: formatDateTime(escalation.lastSignalAt),
                })}{' '}
            {where}
          </div>
          <p className="ax-crisis-banner-lines ax-small" data-testid="crisis-lines-now">
            {t('crisis.doctor.linesNow', { lines: linesForCopy(resources, pickText) })}
          </p>
          {escalation.handedOverAt ? (
            <p className="ax-small" data-testid="crisis-handed-over">
              {t('crisis.doctor.handedOver', { time: formatDateTime(escalation.handedOverAt) })}
            </p>
          ) : (
            !isOpen &&
            escalation.acknowledgedAt && (
              <p className="ax-small" data-testid="crisis-acknowledged">
                {t('crisis.doctor.acknowledged', { time: formatDateTime(escalation.acknowledgedAt) })}
              </p>
            )
          )}
          <div className="ax-crisis-actions">
            <button
              type="button"
              className="ax-crisis-link"
              onClick={() => setDetails((v) => !v)}
              aria-expanded={details}
              data-testid="crisis-toggle"
            >
              {details ? t('crisis.doctor.less') : t('crisis.doctor.more')}
            </button>
            {acknowledge}
          </div>
          {details && (
            <div className="ax-crisis-banner-details" data-testid="crisis-protocol">
              {view.protocol && (
                <>
                  <h3 className="ax-crisis-subtitle">{t('crisis.doctor.protocol')}</h3>
                  <ol className="ax-crisis-steps">
                    {view.protocol.map((step, i) => (
                      <li key={i}>{pickText(step)}</li>
                    ))}
                  </ol>
                </>
              )}
              <h3 className="ax-crisis-subtitle">{t('crisis.doctor.resources')}</h3>
              <ResourceList resources={resources} />
              <button type="button" className="ax-crisis-link" onClick={() => void copy()} data-testid="crisis-copy">
                {t('crisis.doctor.copy')}
              </button>
              <p className="ax-crisis-limits ax-small">{t('crisis.doctor.limits')}</p>
            </div>
          )}
        </>
      )}
      {crisis.acknowledgeError && (
        <p className="ax-crisis-error ax-small" role="alert">
          {t('crisis.doctor.acknowledgeFailed', { message: crisis.acknowledgeError.message })}
        </p>
      )}
    </section>
  );
}

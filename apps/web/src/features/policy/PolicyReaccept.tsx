import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isStaleConsent, proofOf, toApiError } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { Markdown } from '../../ui/Markdown';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { useSession } from '../session/SessionContext';
import { usePolicy } from './PolicyContext';
import { EffectiveLine, PolicyText } from './PolicyReader';

/** A newer policy took effect (`me.policy.needsAcceptance`): nothing else until it is accepted. */
export function PolicyReaccept() {
  const { t } = useTranslation();
  const app = useMobileApp();
  const name = t(`brand.${app}.name`);
  const { doc, error, reload, acknowledge } = usePolicy();
  const session = useSession();
  const [declined, setDeclined] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!doc) {
    if (error)
      return <ErrorView fullscreen error={error} title={t('policy.loadFailed')} onRetry={() => void reload()} />;
    return <LoadingView fullscreen text={t('policy.loading')} />;
  }

  const agree = async () => {
    setBusy(true);
    try {
      await api.acceptPolicy(proofOf(doc));
      acknowledge(doc.version);
      Toast.show({ icon: 'success', content: t('policy.reacceptSaved') });
      await session.refresh();
    } catch (err) {
      const e = toApiError(err);
      Toast.show({ content: e.message, duration: 3000 });
      if (isStaleConsent(e)) void reload();
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    setBusy(true);
    try {
      await session.signOut();
    } catch (err) {
      Toast.show({ content: toApiError(err).message });
    } finally {
      setBusy(false);
    }
  };

  if (declined) {
    return (
      <div className="ax-notice" data-testid="policy-declined">
        <div className="ax-notice-body">
          <h1 className="ax-notice-title">{t('policy.reacceptDeclineTitle')}</h1>
          <p>{t('policy.reacceptDeclineBody', { name })}</p>
          <p className="ax-muted">{t('policy.reacceptQuestions', { hotline: doc.operator.hotline })}</p>
        </div>
        <div className="ax-notice-actions">
          <Button block color="primary" size="large" onClick={() => setDeclined(false)} data-testid="policy-read-again">
            {t('policy.readAgain')}
          </Button>
          <Button block fill="none" size="large" loading={busy} onClick={() => void signOut()} data-testid="sign-out">
            {t('me.signOut')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div
      className="ax-notice"
      role="dialog"
      aria-modal="true"
      aria-labelledby="policy-reaccept-title"
      data-testid="policy-reaccept"
    >
      <div className="ax-notice-body">
        <h1 id="policy-reaccept-title" className="ax-notice-title">
          {t('policy.reacceptTitle')}
        </h1>
        <p className="ax-muted">{t('policy.reacceptIntro', { date: formatDate(doc.effectiveAt) })}</p>
        <div className="ax-notice-summary">
          <Markdown source={doc.summary} />
        </div>
        <h2 className="ax-section-title">{doc.title || t('policy.fullTitle')}</h2>
        <EffectiveLine doc={doc} />
        <div className="ax-reaccept-text" data-testid="policy-full-text">
          <PolicyText doc={doc} />
        </div>
      </div>
      <div className="ax-notice-actions">
        <Button
          block
          color="primary"
          size="large"
          loading={busy}
          onClick={() => void agree()}
          data-testid="policy-agree"
        >
          {t('common.agree')}
        </Button>
        <Button
          block
          fill="none"
          size="large"
          disabled={busy}
          onClick={() => setDeclined(true)}
          data-testid="policy-decline"
        >
          {t('common.disagree')}
        </Button>
      </div>
    </div>
  );
}

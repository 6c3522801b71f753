import type { SensitivePurpose } from '@anxin/contracts';
import { Button, Dialog, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, isStaleConsent, proofOf, toApiError } from '../../lib/api';
import { currentLocale } from '../../lib/i18n';
import { useResource } from '../../lib/hooks';
import { Markdown } from '../../ui/Markdown';
import { Page } from '../../ui/mobile/Page';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { useSession } from '../session/SessionContext';

/**
 * Where to go once consent is given when a screen sent the person here (router state `{ next }`, e.g. back to the
 * consultation form). Only paths inside this app: never another site.
 */
function returnPath(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const next = (state as { next?: unknown }).next;
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : undefined;
}

/**
 * Separate consent for sensitive personal information (PIPL art. 29), asked right before the feature
 * that needs it. Declining only turns that feature off.
 */
export function SensitiveConsentPage({ purpose, next: defaultNext }: { purpose: SensitivePurpose; next: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const next = returnPath(useLocation().state) ?? defaultNext;
  const session = useSession();
  const locale = currentLocale();
  const { data: doc, error, reload } = useResource(() => api.sensitiveConsent(purpose, locale), [purpose, locale]);
  const [busy, setBusy] = useState(false);
  const feature = t(`consent.purpose.${purpose}`);

  const agree = async () => {
    if (!doc) return;
    setBusy(true);
    try {
      await api.giveSensitiveConsent(purpose, proofOf(doc));
      Toast.show({ icon: 'success', content: t('consent.saved') });
      await session.refresh();
      navigate(next, { replace: true });
    } catch (err) {
      const e = toApiError(err);
      Toast.show({ content: e.message, duration: 3000 });
      if (isStaleConsent(e)) void reload();
    } finally {
      setBusy(false);
    }
  };

  const decline = async () => {
    await Dialog.alert({
      title: t('consent.declineTitle'),
      content: t('consent.declineBody', { feature }),
      confirmText: <span data-testid="dialog-confirm">{t('common.gotIt')}</span>,
    });
    navigate('/', { replace: true });
  };

  return (
    <Page
      title={t('consent.title')}
      backTo="/"
      footer={
        doc && !doc.given ? (
          <div className="ax-actions">
            <Button
              block
              color="primary"
              size="large"
              loading={busy}
              onClick={() => void agree()}
              data-testid="sensitive-agree"
            >
              {t('common.agree')}
            </Button>
            <Button
              block
              fill="none"
              size="large"
              disabled={busy}
              onClick={() => void decline()}
              data-testid="sensitive-decline"
            >
              {t('common.disagree')}
            </Button>
          </div>
        ) : doc?.given ? (
          <Button
            block
            color="primary"
            size="large"
            onClick={() => navigate(next, { replace: true })}
            data-testid="sensitive-continue"
          >
            {t('consent.continue')}
          </Button>
        ) : undefined
      }
    >
      {!doc && error && <ErrorView error={error} title={t('consent.loadFailed')} onRetry={() => void reload()} />}
      {!doc && !error && <LoadingView text={t('consent.loading')} />}
      {doc && (
        <article className="ax-card ax-doc" data-testid="sensitive-consent">
          <h1 className="ax-card-title">{doc.title}</h1>
          <p className="ax-muted">{feature}</p>
          <p className="ax-muted">{t('consent.intro')}</p>
          <Markdown source={doc.text} omitTitle={doc.title} />
          {doc.given && <div className="ax-done-note">{t('consent.alreadyGiven')}</div>}
        </article>
      )}
    </Page>
  );
}

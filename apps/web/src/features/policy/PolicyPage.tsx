import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/mobile/Page';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePolicy } from './PolicyContext';
import { EffectiveLine, PolicyText } from './PolicyReader';

/** The current policy as a page (from 我的 and 隐私). */
export function PolicyPage({ backTo }: { backTo: string }) {
  const { t } = useTranslation();
  const { doc, error, reload } = usePolicy();
  return (
    <Page title={t('policy.fullTitle')} backTo={backTo}>
      {!doc && error && <ErrorView error={error} title={t('policy.loadFailed')} onRetry={() => void reload()} />}
      {!doc && !error && <LoadingView text={t('policy.loading')} />}
      {doc && (
        <article className="ax-card ax-doc" data-testid="policy-full-text">
          <h1 className="ax-card-title">{doc.title}</h1>
          <EffectiveLine doc={doc} />
          <PolicyText doc={doc} />
        </article>
      )}
    </Page>
  );
}

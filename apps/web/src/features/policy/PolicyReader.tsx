import type { PolicyDocument } from '@anxin/contracts';
import { Button, Popup } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { currentLocale } from '../../lib/i18n';
import { Markdown } from '../../ui/Markdown';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';

/**
 * A full document (the privacy policy, or the user agreement), full-screen, over whatever is underneath.
 * People see the date it took effect, never a version number or a fingerprint.
 */
export function PolicyReader({
  doc,
  open,
  onClose,
  title,
  error,
  onRetry,
  testId = 'policy-full-text',
}: {
  doc: PolicyDocument | undefined;
  open: boolean;
  onClose: () => void;
  /** Shown while the document loads. */
  title?: string;
  error?: ApiError;
  onRetry?: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Popup
      visible={open}
      onMaskClick={onClose}
      onClose={onClose}
      position="bottom"
      bodyClassName="ax-reader"
      destroyOnClose
      data-testid="policy-reader"
    >
      <div className="ax-reader-head">
        <h2 className="ax-reader-title">{doc?.title || title || t('policy.fullTitle')}</h2>
        <button type="button" className="ax-reader-close" onClick={onClose} data-testid="policy-reader-close">
          {t('common.close')}
        </button>
      </div>
      <div className="ax-reader-body" data-testid={testId}>
        {doc ? (
          <>
            <EffectiveLine doc={doc} />
            <PolicyText doc={doc} />
          </>
        ) : error ? (
          <ErrorView error={error} onRetry={onRetry} />
        ) : (
          <LoadingView />
        )}
      </div>
      <div className="ax-reader-foot">
        <Button block color="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
    </Popup>
  );
}

/** The user agreement (《用户协议》), fetched the first time someone opens it. */
export function TermsReader({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const [wanted, setWanted] = useState(open);
  if (open && !wanted) setWanted(true);
  const { data, error, reload } = useResource(
    () => (wanted ? api.terms(locale) : Promise.resolve(undefined)),
    [wanted, locale],
  );
  return (
    <PolicyReader
      doc={data}
      error={error}
      onRetry={() => void reload()}
      open={open}
      onClose={onClose}
      title={t('terms.title')}
      testId="terms-full-text"
    />
  );
}

/** "2026年11月29日起生效" */
export function EffectiveLine({ doc }: { doc: PolicyDocument }) {
  const { t } = useTranslation();
  return (
    <p className="ax-muted" data-testid="effective-line">
      {t('policy.effectiveLine', { date: formatDate(doc.effectiveAt) })}
    </p>
  );
}

/** Document body plus who runs the service and how to reach them (POL-3). */
export function PolicyText({ doc }: { doc: PolicyDocument }) {
  const { t } = useTranslation();
  return (
    <>
      <Markdown source={doc.text} omitTitle={doc.title} />
      <div className="ax-operator">
        <div>{t('policy.operator', { name: doc.operator.name })}</div>
        <div>{t('policy.contactLine', { hotline: doc.operator.hotline, email: doc.operator.email })}</div>
      </div>
    </>
  );
}

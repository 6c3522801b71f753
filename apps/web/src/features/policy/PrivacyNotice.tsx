import type { PolicyDocument } from '@anxin/contracts';
import { Button } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Markdown } from '../../ui/Markdown';
import { HeartMark } from '../../ui/mobile/icons';
import { LanguageToggle } from '../../ui/mobile/LanguageToggle';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { PolicyReader, TermsReader } from './PolicyReader';

/**
 * First-visit privacy notice (POL-1): the one consent step, for the user agreement and the policy together.
 * Nothing but the policy itself is requested until "同意" (the agreement only when asked for). Agreeing here is
 * only remembered on this device; the sign-in page shows it as given, and the consent record (with the hash of
 * the exact text) is written at the first verified sign-in.
 */
export function PrivacyNotice({ doc, onAgree }: { doc: PolicyDocument; onAgree: () => void }) {
  const { t } = useTranslation();
  const app = useMobileApp();
  const name = t(`brand.${app}.name`);
  const [declined, setDeclined] = useState(false);
  const [reading, setReading] = useState<'policy' | 'terms' | null>(null);

  return (
    <div
      className="ax-notice"
      role="dialog"
      aria-modal="true"
      aria-labelledby="policy-notice-title"
      data-testid="policy-notice"
    >
      <div className="ax-notice-top">
        <LanguageToggle />
      </div>
      {!declined ? (
        <>
          <div className="ax-notice-body">
            <div className="ax-notice-brand">
              <HeartMark size={56} />
              <div className="ax-notice-welcome">{t('policy.welcome', { name })}</div>
            </div>
            <h1 id="policy-notice-title" className="ax-notice-title">
              {t('policy.noticeTitle')}
            </h1>
            <p className="ax-muted">{t('policy.intro')}</p>
            <div className="ax-notice-summary" data-testid="policy-summary">
              <Markdown source={doc.summary} />
            </div>
            <p className="ax-notice-agree" data-testid="notice-agree-line">
              {t('policy.agreeLinePrefix')}
              <button type="button" className="ax-link" onClick={() => setReading('terms')} data-testid="terms-link">
                {t('signIn.userAgreement')}
              </button>
              {t('signIn.agreeAnd')}
              <button
                type="button"
                className="ax-link"
                onClick={() => setReading('policy')}
                data-testid="policy-read-full"
              >
                {t('signIn.privacyPolicy')}
              </button>
              {t('policy.agreeLineSuffix')}
            </p>
          </div>
          <div className="ax-notice-actions">
            <Button block color="primary" size="large" onClick={onAgree} data-testid="policy-agree">
              {t('policy.agreeAndContinue')}
            </Button>
            <Button block fill="none" size="large" onClick={() => setDeclined(true)} data-testid="policy-decline">
              {t('common.disagree')}
            </Button>
          </div>
        </>
      ) : (
        <>
          <div className="ax-notice-body ax-notice-declined" data-testid="policy-declined">
            <div className="ax-notice-brand">
              <HeartMark size={56} />
            </div>
            <h1 id="policy-notice-title" className="ax-notice-title">
              {t('policy.declineTitle')}
            </h1>
            <p>{t('policy.declineBody', { name })}</p>
            <p className="ax-muted">{t('policy.declineHint')}</p>
          </div>
          <div className="ax-notice-actions">
            <Button
              block
              color="primary"
              size="large"
              onClick={() => setReading('policy')}
              data-testid="policy-read-again"
            >
              {t('policy.readAgain')}
            </Button>
            <Button block fill="none" size="large" onClick={() => setDeclined(false)} data-testid="policy-back">
              {t('policy.backToNotice')}
            </Button>
          </div>
        </>
      )}
      <PolicyReader doc={doc} open={reading === 'policy'} onClose={() => setReading(null)} />
      <TermsReader open={reading === 'terms'} onClose={() => setReading(null)} />
    </div>
  );
}

import type { SensitivePurpose } from '@anxin/contracts';
import { Button, Steps } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { HeartMark } from '../../ui/mobile/icons';
import { Page } from '../../ui/mobile/Page';
import { useMe } from '../session/SessionContext';

export const PURPOSE: Record<'doctor' | 'patient', SensitivePurpose> = {
  doctor: 'onboarding',
  patient: 'consultation',
};
export const NEXT_PATH: Record<'doctor' | 'patient', string> = { doctor: '/onboarding', patient: '/find-doctor' };

/** The home tab: what this app will do for you and the first step towards it. */
export function HomePage() {
  const { t } = useTranslation();
  const app = useMobileApp();
  const me = useMe();
  const navigate = useNavigate();
  const consented = me.sensitiveConsents.includes(PURPOSE[app]);

  return (
    <div className="ax-home" data-testid="home">
      <header className="ax-home-hero">
        <div className="ax-home-greeting">
          {me.displayName ? t('home.greeting', { name: me.displayName }) : t('home.greetingAnonymous')}
        </div>
        <div className="ax-home-brand">{t(`brand.${app}.name`)}</div>
      </header>

      <section className="ax-card ax-home-card">
        <HeartMark size={44} />
        <h1 className="ax-card-title">{t(`home.${app}.title`)}</h1>
        <p className="ax-muted">{t(`home.${app}.body`)}</p>
        <Button
          block
          color="primary"
          size="large"
          onClick={() => navigate(consented ? NEXT_PATH[app] : `/consent/${PURPOSE[app]}`)}
          data-testid={app === 'doctor' ? 'start-onboarding' : 'find-doctor'}
        >
          {consented ? t(`home.${app}.actionContinue`) : t(`home.${app}.action`)}
        </Button>
      </section>

      <section className="ax-card">
        <h2 className="ax-section-title">{t(`home.${app}.next`)}</h2>
        <Steps direction="vertical" current={consented ? 1 : 0}>
          <Steps.Step title={t(`home.${app}.step1`)} status={consented ? 'finish' : 'process'} />
          <Steps.Step title={t(`home.${app}.step2`)} status={consented ? 'process' : 'wait'} />
          <Steps.Step title={t(`home.${app}.step3`)} status="wait" />
        </Steps>
      </section>
    </div>
  );
}

/** The honest "not yet" page after consent: the next feature isn't built yet. */
export function ComingSoonPage() {
  const { t } = useTranslation();
  const app = useMobileApp();
  const navigate = useNavigate();
  return (
    <Page title={t(`consent.purpose.${PURPOSE[app]}`)} backTo="/">
      <div className="ax-card ax-coming-card" data-testid="coming-soon">
        <HeartMark size={56} />
        <h1 className="ax-card-title">{t(`home.${app}.comingTitle`)}</h1>
        <p className="ax-muted">{t(`home.${app}.comingBody`)}</p>
        <Button
          block
          color="primary"
          size="large"
          onClick={() => navigate('/', { replace: true })}
          data-testid="back-home"
        >
          {t('common.backHome')}
        </Button>
      </div>
    </Page>
  );
}

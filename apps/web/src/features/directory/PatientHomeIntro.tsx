import { Button, Steps } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { HeartMark } from '../../ui/mobile/icons';
import { useDirectoryT } from './i18n';

/**
 * The patient's home: finding a doctor comes first and needs no consent; the separate consent for sensitive data
 * is asked when a consultation starts.
 */
export function PatientHomeIntro() {
  const { t: tc } = useTranslation();
  const t = useDirectoryT();
  const navigate = useNavigate();
  return (
    <>
      <section className="ax-card ax-home-card">
        <HeartMark size={44} />
        <h1 className="ax-card-title">{tc('home.patient.title')}</h1>
        <p className="ax-muted">{t('directory.home.body')}</p>
        <Button block color="primary" size="large" onClick={() => navigate('/doctors')} data-testid="find-doctor">
          {tc('home.patient.action')}
        </Button>
      </section>
      <section className="ax-card">
        <h2 className="ax-section-title">{tc('home.patient.next')}</h2>
        <Steps direction="vertical" current={0}>
          <Steps.Step title={t('directory.home.step1')} status="process" />
          <Steps.Step title={t('directory.home.step2')} status="wait" />
          <Steps.Step title={t('directory.home.step3')} status="wait" />
        </Steps>
      </section>
    </>
  );
}

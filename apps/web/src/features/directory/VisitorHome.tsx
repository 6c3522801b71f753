import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useDirectoryT } from './i18n';
import { PatientHomeIntro } from './PatientHomeIntro';

/** `/` of the patient app before signing in: finding a doctor needs no account; signing in is one tap away. */
export function VisitorHome() {
  const { t: tc } = useTranslation();
  const t = useDirectoryT();
  const navigate = useNavigate();
  return (
    <div className="ax-home" data-testid="visitor-home">
      <header className="ax-home-hero">
        <div className="ax-home-greeting">{tc('home.greetingAnonymous')}</div>
        <div className="ax-home-brand">
          {tc('brand.patient.name')} · {t('directory.visitor.intro')}
        </div>
      </header>
      <PatientHomeIntro />
      <section className="ax-card ax-dir-visitor-actions">
        <p className="ax-muted ax-small">{t('directory.visitor.signInHint')}</p>
        <Button block fill="outline" onClick={() => navigate('/sign-in')} data-testid="visitor-sign-in">
          {t('directory.visitor.signIn')}
        </Button>
      </section>
    </div>
  );
}

import type { SensitivePurpose } from '@anxin/contracts';
import { useTranslation } from 'react-i18next';
import { PatientConsultationsEntry, WorkQueue } from '../consultations';
import { PatientHomeIntro } from '../directory';
import { NoticesBell } from '../notices';
import { DoctorHomeOnboarding } from '../onboarding';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { useMe } from '../session/SessionContext';

export const PURPOSE: Record<'doctor' | 'patient', SensitivePurpose> = {
  doctor: 'onboarding',
  patient: 'consultation',
};
/** Where the sensitive-data consent leads once given. */
export const NEXT_PATH: Record<'doctor' | 'patient', string> = { doctor: '/onboarding', patient: '/doctors' };

/** The home tab: the notices bell, then what this app will do for you and the first step towards it. */
export function HomePage() {
  const { t } = useTranslation();
  const app = useMobileApp();
  const me = useMe();
  const consented = me.sensitiveConsents.includes(PURPOSE[app]);
  // An approved doctor is greeted by the name and title of their approved profile.
  const profile = me.doctorProfile;
  const name = profile?.name ?? me.displayName;

  return (
    <div className="ax-home" data-testid="home">
      <header className="ax-home-hero ax-home-hero-with-bell">
        <div>
          <div className="ax-home-greeting" data-testid="home-greeting">
            {name ? t('home.greeting', { name }) : t('home.greetingAnonymous')}
          </div>
          <div className="ax-home-brand" data-testid="home-subtitle">
            {profile?.title ? `${profile.title} · ${t(`brand.${app}.name`)}` : t(`brand.${app}.name`)}
          </div>
        </div>
        <NoticesBell />
      </header>

      {app === 'doctor' ? (
        <DoctorHomeOnboarding consented={consented} live={<WorkQueue />} />
      ) : (
        <>
          <PatientConsultationsEntry />
          <PatientHomeIntro />
        </>
      )}
    </div>
  );
}

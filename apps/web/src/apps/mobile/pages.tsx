/**
 * The screens of the doctor and patient apps, each loaded when first shown (React.lazy), so the first paint
 * downloads only the shell: the privacy notice, the session and the loading and error views. Navigations are
 * transitions (react-router), so the screen on view stays until the next one has loaded.
 */
import { lazy } from 'react';
import { Navigate, useParams } from 'react-router';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { lazyNamed } from '../lazy';

const consultations = () => import('../../features/consultations');
const directory = () => import('../../features/directory');
const onboarding = () => import('../../features/onboarding');

export const SignInPage = lazyNamed(() => import('../../features/auth/SignInPage'), 'SignInPage');
export const ChatPage = lazyNamed(consultations, 'ChatPage');
export const ConsultationListPage = lazyNamed(consultations, 'ConsultationListPage');
export const NewConsultationPage = lazyNamed(consultations, 'NewConsultationPage');
export const PatientsPage = lazyNamed(consultations, 'PatientsPage');
export const CallProvider = lazyNamed(() => import('../../features/calls'), 'CallProvider');
export const DirectoryPage = lazyNamed(directory, 'DirectoryPage');
export const PublicProfilePage = lazyNamed(directory, 'PublicProfilePage');
export const VisitorHome = lazyNamed(directory, 'VisitorHome');
// (the service worker precaches every chunk reachable from the shell, so this one is there offline too)
export const OfflineRoutes = lazyNamed(() => import('../../features/home/OfflineHome'), 'OfflineRoutes');
export const HomePage = lazyNamed(() => import('../../features/home/HomePage'), 'HomePage');
export const DevicesPage = lazyNamed(() => import('../../features/me/DevicesPage'), 'DevicesPage');
export const DisplayNamePage = lazyNamed(() => import('../../features/me/DisplayNamePage'), 'DisplayNamePage');
export const MePage = lazyNamed(() => import('../../features/me/MePage'), 'MePage');
export const PrivacyPage = lazyNamed(() => import('../../features/me/PrivacyPage'), 'PrivacyPage');
export const NoticesPage = lazyNamed(() => import('../../features/notices'), 'NoticesPage');
export const NotificationsPage = lazyNamed(() => import('../../features/push'), 'NotificationsPage');
export const ApplicationPage = lazyNamed(onboarding, 'ApplicationPage');
export const ApplicationStatusPage = lazyNamed(onboarding, 'ApplicationStatusPage');
export const PolicyPage = lazyNamed(() => import('../../features/policy/PolicyPage'), 'PolicyPage');
export const PolicyReaccept = lazyNamed(() => import('../../features/policy/PolicyReaccept'), 'PolicyReaccept');

/**
 * `/consent/:purpose`: the sensitive-data consent of this app (onboarding for doctors, consultation for
 * patients), leading on to the app's first step. Any other purpose goes home.
 */
export const ConsentRoute = lazy(async () => {
  const [{ SensitiveConsentPage }, { PURPOSE, NEXT_PATH }] = await Promise.all([
    import('../../features/consent/SensitiveConsentPage'),
    import('../../features/home/HomePage'),
  ]);
  return {
    default: function ConsentRoute() {
      const app = useMobileApp();
      const { purpose } = useParams();
      if (purpose !== PURPOSE[app]) return <Navigate to="/" replace />;
      return <SensitiveConsentPage purpose={PURPOSE[app]} next={NEXT_PATH[app]} />;
    },
  };
});

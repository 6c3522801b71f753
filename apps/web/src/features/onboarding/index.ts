/** Doctor onboarding (ONB-1…3): the application form, its status page and the home card. */
import { registerBundle } from './bundle';
import { onboardingLocales } from './locales';
import './onboarding.css';

registerBundle(onboardingLocales);

export { ApplicationPage, ApplicationStatusPage } from './OnboardingPages';
export { DoctorHomeOnboarding } from './OnboardingCard';
export { useOnbT } from './i18n';

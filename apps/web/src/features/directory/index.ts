/** The patient-facing directory of verified doctors and their public profiles (ONB-5). */
import { registerBundle } from '../onboarding/bundle';
import { directoryLocales } from './locales';
import './directory.css';

registerBundle(directoryLocales);

export { DirectoryPage } from './DirectoryPage';
export { PublicProfilePage } from './PublicProfilePage';
export { PatientHomeIntro } from './PatientHomeIntro';
export { VisitorHome } from './VisitorHome';
export { FirstVisitAlternatives, FirstVisitRule } from './FirstVisitRule';
export { returnPath, type ReturnState } from './returnTo';

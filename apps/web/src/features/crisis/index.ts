/**
 * Crisis signals (CON-4) in the mobile apps: the doctor's alert banner, the patient's resource card, and the hook
 * that loads them and listens for live `crisis` frames. The staff console page is in `./admin` (antd), so the
 * mobile bundles never load it. Importing this module registers the feature's copy (zh-CN / en).
 */
import { registerBundle } from '../onboarding/bundle';
import { crisisLocales } from './locales';
import './crisis.css';

registerBundle(crisisLocales);

export { CrisisBanner } from './CrisisBanner';
export { CrisisEndSheet, pendingEscalation } from './CrisisEndSheet';
export { CrisisPanel } from './CrisisPanel';
export { CrisisResourceCard } from './CrisisResourceCard';
export { useCrisis, type Crisis } from './useCrisis';

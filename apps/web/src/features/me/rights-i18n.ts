import { registerBundle, useBundleT, type BundleT } from '../onboarding/bundle';
import { rightsLocales, type RightsBundle } from './rights-locales';

// Registered when the first screen that needs it loads (Me, 个人信息与隐私).
registerBundle(rightsLocales);

export function useRightsT(): BundleT<RightsBundle> {
  return useBundleT<RightsBundle>();
}

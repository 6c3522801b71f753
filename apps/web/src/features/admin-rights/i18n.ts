import { useBundleT, type BundleT } from '../onboarding/bundle';
import type { RightsAdminBundle } from './locales';

export function useRightsT(): BundleT<RightsAdminBundle> {
  return useBundleT<RightsAdminBundle>();
}

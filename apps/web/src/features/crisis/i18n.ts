import { useBundleT, type BundleT } from '../onboarding/bundle';
import type { CrisisBundle } from './locales';

export function useCrisisT(): BundleT<CrisisBundle> {
  return useBundleT<CrisisBundle>();
}

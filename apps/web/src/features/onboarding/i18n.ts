import { useBundleT, type BundleT } from './bundle';
import type { OnboardingBundle } from './locales';

export type OnbT = BundleT<OnboardingBundle>;

/** `t` for the onboarding copy (see `./locales`). */
export function useOnbT(): OnbT {
  return useBundleT<OnboardingBundle>();
}

import { useBundleT, type BundleT } from '../onboarding/bundle';
import type { PushBundle } from './locales';

export function usePushT(): BundleT<PushBundle> {
  return useBundleT<PushBundle>();
}

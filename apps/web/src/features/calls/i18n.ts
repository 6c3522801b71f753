import { useBundleT, type BundleT } from '../onboarding/bundle';
import type { CallsBundle } from './locales';

export function useCallsT(): BundleT<CallsBundle> {
  return useBundleT<CallsBundle>();
}

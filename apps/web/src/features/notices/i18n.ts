import { useBundleT, type BundleT } from '../onboarding/bundle';
import type { NoticesBundle } from './locales';

export function useNoticesT(): BundleT<NoticesBundle> {
  return useBundleT<NoticesBundle>();
}

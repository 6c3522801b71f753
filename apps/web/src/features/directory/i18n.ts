import { useBundleT, type BundleT } from '../onboarding/bundle';
import type { DirectoryBundle } from './locales';

export function useDirectoryT(): BundleT<DirectoryBundle> {
  return useBundleT<DirectoryBundle>();
}

import { useBundleT, type BundleT } from '../onboarding/bundle';
import type { ConsultationsBundle } from './locales';

export function useConsultT(): BundleT<ConsultationsBundle> {
  return useBundleT<ConsultationsBundle>();
}

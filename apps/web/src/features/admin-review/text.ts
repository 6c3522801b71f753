import type { Bilingual } from '@anxin/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../lib/i18n';
import type { ReviewResources } from './locales';

/** Where this feature's copy lives inside the `translation` namespace. */
export const REVIEW_KEY_PREFIX = 'adminReview';

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every key of this feature's copy, e.g. `queue.title`. */
export type ReviewKey = Paths<ReviewResources>;

type LooseT = (key: string, options?: Record<string, unknown>) => string;

/**
 * `t` for this feature's keys, type-checked against `locales.ts`. The app's own `t` is typed against the shared
 * locale files only, which this feature deliberately does not edit.
 */
export function useReviewT(): (key: ReviewKey, vars?: Record<string, string | number>) => string {
  const { t } = useTranslation();
  return useCallback(
    (key: ReviewKey, vars?: Record<string, string | number>) =>
      (t as unknown as LooseT)(`${REVIEW_KEY_PREFIX}.${key}`, vars),
    [t],
  );
}

/** The half of a bilingual text that matches the UI language. */
export function pick(text: Bilingual): string {
  return currentLocale() === 'en' ? text.en : text.zh;
}

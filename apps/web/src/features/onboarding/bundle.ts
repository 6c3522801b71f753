/**
 * Feature-level translations. Each feature keeps its copy next to its screens (`locales.ts`, exporting
 * `{ 'zh-CN': …, en: … }` under one top-level key) and registers it into the shared `translation` namespace
 * from its index module, so the app's central locale files stay untouched.
 */
import type { Bilingual } from '@anxin/contracts';
import { useTranslation } from 'react-i18next';
import i18n, { currentLocale } from '../../lib/i18n';

/** Same keys as the Chinese bundle, every leaf a string (the English bundle must mirror it). */
export type BundleShape<T> = { [K in keyof T]: T[K] extends string ? string : BundleShape<T[K]> };

/** Dot paths of every string leaf: `onboarding.steps.basic`. */
export type BundleKey<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : BundleKey<T[K], `${P}${K}.`>;
}[keyof T & string];

export type BundleT<T> = (key: BundleKey<T>, options?: Record<string, unknown>) => string;

export function registerBundle<T extends object>(bundle: { 'zh-CN': T; en: BundleShape<T> }): void {
  i18n.addResourceBundle('zh-CN', 'translation', bundle['zh-CN'], true, true);
  i18n.addResourceBundle('en', 'translation', bundle.en, true, true);
}

/** A `t` typed against a feature bundle; re-renders the caller when the language changes. */
export function useBundleT<T>(): BundleT<T> {
  const { t } = useTranslation();
  return t as unknown as BundleT<T>;
}

/** The half of a server-sent bilingual text that matches the UI language. */
export function pickText(text: Bilingual): string {
  return currentLocale() === 'en' ? text.en : text.zh;
}

import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '@anxin/contracts';
import { zhCN } from './locales/zh-CN';
import { en, type Resources } from './locales/en';
import { readStoredLocale, storeLocale } from './storage';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Resources };
  }
}

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: readStoredLocale() ?? DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
  showSupportNotice: false, // no vendor notice in the console: nothing here talks to third parties
});

function syncDocumentLang(lng: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}
syncDocumentLang(i18n.language);
i18n.on('languageChanged', syncDocumentLang);

export function currentLocale(): Locale {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** Whether the person picked a language on this device (as opposed to the default). */
export function hasChosenLocale(): boolean {
  return readStoredLocale() !== null;
}

/** Switches the UI language and remembers the choice on this device. */
export async function setLocale(locale: Locale): Promise<void> {
  storeLocale(locale);
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

/** Adopts a language without recording it as this device's choice (e.g. the account's saved setting). */
export async function adoptLocale(locale: Locale): Promise<void> {
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

export default i18n;

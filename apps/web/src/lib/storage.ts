/**
 * The only things this app keeps in device storage: the UI language and which policy version the
 * first-visit notice was acknowledged for. No personal data, no identifiers, no tracking.
 */
import type { Locale } from '@anxin/contracts';

export type MobileApp = 'doctor' | 'patient';

const LOCALE_KEY = 'anxin.locale';
const ackKey = (app: MobileApp) => `anxin.policyAck.${app}`;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, policies): behave as a first visit
  }
}

function remove(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Nothing stored, nothing to forget.
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not being able to remember a UI preference is not an error worth showing.
  }
}

export function readStoredLocale(): Locale | null {
  const value = read(LOCALE_KEY);
  return value === 'zh-CN' || value === 'en' ? value : null;
}

export function storeLocale(locale: Locale): void {
  write(LOCALE_KEY, locale);
}

/** The policy version whose first-visit notice was agreed to on this device, if any. */
export function readPolicyAck(app: MobileApp): number | null {
  const value = Number(read(ackKey(app)));
  return Number.isInteger(value) && value > 0 ? value : null;
}

export function storePolicyAck(app: MobileApp, version: number): void {
  write(ackKey(app), String(version));
}

export function clearPolicyAck(app: MobileApp): void {
  remove(ackKey(app));
}

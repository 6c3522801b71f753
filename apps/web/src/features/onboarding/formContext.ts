import type { ApplicationForm, MyApplication } from '@anxin/contracts';
import { validateForm } from '@anxin/domain';
import { createContext, useContext } from 'react';
import { currentLocale } from '../../lib/i18n';
import { pickText } from './bundle';
import type { ApplicationDraft } from './useApplicationDraft';
import { isYearMonth, toRequestBody } from './model';

export type Basic = NonNullable<ApplicationForm['basic']>;
export type Credentials = NonNullable<ApplicationForm['credentials']>;
export type Professional = NonNullable<ApplicationForm['professional']>;
export type Biography = NonNullable<Professional['biography']>;

export interface FormApi {
  draft: ApplicationDraft;
  /** The message to show under a field: an instant local hint for a touched field, else the server's. */
  errorOf: (path: string) => string | undefined;
  /** `onBlur` handler that turns on local hints for a field. */
  touch: (path: string) => () => void;
  setBasic: <K extends keyof Basic>(key: K, value: Basic[K]) => void;
  setCredentials: <K extends keyof Credentials>(key: K, value: Credentials[K]) => void;
  setProfessional: <K extends keyof Professional>(key: K, value: Professional[K]) => void;
  setBiography: <K extends keyof Biography>(key: K, value: Biography[K]) => void;
  onPhotoChange: (app: MyApplication) => void;
  goTo: (step: number) => void;
}

export const FormContext = createContext<FormApi | null>(null);

export function useForm(): FormApi {
  const value = useContext(FormContext);
  if (!value) throw new Error('useForm outside the application form');
  return value;
}

/** Reads `basic.idNumber`-style paths. */
export function valueAt(form: ApplicationForm, path: string): unknown {
  let node: unknown = form;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function comparable(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  return JSON.stringify(value);
}

/** Whether what is on screen differs from what the server last saved (its messages are then out of date). */
export function isDirty(form: ApplicationForm, saved: ApplicationForm, path: string): boolean {
  return comparable(valueAt(form, path)) !== comparable(valueAt(saved, path));
}

/** Today as a calendar date in Beijing, the way the domain rules read dates (their UTC fields). */
function beijingToday(): Date {
  return new Date(Date.now() + 8 * 3600 * 1000);
}

/**
 * The same rules the server applies (`validateForm` from packages/domain), run on what is on screen, for instant
 * hints. Empty values are not flagged here: what is still missing is listed before submitting.
 */
export function localErrors(form: ApplicationForm, workStartInvalid: string): Map<string, string> {
  const en = currentLocale() === 'en';
  const { errors } = validateForm(toRequestBody(form), beijingToday());
  const out = new Map(errors.map((e) => [e.field, en ? e.message.en : e.message.zh]));
  const start = form.professional?.workStartDate?.trim();
  if (start && !isYearMonth(start)) out.set('professional.workStartDate', workStartInvalid);
  return out;
}

/** Server field errors by path, in the UI language. */
export function serverErrors(app: MyApplication): Map<string, string> {
  return new Map(app.fieldErrors.map((e) => [e.field, pickText(e.message)]));
}

import type { ApplicationForm, MyApplication } from '@anxin/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { onboardingApi, toApiError, type ApiError } from '../../lib/api';
import { toRequestBody } from './model';

export const AUTOSAVE_DELAY_MS = 800;

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'error'; error: ApiError };

export interface ApplicationDraft {
  /** The last reply from the server (status, derived, photos, missing, fieldErrors). */
  app: MyApplication;
  /** What is on screen; may be ahead of the server while a save is pending. */
  form: ApplicationForm;
  /** The form as last accepted by the server. */
  savedForm: ApplicationForm;
  save: SaveState;
  /** Applies an edit and schedules an autosave. */
  edit: (change: (draft: ApplicationForm) => void) => void;
  /** Saves now if anything is unsaved; resolves with the server's view (rejects if saving fails). */
  flush: () => Promise<MyApplication>;
  /** Replaces the server view after another call (photo upload, submit) answered with one. */
  accept: (app: MyApplication) => void;
}

/**
 * The application form with debounced autosave (PUT of the whole form). Saves are serialised: an edit made while
 * a save is in flight is sent right after it. The server's reply never overwrites what is on screen (the person
 * may have typed meanwhile); only its view (derived data, missing items, errors, photos, status) is taken.
 */
export function useApplicationDraft(
  initial: MyApplication,
  onNotEditable: (error: ApiError) => void,
): ApplicationDraft {
  const [app, setApp] = useState(initial);
  const [form, setForm] = useState<ApplicationForm>(() => structuredClone(initial.form));
  const [savedForm, setSavedForm] = useState<ApplicationForm>(initial.form);
  const [save, setSave] = useState<SaveState>(() =>
    initial.updatedAt ? { kind: 'saved', at: new Date(initial.updatedAt) } : { kind: 'idle' },
  );

  const formRef = useRef(form);
  const editVersion = useRef(0);
  const savedVersion = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const inFlight = useRef<Promise<MyApplication> | null>(null);
  const appRef = useRef(app);
  const mounted = useRef(true);
  const notEditableRef = useRef(onNotEditable);
  notEditableRef.current = onNotEditable;

  const accept = useCallback((next: MyApplication) => {
    appRef.current = next;
    if (mounted.current) setApp(next);
  }, []);

  const runSave = useCallback((): Promise<MyApplication> => {
    const version = editVersion.current;
    const body = toRequestBody(formRef.current);
    if (mounted.current) setSave({ kind: 'saving' });
    const promise = onboardingApi
      .saveApplication(body)
      .then((reply) => {
        savedVersion.current = Math.max(savedVersion.current, version);
        accept(reply);
        if (mounted.current) {
          setSavedForm(body);
          setSave(editVersion.current > version ? { kind: 'pending' } : { kind: 'saved', at: new Date() });
        }
        return reply;
      })
      .catch((err: unknown) => {
        const error = toApiError(err);
        if (mounted.current) setSave({ kind: 'error', error });
        if (error.code === 'APPLICATION_NOT_EDITABLE') notEditableRef.current(error);
        throw error;
      })
      .finally(() => {
        if (inFlight.current === promise) inFlight.current = null;
      });
    inFlight.current = promise;
    return promise;
  }, [accept]);

  const flush = useCallback(async (): Promise<MyApplication> => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    if (inFlight.current) await inFlight.current.catch(() => undefined);
    if (editVersion.current > savedVersion.current) return runSave();
    return appRef.current;
  }, [runSave]);

  const schedule = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      void flush().catch(() => undefined);
    }, AUTOSAVE_DELAY_MS);
  }, [flush]);

  const edit = useCallback(
    (change: (draft: ApplicationForm) => void) => {
      const next = structuredClone(formRef.current);
      change(next);
      formRef.current = next;
      editVersion.current++;
      setForm(next);
      setSave((s) => (s.kind === 'saving' ? s : { kind: 'pending' }));
      schedule();
    },
    [schedule],
  );

  // A failed save is retried as soon as the device is back online.
  const failedOnNetwork = save.kind === 'error' && save.error.isNetwork;
  useEffect(() => {
    if (!failedOnNetwork) return;
    const retry = () => void flush().catch(() => undefined);
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [failedOnNetwork, flush]);

  // Leaving the page or switching apps: save what is there rather than waiting for the timer.
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden' && editVersion.current > savedVersion.current) {
        void flush().catch(() => undefined);
      }
    };
    document.addEventListener('visibilitychange', onHide);
    return () => document.removeEventListener('visibilitychange', onHide);
  }, [flush]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (editVersion.current > savedVersion.current) void flush().catch(() => undefined);
    };
  }, [flush]);

  return { app, form, savedForm, save, edit, flush, accept };
}

import type { ApplicationForm as Form, MyApplication } from '@anxin/contracts';
import { Button, Steps, Toast } from 'antd-mobile';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { onboardingApi, toApiError, type ApiError } from '../../lib/api';
import { Page } from '../../ui/mobile/Page';
import { pickText } from './bundle';
import {
  FormContext,
  isDirty,
  localErrors,
  serverErrors,
  type Basic,
  type Biography,
  type Credentials,
  type FormApi,
  type Professional,
} from './formContext';
import { useOnbT } from './i18n';
import { decisionOf, REVIEW_STEP, STEPS, stepOfField } from './model';
import { ReviewStep } from './ReviewStep';
import { StepBasic, StepCredentials, StepIdPhotos, StepProfessional } from './steps';
import { useApplicationDraft, type SaveState } from './useApplicationDraft';

function timeOf(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function DraftStatus({ save, onRetry }: { save: SaveState; onRetry: () => void }) {
  const t = useOnbT();
  let text: string;
  switch (save.kind) {
    case 'saving':
      text = t('onboarding.draft.saving');
      break;
    case 'saved':
      text = t('onboarding.draft.saved', { time: timeOf(save.at) });
      break;
    case 'pending':
      text = t('onboarding.draft.editing');
      break;
    case 'error':
      text = save.error.isNetwork
        ? t('onboarding.draft.offline')
        : t('onboarding.draft.failed', { message: save.error.message });
      break;
    default:
      text = t('onboarding.draft.autosave');
  }
  return (
    <div
      className={`ax-onb-draft ax-onb-draft-${save.kind}`}
      role="status"
      aria-live="polite"
      data-testid="draft-status"
      data-state={save.kind}
    >
      <span>{text}</span>
      {save.kind === 'error' && (
        <button type="button" className="ax-link" onClick={onRetry} data-testid="draft-retry">
          {t('onboarding.draft.retry')}
        </button>
      )}
    </div>
  );
}

/**
 * The application form (ONB-1): five steps, autosaved as a draft. `initial` is the server's view when the page
 * opened; afterwards the draft hook owns it.
 */
export function ApplicationFormView({
  initial,
  onSubmitted,
  onNotEditable,
}: {
  initial: MyApplication;
  onSubmitted: (app: MyApplication) => void;
  onNotEditable: () => void;
}) {
  const t = useOnbT();
  const navigate = useNavigate();
  const notEditable = useCallback(
    (error: ApiError) => {
      Toast.show({ content: error.message, duration: 3000 });
      onNotEditable();
    },
    [onNotEditable],
  );
  const draft = useApplicationDraft(initial, notEditable);
  const { app, form, savedForm, edit, flush } = draft;
  const [step, setStep] = useState(0);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [submitError, setSubmitError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const [focusField, setFocusField] = useState<string>();

  const workStartInvalid = t('onboarding.professional.workStartInvalid');
  const local = useMemo(() => localErrors(form, workStartInvalid), [form, workStartInvalid]);
  const server = useMemo(() => serverErrors(app), [app]);
  const errorOf = useCallback(
    (path: string) => {
      if (touched.has(path) && local.has(path)) return local.get(path);
      // The server's message is about the value it saved; once the doctor changes it, it is out of date.
      if (isDirty(form, savedForm, path)) return undefined;
      // The refused submission named this field: say it here too, where it is fixed.
      const stillMissing = app.missing.some((m) => m.field === path);
      return server.get(path) ?? (submitError?.field === path && stillMissing ? submitError.message : undefined);
    },
    [touched, local, server, form, savedForm, submitError, app.missing],
  );

  const goTo = useCallback(
    (next: number) => {
      void flush().catch(() => undefined); // "save on step change"; failures show in the draft status
      setStep(Math.max(0, Math.min(REVIEW_STEP, next)));
      window.scrollTo({ top: 0 });
    },
    [flush],
  );

  // After jumping to a field named by the server, bring it into view and put the cursor in it.
  useEffect(() => {
    if (!focusField) return;
    const el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(focusField)}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.querySelector<HTMLElement>('input, textarea, button')?.focus({ preventScroll: true });
    }
    setFocusField(undefined);
  }, [focusField, step]);

  const api: FormApi = useMemo(
    () => ({
      draft,
      errorOf,
      touch: (path: string) => () =>
        setTouched((s) => {
          if (s.has(path)) return s;
          const next = new Set(s);
          next.add(path);
          return next;
        }),
      setBasic: <K extends keyof Basic>(key: K, value: Basic[K]) =>
        edit((f: Form) => {
          f.basic = { ...f.basic, [key]: value };
        }),
      setCredentials: <K extends keyof Credentials>(key: K, value: Credentials[K]) =>
        edit((f: Form) => {
          f.credentials = { ...f.credentials, [key]: value };
        }),
      setProfessional: <K extends keyof Professional>(key: K, value: Professional[K]) =>
        edit((f: Form) => {
          f.professional = { ...f.professional, [key]: value };
        }),
      setBiography: <K extends keyof Biography>(key: K, value: Biography[K]) =>
        edit((f: Form) => {
          f.professional = { ...f.professional, biography: { ...f.professional?.biography, [key]: value } };
        }),
      onPhotoChange: draft.accept,
      goTo,
    }),
    [draft, errorOf, edit, goTo],
  );

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      await flush();
    } catch (err) {
      setSubmitError(toApiError(err));
      setSubmitting(false);
      window.scrollTo({ top: 0 });
      return;
    }
    try {
      const reply = await onboardingApi.submitApplication();
      draft.accept(reply);
      Toast.show({ icon: 'success', content: t('onboarding.review.submitted') });
      onSubmitted(reply);
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'SENSITIVE_CONSENT_REQUIRED') {
        Toast.show({ content: e.message, duration: 3000 });
        navigate('/consent/onboarding');
        return;
      }
      if (e.code === 'APPLICATION_NOT_EDITABLE') {
        notEditable(e);
        return;
      }
      setSubmitError(e);
      if ((e.code === 'APPLICATION_INCOMPLETE' || e.code === 'APPLICATION_INVALID') && e.field) {
        const target = stepOfField(e.field);
        setStep(target);
        if (target !== REVIEW_STEP) setFocusField(e.field);
      }
      window.scrollTo({ top: 0 });
      // The lists on the review step come from the server: bring them up to date.
      onboardingApi.application().then(draft.accept, () => undefined);
    } finally {
      setSubmitting(false);
    }
  };

  const decision = decisionOf(app);
  const approved = app.status === 'approved';
  const reReview = app.status === 'draft' && app.profileLive;
  const resubmit = app.status === 'changes_requested' || app.status === 'rejected' || reReview;
  const stepsWithErrors = new Set(app.fieldErrors.map((e) => stepOfField(e.field)));
  const title = app.profileLive ? t('onboarding.editTitle') : t('onboarding.title');

  const footer = (
    <div className="ax-onb-footer">
      {step > 0 && (
        <Button size="large" onClick={() => goTo(step - 1)} data-testid="step-prev" className="ax-onb-footer-prev">
          {t('onboarding.prev')}
        </Button>
      )}
      {step < REVIEW_STEP ? (
        <Button
          size="large"
          color="primary"
          onClick={() => goTo(step + 1)}
          data-testid="step-next"
          className="ax-onb-footer-main"
        >
          {step === REVIEW_STEP - 1 ? t('onboarding.toReview') : t('onboarding.next')}
        </Button>
      ) : approved ? (
        <Button
          size="large"
          color="primary"
          className="ax-onb-footer-main"
          onClick={() => {
            void flush().catch(() => undefined);
            navigate('/onboarding/status');
          }}
          data-testid="edit-done"
        >
          {t('onboarding.review.done')}
        </Button>
      ) : (
        <Button
          size="large"
          color="primary"
          className="ax-onb-footer-main"
          loading={submitting}
          loadingText={t('onboarding.review.submitting')}
          onClick={() => void submit()}
          data-testid="submit-application"
        >
          {resubmit ? t('onboarding.review.resubmit') : t('onboarding.review.submit')}
        </Button>
      )}
    </div>
  );

  return (
    <FormContext.Provider value={api}>
      <Page title={title} backTo="/" footer={footer}>
        <div className="ax-onb-form" data-testid="onboarding-form" data-step={STEPS[step]}>
          <div className="ax-onb-steps-bar">
            <Steps current={step} className="ax-onb-steps">
              {STEPS.map((key, i) => (
                <Steps.Step
                  key={key}
                  status={stepsWithErrors.has(i) ? 'error' : i < step ? 'finish' : i === step ? 'process' : 'wait'}
                  title={
                    <button
                      type="button"
                      className="ax-onb-step-button"
                      onClick={() => goTo(i)}
                      aria-current={i === step ? 'step' : undefined}
                      data-testid={`step-tab-${key}`}
                    >
                      {t(`onboarding.steps.${key}`)}
                    </button>
                  }
                />
              ))}
            </Steps>
            <div className="ax-onb-step-meta">
              <span className="ax-muted ax-small">{t('onboarding.stepOf', { n: step + 1, total: STEPS.length })}</span>
              <DraftStatus save={draft.save} onRetry={() => void flush().catch(() => undefined)} />
            </div>
          </div>

          {submitError && (
            <div
              className="ax-form-error ax-onb-banner"
              role="alert"
              data-testid="submit-error"
              data-code={submitError.code}
            >
              {submitError.message}
            </div>
          )}

          {app.status === 'changes_requested' && (
            <div className="ax-onb-notice ax-onb-notice-warn" data-testid="changes-requested-reason">
              <strong>{t('onboarding.banner.changesRequested')}</strong>
              {decision?.reasonLabel && <div className="ax-onb-reason-label">{pickText(decision.reasonLabel)}</div>}
              {decision?.reasonText && <div className="ax-onb-reason-text">{decision.reasonText}</div>}
            </div>
          )}
          {approved && (
            <div className="ax-onb-notice" data-testid="approved-edit-note">
              {t('onboarding.banner.approvedEdit')}
            </div>
          )}
          {reReview && (
            <div className="ax-onb-notice ax-onb-notice-warn" data-testid="re-review-note">
              {t('onboarding.banner.reReview')}
            </div>
          )}

          {step === 0 && <StepBasic />}
          {step === 1 && <StepIdPhotos />}
          {step === 2 && <StepCredentials />}
          {step === 3 && <StepProfessional />}
          {step === 4 && (
            <>
              <ReviewStep />
              {approved && <p className="ax-muted ax-intro">{t('onboarding.review.approvedNoSubmit')}</p>}
            </>
          )}
        </div>
      </Page>
    </FormContext.Provider>
  );
}

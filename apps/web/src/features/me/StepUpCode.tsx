import type { StepUpCodeReply } from '@anxin/contracts';
import { Button, NoticeBar, Toast } from 'antd-mobile';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { useCountdown } from '../../lib/hooks';
import { TextField } from '../../ui/mobile/TextField';
import { rightsApi } from './rights-api';
import { useRightsT } from './rights-i18n';

function deadline(seconds: number | undefined): number | null {
  return seconds && seconds > 0 ? Date.now() + seconds * 1000 : null;
}

/**
 * The step-up check every rights request needs (RIG-7): sends a fresh code to the account's own number when shown,
 * takes the 6 digits, and hands them to `onSubmit`, which makes the request. Code errors (OTP_*) are shown here,
 * next to the input, with the server's message; so is anything else the request is refused for.
 */
export function StepUpCode({
  onSubmit,
  submitLabel,
  danger,
  onBack,
}: {
  /** Makes the request with the code; throws the API error when refused. */
  onSubmit: (code: string) => Promise<void>;
  submitLabel: string;
  danger?: boolean;
  onBack?: () => void;
}) {
  const t = useRightsT();
  const [reply, setReply] = useState<StepUpCodeReply>();
  const [pending, setPending] = useState(false); // a code sent moments ago still stands
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<ApiError>();
  const [resendUntil, setResendUntil] = useState<number | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [locked, setLocked] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const resendIn = useCountdown(resendUntil);
  const sentOnce = useRef(false);

  const send = async (): Promise<boolean> => {
    setSending(true);
    setSendError(undefined);
    try {
      const answer = await rightsApi.stepUp();
      setReply(answer);
      setPending(false);
      setLocked(false);
      setResendUntil(deadline(answer.resendAfterSeconds));
      return true;
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'OTP_RESEND_TOO_SOON') {
        // The code sent a moment ago (another tab, a reload) is still valid: go on typing it.
        setPending(true);
        setResendUntil(deadline(e.retryAfterSeconds));
      } else {
        setSendError(e);
        setResendUntil(deadline(e.retryAfterSeconds));
      }
      return false;
    } finally {
      setSending(false);
    }
  };

  useEffect(() => {
    if (sentOnce.current) return;
    sentOnce.current = true;
    void send();
  }, []);

  const resend = async () => {
    if (resendIn > 0 || sending) return;
    if (await send()) {
      setCode('');
      setCodeError(undefined);
      setFormError(undefined);
      Toast.show({ content: t('rights.stepUp.resent') });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting || locked) return;
    if (!/^\d{6}$/.test(code)) {
      setCodeError(t('rights.stepUp.invalid'));
      return;
    }
    setSubmitting(true);
    setCodeError(undefined);
    setFormError(undefined);
    try {
      await onSubmit(code);
    } catch (err) {
      const e = toApiError(err);
      if (e.code.startsWith('OTP_')) {
        setCodeError(e.message);
        if (e.code === 'OTP_EXPIRED' || e.code === 'OTP_NOT_REQUESTED') {
          // This code can no longer work: offer a new one straight away.
          setCode('');
          setResendUntil(null);
        }
        if (e.code === 'OTP_LOCKED') {
          setLocked(true);
          setCode('');
          setResendUntil(deadline(e.retryAfterSeconds));
        }
      } else {
        setFormError(e.message);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const minutes = Math.max(1, Math.round((reply?.expiresInSeconds ?? 300) / 60));

  return (
    <form className="ax-card ax-rights-stepup" onSubmit={(e) => void submit(e)} noValidate data-testid="step-up">
      <h2 className="ax-section-title">{t('rights.stepUp.title')}</h2>
      <p className="ax-muted">{t('rights.stepUp.intro')}</p>
      {sending && !reply && <p className="ax-muted">{t('rights.stepUp.sending')}</p>}
      {reply && (
        <p className="ax-rights-sent" data-testid="step-up-sent-to">
          {t('rights.stepUp.sentTo', { phone: reply.sentTo, minutes })}
        </p>
      )}
      {!reply && pending && (
        <p className="ax-rights-sent" data-testid="step-up-sent-to">
          {t('rights.stepUp.sentAlready')}
        </p>
      )}
      {reply?.devOutbox && (
        <NoticeBar
          className="ax-dev-notice"
          color="alert"
          wrap
          content={t('rights.stepUp.devOutbox')}
          data-testid="step-up-dev-outbox"
        />
      )}
      {sendError && (
        <div className="ax-form-error" role="alert" data-testid="step-up-send-error">
          {t('rights.stepUp.sendFailed', { message: sendError.message })}
        </div>
      )}
      <TextField
        label={t('rights.stepUp.label')}
        className="ax-code-field"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={6}
        enterKeyHint="done"
        placeholder={t('rights.stepUp.placeholder')}
        value={code}
        disabled={locked}
        onChange={(v) => {
          setCode(v.replace(/\D/g, '').slice(0, 6));
          if (codeError) setCodeError(undefined);
        }}
        error={codeError}
        testId="step-up-code-input"
        autoFocus
      />
      <div className="ax-resend">
        <Button
          fill="none"
          size="small"
          color="primary"
          disabled={resendIn > 0 || sending}
          onClick={() => void resend()}
          data-testid="step-up-resend"
        >
          {resendIn > 0
            ? t('rights.stepUp.resendIn', { seconds: resendIn })
            : reply || pending
              ? t('rights.stepUp.resend')
              : t('rights.stepUp.send')}
        </Button>
      </div>
      {formError && (
        <div className="ax-form-error" role="alert" data-testid="step-up-error">
          {formError}
        </div>
      )}
      <div className="ax-actions">
        <Button
          block
          type="submit"
          size="large"
          color={danger ? 'danger' : 'primary'}
          loading={submitting}
          loadingText={t('rights.stepUp.submitting')}
          disabled={locked}
          data-testid="step-up-submit"
        >
          {submitLabel}
        </Button>
        {onBack && (
          <Button block fill="none" disabled={submitting} onClick={onBack} data-testid="step-up-back">
            {t('rights.form.back')}
          </Button>
        )}
      </div>
    </form>
  );
}

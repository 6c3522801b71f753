import type { RequestCodeReply } from '@anxin/contracts';
import { maskPhone, normalizeMainlandMobile } from '@anxin/domain';
import { Button, Checkbox, NoticeBar, Switch, Toast } from 'antd-mobile';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, isStaleConsent, proofOf, toApiError, type ApiError } from '../../lib/api';
import { useCountdown } from '../../lib/hooks';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { HeartMark } from '../../ui/mobile/icons';
import { LanguageToggle } from '../../ui/mobile/LanguageToggle';
import { TextField } from '../../ui/mobile/TextField';
import { returnPath } from '../directory/returnTo';
import { usePolicy } from '../policy/PolicyContext';
import { PolicyReader, TermsReader } from '../policy/PolicyReader';
import { useSession } from '../session/SessionContext';

/** Rate-limit answers carry `retryAfterSeconds`; turn that into a deadline for a countdown. */
function deadline(seconds: number | undefined): number | null {
  return seconds && seconds > 0 ? Date.now() + seconds * 1000 : null;
}

/**
 * Sign-in for the doctor and patient apps: phone → SMS code, with the policy consent sent along.
 *
 * One consent step (POL-1): the first-visit notice is where the user agreement and the policy are agreed to, so
 * the box here arrives ticked as already given; unticking it takes the agreement back and the notice asks again.
 * "Keep me signed in" is on by default in the doctor app (a doctor's own phone, like other doctor apps) and off
 * in the patient app (a patient's phone is more often shared with family, and what it opens is mental-health care).
 */
export function SignInPage() {
  const { t } = useTranslation();
  const app = useMobileApp();
  const navigate = useNavigate();
  const location = useLocation();
  const session = useSession();
  const { doc, reload: reloadPolicy, acknowledge, ack, withdrawAck } = usePolicy();

  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [phoneInput, setPhoneInput] = useState('');
  const [phone, setPhone] = useState(''); // normalised, kept in memory only
  const [phoneError, setPhoneError] = useState<string>();
  const [reading, setReading] = useState<'policy' | 'terms' | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<ApiError>();
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const [reply, setReply] = useState<RequestCodeReply>();
  const [resendUntil, setResendUntil] = useState<number | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();
  const [keepSignedIn, setKeepSignedIn] = useState(app === 'doctor');
  const [verifying, setVerifying] = useState(false);

  const retryIn = useCountdown(retryUntil);
  const resendIn = useCountdown(resendUntil);
  const otherApp = session.state.status === 'signedOut' ? session.state.otherApp : undefined;
  const ended = session.state.status === 'signedOut' && session.state.ended === true;

  if (!doc) return null; // the privacy gate only renders this once the policy is loaded
  const agreed = ack === doc.version;

  const phoneMessage = (check: ReturnType<typeof normalizeMainlandMobile>) =>
    check.ok ? undefined : check.code === 'PHONE_REQUIRED' ? t('signIn.phoneRequired') : t('signIn.phoneInvalid');

  /** 'sent': a new code; 'pending': the one sent moments ago still stands; false: refused (the error is shown). */
  const sendCode = async (target: string): Promise<'sent' | 'pending' | false> => {
    setSending(true);
    setSendError(undefined);
    try {
      const answer = await api.requestCode({ phone: target, app, policyConsent: proofOf(doc) });
      setReply(answer);
      setResendUntil(deadline(answer.resendAfterSeconds));
      setRetryUntil(null);
      return 'sent';
    } catch (err) {
      const e = toApiError(err);
      // A code was sent to this number moments ago (another tab, a reload): it is still valid, so go on to typing
      // it, with "resend" counting down, instead of leaving the person at a disabled button.
      if (e.code === 'OTP_RESEND_TOO_SOON') {
        setResendUntil(deadline(e.retryAfterSeconds));
        setRetryUntil(null);
        return 'pending';
      }
      setSendError(e);
      setRetryUntil(deadline(e.retryAfterSeconds));
      if (e.code === 'PHONE_NOT_MAINLAND_MOBILE') setPhoneError(e.message);
      // A new policy took effect while this page was open: fetch it; the notice asks again.
      if (isStaleConsent(e)) void reloadPolicy();
      return false;
    } finally {
      setSending(false);
    }
  };

  const submitPhone = async (event: FormEvent) => {
    event.preventDefault();
    if (!agreed || sending || retryIn > 0) return;
    const check = normalizeMainlandMobile(phoneInput);
    setPhoneError(phoneMessage(check));
    if (!check.ok) return;
    setPhone(check.phone);
    if (await sendCode(check.phone)) {
      setCode('');
      setCodeError(undefined);
      setStep('code');
    }
  };

  const resend = async () => {
    if (resendIn > 0 || sending) return;
    if ((await sendCode(phone)) === 'sent') {
      setCodeError(undefined);
      Toast.show({ content: t('code.resent') });
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    if (verifying) return;
    if (!/^\d{6}$/.test(code)) {
      setCodeError(t('code.invalid'));
      return;
    }
    setVerifying(true);
    setCodeError(undefined);
    try {
      const me = await api.verifyCode({ phone, code, app, keepSignedIn, policyConsent: proofOf(doc) });
      acknowledge(doc.version);
      session.setMe(me);
      navigate(returnPath(location.state), { replace: true }); // e.g. back to the doctor a visitor chose
    } catch (err) {
      const e = toApiError(err);
      setCodeError(e.message);
      if (e.retryAfterSeconds) setResendUntil(deadline(e.retryAfterSeconds));
      if (isStaleConsent(e)) void reloadPolicy();
    } finally {
      setVerifying(false);
    }
  };

  const name = t(`brand.${app}.name`);

  return (
    <div className="ax-signin" data-testid="sign-in">
      <div className="ax-signin-top">
        <LanguageToggle />
      </div>
      <div className="ax-signin-brand">
        <HeartMark size={56} />
        <div className="ax-signin-name">{name}</div>
        <div className="ax-muted">{t(`brand.${app}.tagline`)}</div>
      </div>

      {ended && <NoticeBar className="ax-signin-notice" color="info" wrap content={t('errors.signedOut')} />}
      {otherApp && (
        <NoticeBar
          className="ax-signin-notice"
          color="info"
          wrap
          content={t('signIn.otherAccount', {
            other: t(`brand.${otherApp === 'staff' ? 'admin' : otherApp}.name`),
            name,
          })}
        />
      )}

      {step === 'phone' ? (
        <form className="ax-card" onSubmit={(e) => void submitPhone(e)} noValidate>
          <h1 className="ax-card-title">{t('signIn.title')}</h1>
          <p className="ax-muted ax-card-subtitle">{t('signIn.subtitle')}</p>
          <TextField
            label={t('signIn.phoneLabel')}
            prefix="+86"
            type="tel"
            inputMode="tel"
            autoComplete="tel-national"
            enterKeyHint="next"
            maxLength={20}
            placeholder={t('signIn.phonePlaceholder')}
            value={phoneInput}
            onChange={(v) => {
              setPhoneInput(v);
              if (phoneError) setPhoneError(undefined);
            }}
            error={phoneError}
            testId="phone-input"
          />

          <div className="ax-consent-line">
            <Checkbox
              checked={agreed}
              onChange={(checked) => (checked ? acknowledge(doc.version) : withdrawAck())}
              data-testid="policy-checkbox"
              style={{ '--icon-size': '18px' }}
            >
              <span className="ax-consent-text">{t('signIn.agreePrefix')}</span>
            </Checkbox>
            <button type="button" className="ax-link" onClick={() => setReading('terms')} data-testid="terms-link">
              {t('signIn.userAgreement')}
            </button>
            {t('signIn.agreeAnd') && <span className="ax-consent-text">{t('signIn.agreeAnd')}</span>}
            <button type="button" className="ax-link" onClick={() => setReading('policy')} data-testid="policy-link">
              {t('signIn.privacyPolicy')}
            </button>
          </div>
          <div className="ax-hint" data-testid="consent-given-hint">
            {agreed ? t('signIn.agreedHint') : t('signIn.agreeHint')}
          </div>

          {sendError && !phoneError && (
            <div className="ax-form-error" role="alert" data-testid="send-error">
              {sendError.message}
              {retryIn > 0 && <span className="ax-form-error-count">{t('errors.retryIn', { seconds: retryIn })}</span>}
            </div>
          )}

          <Button
            block
            type="submit"
            color="primary"
            size="large"
            disabled={!agreed || retryIn > 0}
            loading={sending}
            loadingText={t('signIn.sending')}
            data-testid="send-code"
          >
            {retryIn > 0 ? t('errors.retryIn', { seconds: retryIn }) : t('signIn.sendCode')}
          </Button>
        </form>
      ) : (
        <form className="ax-card" onSubmit={(e) => void verify(e)} noValidate>
          <h1 className="ax-card-title">{t('code.title')}</h1>
          <p className="ax-muted ax-card-subtitle">
            {t('code.sentTo', {
              phone: maskPhone(phone),
              minutes: Math.max(1, Math.round((reply?.expiresInSeconds ?? 300) / 60)),
            })}
          </p>
          {reply?.devOutbox && (
            <NoticeBar
              className="ax-dev-notice"
              color="alert"
              wrap
              content={t('code.devOutbox')}
              data-testid="dev-outbox-notice"
            />
          )}
          <TextField
            label={t('code.label')}
            className="ax-code-field"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            enterKeyHint="done"
            placeholder={t('code.placeholder')}
            value={code}
            onChange={(v) => {
              setCode(v.replace(/\D/g, '').slice(0, 6));
              if (codeError) setCodeError(undefined);
            }}
            error={codeError}
            testId="code-input"
            autoFocus
          />
          <div className="ax-resend">
            <Button
              fill="none"
              size="small"
              color="primary"
              disabled={resendIn > 0 || sending}
              onClick={() => void resend()}
              data-testid="resend-code"
            >
              {resendIn > 0 ? t('code.resendIn', { seconds: resendIn }) : t('code.resend')}
            </Button>
          </div>
          {sendError && (
            <div className="ax-form-error" role="alert" data-testid="send-error">
              {sendError.message}
            </div>
          )}
          <div className="ax-keep-line">
            <span id="keep-signed-in-label" className="ax-keep-label">
              {t('code.keepSignedIn')}
            </span>
            <Switch
              checked={keepSignedIn}
              onChange={setKeepSignedIn}
              aria-labelledby="keep-signed-in-label"
              aria-describedby="keep-signed-in-hint"
              data-testid="keep-signed-in"
            />
          </div>
          <div className="ax-hint" id="keep-signed-in-hint">
            {t('code.keepSignedInHint')}
          </div>
          <Button
            block
            type="submit"
            color="primary"
            size="large"
            disabled={code.length !== 6}
            loading={verifying}
            loadingText={t('code.submitting')}
            data-testid="verify-code"
          >
            {t('code.submit')}
          </Button>
          <Button
            block
            fill="none"
            onClick={() => {
              setStep('phone');
              setSendError(undefined);
            }}
            data-testid="change-phone"
          >
            {t('code.changePhone')}
          </Button>
        </form>
      )}

      <PolicyReader doc={doc} open={reading === 'policy'} onClose={() => setReading(null)} />
      <TermsReader open={reading === 'terms'} onClose={() => setReading(null)} />
    </div>
  );
}

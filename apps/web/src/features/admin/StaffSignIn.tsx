import type { RequestCodeReply } from '@anxin/contracts';
import { maskPhone, normalizeMainlandMobile } from '@anxin/domain';
import { SixDigitInput } from './SixDigitInput';
import { Alert, Button, Card, Form, Input, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, toApiError, type ApiError } from '../../lib/api';
import { useCountdown } from '../../lib/hooks';
import { useSession } from '../session/SessionContext';
import { AdminLanguageSwitch } from './AdminLanguageSwitch';

const deadline = (seconds: number | undefined) => (seconds && seconds > 0 ? Date.now() + seconds * 1000 : null);

function ErrorAlert({ error, retryIn }: { error: ApiError | undefined; retryIn?: number }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={error.message}
      description={retryIn ? t('errors.retryIn', { seconds: retryIn }) : undefined}
      data-testid="form-error"
      style={{ marginBottom: 16 }}
    />
  );
}

/** Staff sign-in: phone → SMS code → authenticator (TOTP) code. */
export function StaffSignIn() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const stage = session.me?.stage;
  const otherApp = session.state.status === 'signedOut' ? session.state.otherApp : undefined;
  const ended = session.state.status === 'signedOut' && session.state.ended === true;

  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [phoneInput, setPhoneInput] = useState('');
  const [phone, setPhone] = useState('');
  const [phoneError, setPhoneError] = useState<string>();
  const [reply, setReply] = useState<RequestCodeReply>();
  const [resendUntil, setResendUntil] = useState<number | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const [code, setCode] = useState('');
  const [totp, setTotp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const resendIn = useCountdown(resendUntil);
  const retryIn = useCountdown(retryUntil);

  const sendCode = async (target: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.requestCode({ phone: target, app: 'staff' });
      setReply(answer);
      setResendUntil(deadline(answer.resendAfterSeconds));
      setRetryUntil(null);
      setStep('code');
    } catch (err) {
      const e = toApiError(err);
      setError(e);
      setRetryUntil(deadline(e.retryAfterSeconds));
    } finally {
      setBusy(false);
    }
  };

  const submitPhone = () => {
    const check = normalizeMainlandMobile(phoneInput);
    if (!check.ok) {
      setPhoneError(check.code === 'PHONE_REQUIRED' ? t('signIn.phoneRequired') : t('signIn.phoneInvalid'));
      return;
    }
    setPhoneError(undefined);
    setPhone(check.phone);
    void sendCode(check.phone);
  };

  const verify = async () => {
    if (!/^\d{6}$/.test(code)) return;
    setBusy(true);
    setError(undefined);
    try {
      const me = await api.verifyCode({ phone, code, app: 'staff' });
      session.setMe(me);
      if (me.stage === 'active') navigate('/', { replace: true });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const submitTotp = async () => {
    if (!/^\d{6}$/.test(totp)) return;
    setBusy(true);
    setError(undefined);
    try {
      session.setMe(await api.totp(totp));
      navigate('/', { replace: true });
    } catch (err) {
      setError(toApiError(err));
      setTotp('');
    } finally {
      setBusy(false);
    }
  };

  const startOver = async () => {
    setBusy(true);
    try {
      await session.signOut();
    } catch {
      session.markSignedOut();
    } finally {
      setBusy(false);
      setStep('phone');
      setCode('');
      setTotp('');
      setError(undefined);
    }
  };

  let body;
  if (stage === 'totp_enrolment_required') {
    body = (
      <Result
        status="warning"
        title={t('admin.signIn.enrolmentTitle')}
        subTitle={t('admin.signIn.enrolmentBody')}
        extra={
          <Button onClick={() => void startOver()} loading={busy} data-testid="use-other-account">
            {t('admin.signIn.useOtherAccount')}
          </Button>
        }
        data-testid="enrolment-required"
      />
    );
  } else if (stage === 'totp_required') {
    body = (
      <Form layout="vertical" onFinish={() => void submitTotp()} requiredMark={false}>
        <Typography.Title level={4}>{t('admin.signIn.totpTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('admin.signIn.totpHint')}</Typography.Paragraph>
        <ErrorAlert error={error} />
        <Form.Item label={t('admin.signIn.totpLabel')}>
          <SixDigitInput value={totp} onChange={setTotp} testId="totp-input" autoFocus />
        </Form.Item>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={busy}
            disabled={totp.length !== 6}
            data-testid="totp-submit"
          >
            {t('admin.signIn.totpSubmit')}
          </Button>
          <Button type="link" block onClick={() => void startOver()} disabled={busy}>
            {t('admin.signIn.useOtherAccount')}
          </Button>
        </Space>
      </Form>
    );
  } else if (step === 'phone') {
    body = (
      <Form layout="vertical" onFinish={submitPhone} requiredMark={false}>
        {ended && <Alert type="info" showIcon title={t('errors.signedOut')} style={{ marginBottom: 16 }} />}
        {otherApp && <Alert type="info" showIcon title={t('admin.signIn.otherAccount')} style={{ marginBottom: 16 }} />}
        <ErrorAlert error={phoneError ? undefined : error} retryIn={retryIn} />
        <Form.Item
          label={t('admin.signIn.phoneLabel')}
          validateStatus={phoneError ? 'error' : undefined}
          help={phoneError}
        >
          <Input
            size="large"
            prefix="+86"
            type="tel"
            inputMode="tel"
            autoComplete="tel-national"
            value={phoneInput}
            onChange={(e) => {
              setPhoneInput(e.target.value);
              setPhoneError(undefined);
            }}
            placeholder={t('signIn.phonePlaceholder')}
            autoFocus
            data-testid="phone-input"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          size="large"
          block
          loading={busy}
          disabled={retryIn > 0}
          data-testid="send-code"
        >
          {retryIn > 0 ? t('errors.retryIn', { seconds: retryIn }) : t('admin.signIn.sendCode')}
        </Button>
      </Form>
    );
  } else {
    body = (
      <Form layout="vertical" onFinish={() => void verify()} requiredMark={false}>
        <Typography.Paragraph type="secondary">
          {t('code.sentTo', {
            phone: maskPhone(phone),
            minutes: Math.max(1, Math.round((reply?.expiresInSeconds ?? 300) / 60)),
          })}
        </Typography.Paragraph>
        {reply?.devOutbox && (
          <Alert
            type="warning"
            showIcon
            title={t('code.devOutbox')}
            style={{ marginBottom: 16 }}
            data-testid="dev-outbox-notice"
          />
        )}
        <ErrorAlert error={error} retryIn={retryIn} />
        <Form.Item label={t('admin.signIn.codeLabel')}>
          <Space.Compact style={{ width: '100%' }}>
            <SixDigitInput
              value={code}
              onChange={setCode}
              testId="code-input"
              autoFocus
              placeholder={t('code.placeholder')}
            />
            <Button
              size="large"
              disabled={resendIn > 0 || busy}
              onClick={() => void sendCode(phone)}
              data-testid="resend-code"
            >
              {resendIn > 0 ? t('code.resendIn', { seconds: resendIn }) : t('code.resend')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={busy}
            disabled={code.length !== 6}
            data-testid="verify-code"
          >
            {t('admin.signIn.verify')}
          </Button>
          <Button type="link" block onClick={() => setStep('phone')} disabled={busy} data-testid="change-phone">
            {t('code.changePhone')}
          </Button>
        </Space>
      </Form>
    );
  }

  return (
    <div className="ax-admin-center">
      <div className="ax-admin-signin">
        <div className="ax-admin-signin-head">
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('admin.signIn.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('admin.signIn.subtitle')}</Typography.Text>
          </div>
          <AdminLanguageSwitch />
        </div>
        <Card>
          <div data-testid="staff-sign-in">{body}</div>
        </Card>
      </div>
    </div>
  );
}

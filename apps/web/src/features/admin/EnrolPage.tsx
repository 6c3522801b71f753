import type { EnrolmentStartReply } from '@anxin/contracts';
import { SixDigitInput } from './SixDigitInput';
import { Alert, Button, Card, Form, Result, Space, Spin, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, toApiError, type ApiError } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { AdminLanguageSwitch } from './AdminLanguageSwitch';

/** `#token=…`: the token travels in the fragment so it never reaches a server log as a query string. */
function tokenFromHash(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.length >= 20 ? token : null;
}

/** `JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`, easier to type by hand. */
const groupSecret = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** Authenticator enrolment from the one-time link an admin sent. */
export function EnrolPage() {
  const [token, setToken] = useState(tokenFromHash);
  useEffect(() => {
    // Opening another link in the same tab only changes the fragment.
    const onHash = () => setToken(tokenFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return <Enrolment key={token ?? ''} token={token} />;
}

function Enrolment({ token }: { token: string | null }) {
  const { t } = useTranslation();
  const start = useResource<EnrolmentStartReply | null>(
    () => (token ? api.enrolmentStart(token) : Promise.resolve(null)),
    [token],
  );
  const [qr, setQr] = useState<string>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);

  const uri = start.data?.otpauthUri;
  useEffect(() => {
    if (!uri) return;
    let live = true;
    QRCode.toDataURL(uri, { margin: 1, width: 220, errorCorrectionLevel: 'M' })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(undefined));
    return () => {
      live = false;
    };
  }, [uri]);

  const finish = async () => {
    if (!token || !/^\d{6}$/.test(code)) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.enrolmentFinish(token, code);
      setDone(true);
      // The link is spent: take it out of the address bar and history.
      window.history.replaceState(null, '', window.location.pathname);
    } catch (err) {
      setError(toApiError(err));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (!token) {
    body = <Result status="warning" title={t('admin.enrol.noToken')} data-testid="enrol-error" />;
  } else if (done) {
    body = (
      <div data-testid="enrol-done">
        <Result
          status="success"
          title={t('admin.enrol.doneTitle')}
          subTitle={t('admin.enrol.doneBody')}
          extra={
            <Link to="/sign-in">
              <Button type="primary">{t('admin.enrol.goSignIn')}</Button>
            </Link>
          }
        />
      </div>
    );
  } else if (start.loading && !start.data) {
    body = (
      <div className="ax-admin-loading">
        <Spin />
        <Typography.Text type="secondary">{t('admin.enrol.loading')}</Typography.Text>
      </div>
    );
  } else if (start.error || !start.data) {
    const e = start.error;
    body = (
      <div data-testid="enrol-error">
        <Result
          status={e?.isNetwork ? 'warning' : 'error'}
          title={!e || e.code === 'ENROLMENT_INVALID' ? t('admin.enrol.invalid') : e.message}
          extra={e?.isNetwork ? <Button onClick={() => void start.reload()}>{t('common.retry')}</Button> : undefined}
        />
      </div>
    );
  } else {
    const info = start.data;
    body = (
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('admin.enrol.account', { phone: info.phoneMasked })}</Typography.Text>
        <div>
          <Typography.Paragraph strong>{t('admin.enrol.step1')}</Typography.Paragraph>
          <div className="ax-admin-qr">
            {qr ? (
              <img src={qr} width={220} height={220} alt={t('admin.enrol.qrAlt')} data-testid="enrol-qr" />
            ) : (
              <Spin />
            )}
          </div>
        </div>
        <div>
          <Typography.Paragraph strong>{t('admin.enrol.step2')}</Typography.Paragraph>
          <Typography.Text
            code
            copyable={{ text: info.secretBase32 }}
            className="ax-admin-secret"
            data-testid="enrol-secret"
          >
            {groupSecret(info.secretBase32)}
          </Typography.Text>
        </div>
        <Form layout="vertical" onFinish={() => void finish()} requiredMark={false}>
          <Typography.Paragraph strong>{t('admin.enrol.step3')}</Typography.Paragraph>
          {error && (
            <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} data-testid="form-error" />
          )}
          <Form.Item label={t('admin.enrol.codeLabel')}>
            <SixDigitInput value={code} onChange={setCode} testId="enrol-code-input" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={busy}
            disabled={code.length !== 6}
            data-testid="enrol-submit"
          >
            {t('admin.enrol.submit')}
          </Button>
        </Form>
      </Space>
    );
  }

  return (
    <div className="ax-admin-center">
      <div className="ax-admin-signin">
        <div className="ax-admin-signin-head">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('admin.enrol.title')}
          </Typography.Title>
          <AdminLanguageSwitch />
        </div>
        <Card>{body}</Card>
      </div>
    </div>
  );
}

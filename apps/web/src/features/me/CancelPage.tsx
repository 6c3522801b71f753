import { Button, Checkbox, List, NoticeBar, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { useSession } from '../session/SessionContext';
import { clearReceipt, markCancellationPending, saveReceipt, useReceipt } from './cancel-receipt';
import { rightsApi } from './rights-api';
import { useRightsT } from './rights-i18n';
import { DueLine, formatDay } from './rights-shared';
import { StepUpCode } from './StepUpCode';

/**
 * `/me/privacy/cancel` (RIG-5): what closing the account does — what is erased, what the law keeps and until when,
 * the due date, open consultations ended — then "I understand", the step-up code, and the request. The server then
 * ends every session; the confirmation (`CancelledView`) needs none.
 */
export function CancelPage() {
  const t = useRightsT();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useResource(() => rightsApi.cancellationPreview(), []);
  const [ack, setAck] = useState(false);
  const [step, setStep] = useState<'read' | 'verify'>('read');

  const submit = async (code: string) => {
    markCancellationPending(true);
    try {
      const created = await rightsApi.create({ kind: 'cancellation', code });
      saveReceipt({
        dueOn: created.request.dueOn,
        dueProvisional: created.request.dueProvisional,
        certificateUrl: created.certificateUrl ? new URL(created.certificateUrl, location.origin).href : null,
      });
    } catch (err) {
      markCancellationPending(false);
      throw err;
    }
    navigate('/me/privacy/cancelled', { replace: true });
  };

  return (
    <Page title={t('rights.cancel.title')} backTo="/me/privacy">
      <div className="ax-list-page" data-testid="rights-cancel">
        {!data && loading && <LoadingView />}
        {error && !data && (
          <ErrorView
            error={error}
            title={t('rights.cancel.errorTitle')}
            networkHint={t('rights.loadFailed')}
            onRetry={() => void reload()}
            testId="cancel-preview-error"
          />
        )}
        {data && step === 'read' && (
          <>
            <p className="ax-muted ax-intro">{t('rights.cancel.intro')}</p>
            <List header={t('rights.cancel.erased')} mode="card" data-testid="cancel-erased">
              {data.erased.map((what) => (
                <List.Item key={what}>{what}</List.Item>
              ))}
            </List>
            <List header={t('rights.cancel.kept')} mode="card" data-testid="cancel-kept">
              {data.kept.length === 0 && <List.Item>{t('rights.cancel.keptNone')}</List.Item>}
              {data.kept.map((k) => (
                <List.Item
                  key={k.what}
                  description={
                    <div className="ax-rights-lines">
                      <div>{t('rights.cancel.keptWhy', { why: k.why })}</div>
                      <div>{t('rights.cancel.keptUntil', { until: k.until })}</div>
                    </div>
                  }
                >
                  {k.what}
                </List.Item>
              ))}
            </List>
            <div className="ax-card ax-rights-lines">
              <h2 className="ax-section-title">{t('rights.cancel.due')}</h2>
              <DueLine dueOn={data.dueOn} provisional={data.dueProvisional} cancellation testId="cancel-due" />
              <p data-testid="cancel-open-consultations">
                {data.openConsultations > 0
                  ? t('rights.cancel.openConsultations', { count: data.openConsultations })
                  : t('rights.cancel.noOpenConsultations')}
              </p>
              <p className="ax-rights-warn">{t('rights.cancel.irreversible')}</p>
              <p>{t('rights.cancel.withdrawHint')}</p>
              <p>{t('rights.cancel.signsOut')}</p>
              <p className="ax-muted">
                {t('rights.cancel.exportFirst')}{' '}
                <Button
                  fill="none"
                  color="primary"
                  size="small"
                  onClick={() => navigate('/me/privacy/export')}
                  data-testid="cancel-export-first"
                >
                  {t('rights.cancel.exportFirstLink')}
                </Button>
              </p>
            </div>
            <div className="ax-card ax-actions">
              <Checkbox checked={ack} onChange={setAck} data-testid="cancel-ack">
                {t('rights.cancel.ack')}
              </Checkbox>
              <Button
                block
                size="large"
                color="danger"
                disabled={!ack}
                onClick={() => setStep('verify')}
                data-testid="cancel-next"
              >
                {t('rights.form.next')}
              </Button>
              {!ack && <p className="ax-muted ax-small">{t('rights.cancel.ackRequired')}</p>}
            </div>
          </>
        )}
        {data && step === 'verify' && (
          <>
            <NoticeBar color="alert" wrap content={t('rights.cancel.signsOut')} />
            <StepUpCode
              onSubmit={submit}
              submitLabel={t('rights.cancel.submit')}
              danger
              onBack={() => setStep('read')}
            />
          </>
        )}
      </div>
    </Page>
  );
}

/**
 * After a cancellation: every session has ended. Shows the due date and the certificate link from what was kept
 * in this tab, with no API call; signs this app out (once, right after the request) and leads back to sign-in.
 */
export function CancelledView() {
  const t = useRightsT();
  const navigate = useNavigate();
  const session = useSession();
  const { receipt, pending, fresh } = useReceipt();
  const signedIn = session.state.status === 'signedIn';
  const [going, setGoing] = useState(false);

  // The server has already ended this session; make the app agree without asking it.
  useEffect(() => {
    if (signedIn && fresh) session.markSignedOut(false);
  }, [signedIn, fresh, session]);

  if (!receipt) {
    if (pending) return <LoadingView fullscreen />;
    // Nothing kept here (e.g. a session that simply expired on this page): the usual way back in.
    return <Navigate to={signedIn ? '/me/privacy' : '/sign-in'} replace />;
  }
  if (signedIn && !fresh) return <Navigate to="/me/privacy" replace />;

  const copy = async () => {
    if (!receipt.certificateUrl) return;
    try {
      await navigator.clipboard.writeText(receipt.certificateUrl);
      Toast.show({ icon: 'success', content: t('rights.cancelled.copied') });
    } catch {
      Toast.show({ content: t('rights.cancelled.copyFailed'), duration: 3000 });
    }
  };

  // Back to sign-in: the session is looked up again (it has ended), and what this tab kept is forgotten.
  const done = () => {
    setGoing(true);
    navigate('/sign-in', { replace: true });
    clearReceipt();
    void session.refresh();
  };

  return (
    <Page title={t('rights.cancelled.title')}>
      <div className="ax-list-page" data-testid="cancelled">
        <div className="ax-card ax-rights-lines">
          <h2 className="ax-section-title">{t('rights.cancelled.title')}</h2>
          <p>{t('rights.cancelled.signedOut')}</p>
          <p data-testid="cancelled-due">{t('rights.cancelled.due', { date: formatDay(receipt.dueOn) })}</p>
          {receipt.dueProvisional && <p className="ax-muted ax-small">{t('rights.requests.provisional')}</p>}
          <p>{t('rights.cancelled.withdraw')}</p>
        </div>
        {receipt.certificateUrl && (
          <div className="ax-card">
            <h2 className="ax-section-title">{t('rights.cancelled.certificate')}</h2>
            <p className="ax-rights-warn">{t('rights.cancelled.certificateHint')}</p>
            <div className="ax-rights-url" data-testid="cancel-certificate-url">
              {receipt.certificateUrl}
            </div>
            <Button
              block
              color="primary"
              fill="outline"
              onClick={() => void copy()}
              data-testid="cancel-certificate-copy"
            >
              {t('rights.cancelled.copy')}
            </Button>
          </div>
        )}
        <div className="ax-card">
          <Button block size="large" color="primary" loading={going} onClick={done} data-testid="cancelled-done">
            {t('rights.cancelled.done')}
          </Button>
        </div>
      </div>
    </Page>
  );
}

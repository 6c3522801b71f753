import type { RightsRequest, RightsRequestList } from '@anxin/contracts';
import { Button, Dialog, ProgressBar, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/format';
import { useResource, type Resource } from '../../lib/hooks';
import { isBuilding, isOpen, rightsApi } from './rights-api';
import { useRightsT } from './rights-i18n';
import { DueLine } from './rights-shared';

const POLL_MS = 3000;

/** The person's requests; polled every 3 s only while an export is being prepared, and never after unmount. */
export function useRightsRequests(): Resource<RightsRequestList> {
  const resource = useResource(() => rightsApi.requests(), []);
  const { data, reload } = resource;
  const building = data?.requests.some(isBuilding) ?? false;
  useEffect(() => {
    if (!building) return;
    const timer = window.setInterval(() => void reload(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [building, reload]);
  return resource;
}

const STATUS_COLOR: Record<RightsRequest['status'], 'primary' | 'warning' | 'success' | 'danger' | 'default'> = {
  received: 'primary',
  in_progress: 'warning',
  completed: 'success',
  refused: 'danger',
  withdrawn: 'default',
};

function formatSize(bytes: number, locale: string): string {
  const mb = bytes / (1024 * 1024);
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return mb >= 1 ? `${n.format(mb)} MB` : `${n.format(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

/**
 * One request as its maker sees it: kind, status, dates, the answer or the refusal, and what can be done with it
 * (withdraw while open, download the export once, download the deletion certificate). `full` also shows what the
 * person wrote; the list stays short without it.
 */
export function RequestCard({
  request: r,
  onChanged,
  onOpen,
  full,
}: {
  request: RightsRequest;
  onChanged: () => Promise<void>;
  onOpen?: () => void;
  full?: boolean;
}) {
  const t = useRightsT();
  const { t: tCommon, i18n } = useTranslation();
  const [withdrawing, setWithdrawing] = useState(false);

  const withdraw = async () => {
    const ok = await Dialog.confirm({
      title: t('rights.requests.withdrawTitle'),
      content: t('rights.requests.withdrawBody'),
      confirmText: <span data-testid="dialog-confirm">{t('rights.requests.withdrawConfirm')}</span>,
      cancelText: <span data-testid="dialog-cancel">{tCommon('common.cancel')}</span>,
    });
    if (!ok) return;
    setWithdrawing(true);
    try {
      await rightsApi.withdraw(r.id);
      Toast.show({ icon: 'success', content: t('rights.requests.withdrawDone') });
      await onChanged();
    } catch (err) {
      Toast.show({ content: toApiError(err).message, duration: 3000 });
      await onChanged();
    } finally {
      setWithdrawing(false);
    }
  };

  // The ZIP comes as an attachment: the page stays; its state turns 'downloaded' on the server.
  const afterDownload = () => window.setTimeout(() => void onChanged(), 1500);

  const ex = r.export;
  return (
    <div className="ax-rights-request" data-testid="rights-request-item" data-request-id={r.id} data-status={r.status}>
      <div className="ax-rights-request-head">
        <span className="ax-rights-request-kind">{t(`rights.requests.kind.${r.kind}`)}</span>
        <Tag color={STATUS_COLOR[r.status]} fill="outline" data-testid="rights-request-status">
          {t(`rights.requests.status.${r.status}`)}
        </Tag>
      </div>
      <div className="ax-muted ax-small ax-rights-lines">
        <div>{t('rights.requests.receivedAt', { date: formatDate(r.receivedAt) })}</div>
        {isOpen(r) && (
          <DueLine
            dueOn={r.dueOn}
            provisional={r.dueProvisional}
            cancellation={r.kind === 'cancellation'}
            testId="rights-request-due"
          />
        )}
        {r.completedAt && <div>{t('rights.requests.completedAt', { date: formatDate(r.completedAt) })}</div>}
        {r.withdrawnAt && <div>{t('rights.requests.withdrawnAt', { date: formatDate(r.withdrawnAt) })}</div>}
        {r.erasureScope && <div>{t('rights.requests.scope', { scope: t(`rights.scopes.${r.erasureScope}`) })}</div>}
        {r.decision && <div>{t('rights.requests.decision', { decision: t(`rights.decisions.${r.decision}`) })}</div>}
      </div>

      {full && r.details && (
        <div className="ax-rights-block">
          <div className="ax-rights-block-title">{t('rights.requests.yourDetails')}</div>
          <div className="ax-rights-text">{r.details}</div>
        </div>
      )}

      {ex && (ex.state === 'queued' || ex.state === 'building') && (
        <div className="ax-rights-block" data-testid="rights-export-progress">
          <div className="ax-small">
            {ex.state === 'queued'
              ? t('rights.requests.export.queued')
              : t('rights.requests.export.building', { progress: ex.progress })}
          </div>
          <ProgressBar percent={ex.state === 'queued' ? 0 : ex.progress} />
        </div>
      )}
      {ex?.state === 'ready' && (
        <div className="ax-rights-block">
          <div className="ax-small">
            {t('rights.requests.export.ready')}
            {ex.sizeBytes !== null &&
              ` · ${t('rights.requests.export.size', { size: formatSize(ex.sizeBytes, i18n.language) })}`}
          </div>
          {ex.expiresAt && (
            <div className="ax-small ax-rights-warn" data-testid="rights-download-expiry">
              {t('rights.requests.export.readyHint', { date: formatDateTime(ex.expiresAt) })}
            </div>
          )}
          <a
            className="adm-button adm-button-primary adm-button-fill-solid adm-button-small ax-rights-link-button"
            href={rightsApi.downloadUrl(r.id)}
            download
            onClick={afterDownload}
            data-testid="rights-download"
          >
            {t('rights.requests.export.download')}
          </a>
        </div>
      )}
      {ex?.state === 'downloaded' && <div className="ax-small ax-muted">{t('rights.requests.export.downloaded')}</div>}
      {ex?.state === 'expired' && <div className="ax-small ax-muted">{t('rights.requests.export.expired')}</div>}
      {ex?.state === 'failed' && (
        <div className="ax-small ax-rights-warn" data-testid="rights-export-failed">
          {t('rights.requests.export.failed')}
        </div>
      )}

      {r.response && (
        <div className="ax-rights-block" data-testid="rights-request-response">
          <div className="ax-rights-block-title">{t('rights.requests.response')}</div>
          <div className="ax-rights-text">{r.response}</div>
        </div>
      )}
      {r.refusal && (
        <div className="ax-rights-block ax-rights-refusal" data-testid="rights-request-refusal">
          <div className="ax-rights-block-title">{t('rights.requests.refused')}</div>
          <div className="ax-small">
            {t('rights.requests.refusedGround', { ground: t(`rights.grounds.${r.refusal.ground}`) })}
          </div>
          <div className="ax-rights-text">{r.refusal.reason}</div>
          <div className="ax-small ax-muted">{t('rights.requests.refusedHelp')}</div>
        </div>
      )}

      <div className="ax-rights-request-actions">
        {r.certificateReady && (
          <a
            className="adm-button adm-button-default adm-button-fill-outline adm-button-small ax-rights-link-button"
            href={rightsApi.certificateUrl(r.id)}
            download
            data-testid="rights-certificate"
          >
            {t('rights.requests.certificate')}
          </a>
        )}
        {isOpen(r) && (
          <Button
            size="small"
            fill="outline"
            loading={withdrawing}
            onClick={() => void withdraw()}
            data-testid="withdraw-request"
          >
            {t('rights.requests.withdraw')}
          </Button>
        )}
        {onOpen && (
          <Button size="small" fill="none" color="primary" onClick={onOpen} data-testid="rights-request-open">
            {t('rights.requests.open')}
          </Button>
        )}
      </div>
    </div>
  );
}

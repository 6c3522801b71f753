import { Button, Dialog } from 'antd-mobile';
import { useEffect, useId, useState } from 'react';
import { consultationApi, toApiError } from '../../lib/api';
import { useConsultT } from './i18n';
import { isValidConcern } from './model';

/** The doctor declines with a reason the patient will read. */
export function DeclineDialog({
  consultationId,
  onClose,
  onDeclined,
}: {
  /** The consultation to decline; the dialog is open while set. */
  consultationId: string | null;
  onClose: () => void;
  onDeclined: () => void;
}) {
  const t = useConsultT();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setReason('');
    setError(undefined);
  }, [consultationId]);

  const confirm = async () => {
    if (!consultationId) return;
    const text = reason.trim();
    if (!isValidConcern(text) || text.length > 500) {
      setError(t('consultations.decline.invalid'));
      return;
    }
    setBusy(true);
    try {
      await consultationApi.decline(consultationId, text);
      onDeclined();
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      visible={consultationId !== null}
      onClose={onClose}
      closeOnMaskClick={!busy}
      title={t('consultations.decline.title')}
      content={
        <div className="ax-con-dialog" data-testid="decline-dialog">
          <label className="ax-muted ax-small" htmlFor={id}>
            {t('consultations.decline.body')}
          </label>
          <textarea
            id={id}
            className="ax-con-textarea"
            rows={4}
            maxLength={500}
            value={reason}
            placeholder={t('consultations.decline.placeholder')}
            onChange={(e) => {
              setReason(e.target.value);
              setError(undefined);
            }}
            aria-invalid={error ? true : undefined}
            data-testid="decline-reason"
          />
          {error && (
            <div className="ax-field-message ax-field-message-error" role="alert" data-testid="decline-error">
              {error}
            </div>
          )}
          <div className="ax-con-dialog-actions">
            <Button block fill="outline" disabled={busy} onClick={onClose} data-testid="decline-cancel">
              {t('consultations.decline.cancel')}
            </Button>
            <Button block color="danger" loading={busy} onClick={() => void confirm()} data-testid="decline-confirm">
              {t('consultations.decline.confirm')}
            </Button>
          </div>
        </div>
      }
    />
  );
}

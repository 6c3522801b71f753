import type { DoctorEscalation, EndCrisisResolution } from '@anxin/contracts';
import { Button, Popup } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { pickText } from '../onboarding/bundle';
import { useCrisisT } from './i18n';
import type { Crisis } from './useCrisis';

/** The escalation that must be dealt with before the consultation ends (CON-4): open and not handed over. */
export function pendingEscalation(crisis: Crisis): DoctorEscalation | null {
  const e = crisis.view?.escalation ?? null;
  return e && e.status === 'open' && !e.handedOverAt ? e : null;
}

/**
 * The second step when a doctor ends a consultation with an unacknowledged crisis alert (CON-4): it names the
 * risk in plain words and where it was, repeats the protocol, and offers the two ways to end: acknowledge, or hand
 * over to platform support with a note. The server refuses the end without one of them.
 */
export function CrisisEndSheet({
  crisis,
  open,
  busy,
  error,
  onClose,
  onEnd,
}: {
  crisis: Crisis;
  open: boolean;
  busy: boolean;
  error: string | undefined;
  onClose: () => void;
  onEnd: (resolution: EndCrisisResolution) => void;
}) {
  const t = useCrisisT();
  const [handingOver, setHandingOver] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  useEffect(() => {
    if (!open) {
      setHandingOver(false);
      setNoteError(undefined);
    }
  }, [open]);

  const escalation = pendingEscalation(crisis);
  if (!escalation) return null;
  const acute = escalation.severity === 'acute';
  const ref = { escalationId: escalation.id, lastSeq: escalation.lastSeq };
  const handOver = () => {
    if (note.trim().length < 2) {
      setNoteError(t('crisis.end.noteRequired'));
      return;
    }
    onEnd({ action: 'hand_over', ...ref, note: note.trim() });
  };

  return (
    <Popup visible={open} onMaskClick={busy ? undefined : onClose} bodyClassName="ax-crisis-sheet">
      <div role="dialog" aria-modal="true" aria-labelledby="ax-crisis-end-title" data-testid="crisis-end-sheet">
        <h2 id="ax-crisis-end-title" className="ax-crisis-sheet-title">
          <span aria-hidden="true">⚠</span> {t('crisis.end.title')}
        </h2>
        <p className={`ax-crisis-sheet-risk ax-crisis-sheet-risk-${escalation.severity}`} data-testid="crisis-end-risk">
          {acute ? t('crisis.end.acute') : t('crisis.end.concern')}{' '}
          {escalation.hitCount > 1
            ? t('crisis.doctor.whereMany', {
                first: escalation.firstSeq,
                count: escalation.hitCount,
                time: formatDateTime(escalation.lastSignalAt),
              })
            : t('crisis.doctor.where', {
                first: escalation.firstSeq,
                time: formatDateTime(escalation.lastSignalAt),
              })}
        </p>
        {crisis.view?.protocol && (
          <>
            <h3 className="ax-crisis-subtitle">{t('crisis.end.protocol')}</h3>
            <ol className="ax-crisis-steps ax-small" data-testid="crisis-end-protocol">
              {crisis.view.protocol.map((step, i) => (
                <li key={i}>{pickText(step)}</li>
              ))}
            </ol>
          </>
        )}
        {handingOver ? (
          <>
            <label className="ax-crisis-subtitle" htmlFor="ax-crisis-handover-note">
              {t('crisis.end.noteLabel')}
            </label>
            <textarea
              id="ax-crisis-handover-note"
              className="ax-crisis-note"
              rows={4}
              maxLength={1000}
              value={note}
              onChange={(e) => {
                setNote(e.target.value);
                setNoteError(undefined);
              }}
              placeholder={t('crisis.end.notePlaceholder')}
              aria-invalid={noteError ? true : undefined}
              aria-describedby="ax-crisis-handover-hint"
              data-testid="crisis-handover-note"
            />
            <p id="ax-crisis-handover-hint" className="ax-small ax-muted">
              {t('crisis.end.noteHint')}
            </p>
            {noteError && (
              <p className="ax-crisis-error ax-small" role="alert">
                {noteError}
              </p>
            )}
          </>
        ) : null}
        {error && (
          <p className="ax-crisis-error ax-small" role="alert" data-testid="crisis-end-error">
            {t('crisis.end.failed', { message: error })}
          </p>
        )}
        <div className="ax-crisis-sheet-actions">
          {handingOver ? (
            <>
              <Button block color="primary" loading={busy} onClick={handOver} data-testid="crisis-handover-submit">
                {t('crisis.end.handOverSubmit')}
              </Button>
              <Button block fill="none" disabled={busy} onClick={() => setHandingOver(false)}>
                {t('crisis.end.back')}
              </Button>
            </>
          ) : (
            <>
              <Button
                block
                color={acute ? 'danger' : 'warning'}
                loading={busy}
                onClick={() => onEnd({ action: 'acknowledge', ...ref })}
                data-testid="crisis-end-acknowledge"
              >
                {t('crisis.end.acknowledge')}
              </Button>
              <Button
                block
                fill="outline"
                disabled={busy}
                onClick={() => setHandingOver(true)}
                data-testid="crisis-end-handover"
              >
                {t('crisis.end.handOver')}
              </Button>
              <Button block fill="none" disabled={busy} onClick={onClose} data-testid="crisis-end-cancel">
                {t('crisis.end.cancel')}
              </Button>
            </>
          )}
        </div>
      </div>
    </Popup>
  );
}

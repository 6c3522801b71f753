import type { DeclineReason } from '@anxin/contracts';
import { ActionSheet, Button } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { PhoneIcon, VideoIcon } from './CallIcons';
import { useCalls } from './CallProvider';
import { useCallsT } from './i18n';

const REASONS: DeclineReason[] = ['busy_now', 'call_later', 'text_instead', 'device_unavailable'];

/** A soft ring (and vibration on phones) while a call comes in; silent where the browser does not allow sound yet. */
function useRingtone(active: boolean) {
  useEffect(() => {
    if (!active) return;
    let ctx: AudioContext | null = null;
    try {
      ctx = new AudioContext();
    } catch {
      ctx = null;
    }
    const ring = () => {
      navigator.vibrate?.([400, 200, 400]);
      if (!ctx || ctx.state !== 'running') {
        void ctx?.resume().catch(() => {});
        return;
      }
      for (const [at, freq] of [
        [0, 440],
        [0.45, 480],
      ] as const) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        gain.gain.value = 0.06;
        osc.frequency.value = freq;
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + at);
        osc.stop(ctx.currentTime + at + 0.4);
      }
    };
    ring();
    const timer = window.setInterval(ring, 2500);
    return () => {
      window.clearInterval(timer);
      navigator.vibrate?.(0);
      void ctx?.close().catch(() => {});
    };
  }, [active]);
}

/** The incoming call, on whatever screen the person is: answer (video or voice only) or decline with a reason. */
export function IncomingCallSheet() {
  const calls = useCalls();
  const t = useCallsT();
  const navigate = useNavigate();
  const [reasonsOpen, setReasonsOpen] = useState(false);
  const view = calls?.view;
  const ringing = view?.phase === 'incoming';
  useRingtone(ringing);
  if (!calls || !view || !ringing) return null;
  const video = view.media === 'video';

  return (
    <div
      className="ax-call-incoming"
      role="alertdialog"
      aria-label={video ? t('calls.incoming.titleVideo') : t('calls.incoming.titleVoice')}
      data-testid="incoming-call"
      data-media={view.media}
    >
      <div className="ax-call-incoming-icon">{video ? <VideoIcon /> : <PhoneIcon />}</div>
      <h2 className="ax-call-incoming-title">
        {video ? t('calls.incoming.titleVideo') : t('calls.incoming.titleVoice')}
      </h2>
      <p className="ax-call-incoming-from">
        {view.callerRole === 'doctor' ? t('calls.incoming.fromDoctor') : t('calls.incoming.fromPatient')}
      </p>
      <p className="ax-call-incoming-purpose" data-testid="incoming-purpose">
        {t('calls.incoming.purpose', { camera: video ? t('calls.incoming.purposeCamera') : '' })}
      </p>
      <div className="ax-call-incoming-actions">
        <Button
          shape="rounded"
          color="danger"
          onClick={() => calls.engine.decline()}
          data-testid="incoming-decline"
          aria-label={t('calls.incoming.decline')}
        >
          {t('calls.incoming.decline')}
        </Button>
        {video && (
          <Button shape="rounded" onClick={() => calls.answer(false)} data-testid="incoming-accept-voice">
            {t('calls.incoming.acceptVoice')}
          </Button>
        )}
        <Button shape="rounded" color="success" onClick={() => calls.answer(video)} data-testid="incoming-accept">
          {t('calls.incoming.accept')}
        </Button>
      </div>
      <div className="ax-call-incoming-links">
        <button
          type="button"
          className="ax-link"
          onClick={() => setReasonsOpen(true)}
          data-testid="incoming-decline-with"
        >
          {t('calls.incoming.declineWith')}
        </button>
        {view.consultationId && (
          <button
            type="button"
            className="ax-link"
            onClick={() => navigate(`/consultations/${encodeURIComponent(view.consultationId ?? '')}`)}
          >
            {t('calls.incoming.open')}
          </button>
        )}
      </div>
      <ActionSheet
        visible={reasonsOpen}
        onClose={() => setReasonsOpen(false)}
        cancelText={t('calls.purpose.cancel')}
        actions={REASONS.map((reason) => ({
          key: reason,
          text: <span data-testid={`decline-reason-${reason}`}>{t(`calls.reasons.${reason}`)}</span>,
          onClick: () => {
            setReasonsOpen(false);
            calls.engine.decline(reason);
          },
        }))}
      />
    </div>
  );
}

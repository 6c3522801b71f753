import { useEffect, useRef, useState } from 'react';
import {
  HangUpIcon,
  MicIcon,
  MicOffIcon,
  MinimiseIcon,
  PhoneIcon,
  SpeakerIcon,
  SwitchCameraIcon,
  VideoIcon,
  VideoOffIcon,
} from './CallIcons';
import { useCalls } from './CallProvider';
import type { CallView } from './engine';
import { useCallsT } from './i18n';
import { formatDuration, outcomeKey } from './model';

type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };
const canChooseOutput = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

function useSeconds(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/** The other side's audio and video. Stays mounted while the call screen is minimised, so the sound goes on. */
function RemoteMedia({
  stream,
  video,
  sinkId,
  onFirstFrame,
}: {
  stream: MediaStream | null;
  video: boolean;
  sinkId: string | null;
  onFirstFrame: () => void;
}) {
  const ref = useRef<HTMLVideoElement & SinkElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || el.srcObject === stream) return;
    el.srcObject = stream;
    if (stream) void el.play().catch(() => {});
  }, [stream]);
  useEffect(() => {
    const el = ref.current;
    if (el && sinkId !== null && el.setSinkId) void el.setSinkId(sinkId).catch(() => {});
  }, [sinkId]);
  useEffect(() => {
    const el = ref.current as (HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number }) | null;
    if (!el || !stream) return;
    let done = false;
    const mark = () => {
      if (done) return;
      done = true;
      onFirstFrame();
    };
    if (el.requestVideoFrameCallback) el.requestVideoFrameCallback(mark);
    else el.addEventListener('playing', mark, { once: true });
    return () => {
      done = true;
    };
  }, [stream, onFirstFrame]);
  return (
    <video
      ref={ref}
      className={video ? 'ax-call-remote' : 'ax-call-remote ax-call-remote-audio'}
      autoPlay
      playsInline
      data-testid="call-remote-media"
    />
  );
}

function LocalPreview({ stream }: { stream: MediaStream | null }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className="ax-call-local" autoPlay playsInline muted data-testid="call-local-preview" />;
}

function statusText(t: ReturnType<typeof useCallsT>, view: CallView, seconds: number): string {
  if (view.phase === 'ended') {
    if (view.takenElsewhere) return t('calls.incoming.taken');
    if (view.ended) {
      const { outcome, mine, declineReason, durationSeconds } = view.ended;
      const text = t(`calls.outcome.${outcomeKey(outcome, mine, declineReason)}`, {
        duration: formatDuration(durationSeconds),
      });
      // The caller sees why the call was declined, when the callee said.
      return outcome === 'declined' && declineReason && mine
        ? t('calls.outcome.withReason', { outcome: text, reason: t(`calls.reasons.${declineReason}`) })
        : text;
    }
    if (view.error === 'socket') return t('calls.errors.socket');
    return view.error ?? t('calls.state.ended');
  }
  if (view.phase === 'outgoing') return view.remoteRinging ? t('calls.state.ringing') : t('calls.state.outgoing');
  if (view.phase === 'connected') return formatDuration(seconds);
  if (view.phase === 'reconnecting') return t('calls.state.reconnecting');
  return t('calls.state.connecting');
}

/** The call screen for doctor and patient: controls, duration, connection quality; minimises to a small tile. */
export function CallOverlay() {
  const calls = useCalls();
  const t = useCallsT();
  const view = calls?.view;
  const seconds = useSeconds(view?.connectedAt ?? null);
  const [sinks, setSinks] = useState<MediaDeviceInfo[]>([]);
  const [sink, setSink] = useState<string | null>(null);
  const active = view !== undefined && view.phase !== 'idle' && view.phase !== 'incoming';

  useEffect(() => {
    if (!active || !canChooseOutput) return;
    void navigator.mediaDevices
      ?.enumerateDevices()
      .then((all) => setSinks(all.filter((d) => d.kind === 'audiooutput')))
      .catch(() => setSinks([]));
  }, [active]);

  if (!calls || !view || !active) return null;
  const { engine } = calls;
  const video = view.media === 'video';
  const ended = view.phase === 'ended';
  const sendsVideo = (view.localStream?.getVideoTracks().length ?? 0) > 0;
  const remoteHasVideo = (view.remoteStream?.getVideoTracks().length ?? 0) > 0;
  const status = statusText(t, view, seconds);
  const nextSink = () => {
    if (sinks.length === 0) return;
    const i = sinks.findIndex((s) => s.deviceId === sink);
    setSink(sinks[(i + 1) % sinks.length]!.deviceId);
  };

  return (
    <div
      className={`ax-call${view.minimised ? ' ax-call-mini' : ''}${video ? ' ax-call-video' : ''}`}
      role={view.minimised ? 'button' : 'dialog'}
      aria-label={video ? t('calls.video') : t('calls.voice')}
      tabIndex={view.minimised ? 0 : undefined}
      onClick={view.minimised ? () => engine.setMinimised(false) : undefined}
      data-testid="call-overlay"
      data-phase={view.phase}
      data-media={view.media}
      data-call-id={view.callId ?? ''}
      data-quality={view.quality}
      data-relayed={String(view.relayed)}
      data-audio-only={String(view.audioOnlyFallback)}
      data-bytes-received={view.metrics.bytesReceived}
      data-frames-decoded={view.metrics.framesDecoded}
      data-accepted-at={view.metrics.acceptedAt ?? ''}
      data-first-frame-at={view.metrics.firstFrameAt ?? ''}
      data-outcome={view.ended?.outcome ?? ''}
    >
      <RemoteMedia
        stream={view.remoteStream}
        video={video && remoteHasVideo}
        sinkId={sink}
        onFirstFrame={engine.markFirstFrame}
      />
      {!(video && remoteHasVideo && view.phase === 'connected') && (
        <div className="ax-call-avatar" aria-hidden="true">
          {video ? <VideoIcon /> : <PhoneIcon />}
        </div>
      )}
      {sendsVideo && view.cameraOn && !view.minimised && <LocalPreview stream={view.localStream} />}

      <div className="ax-call-top">
        <div className="ax-call-kind">{video ? t('calls.video') : t('calls.voice')}</div>
        <div className="ax-call-status" role="status" aria-live="polite" data-testid="call-status">
          {status}
        </div>
        {view.phase === 'connected' && !view.minimised && (
          <div className={`ax-call-quality ax-call-quality-${view.quality}`} data-testid="call-quality">
            <span className="ax-call-bars" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {t(`calls.quality.${view.quality}`)}
            {view.relayed ? ` · ${t('calls.quality.relayed')}` : ''}
          </div>
        )}
        {view.audioOnlyFallback && !view.minimised && (
          <div className="ax-call-notice" role="status" data-testid="call-audio-only">
            {t('calls.audioOnly')}{' '}
            <button type="button" className="ax-call-link" onClick={() => engine.toggleCamera()}>
              {t('calls.audioOnlyRestore')}
            </button>
          </div>
        )}
        {view.error && !ended && !view.minimised && (
          <div className="ax-call-notice" role="alert">
            {view.error}
          </div>
        )}
      </div>

      {!view.minimised && !ended && (
        <div className="ax-call-controls">
          <button
            type="button"
            className={`ax-call-btn${view.muted ? ' ax-call-btn-on' : ''}`}
            onClick={() => engine.toggleMute()}
            aria-pressed={view.muted}
            aria-label={view.muted ? t('calls.controls.unmute') : t('calls.controls.mute')}
            data-testid="call-mute"
          >
            {view.muted ? <MicOffIcon /> : <MicIcon />}
            <span>{view.muted ? t('calls.controls.unmute') : t('calls.controls.mute')}</span>
          </button>
          {sendsVideo && (
            <button
              type="button"
              className={`ax-call-btn${view.cameraOn ? '' : ' ax-call-btn-on'}`}
              onClick={() => engine.toggleCamera()}
              aria-pressed={!view.cameraOn}
              aria-label={view.cameraOn ? t('calls.controls.cameraOff') : t('calls.controls.cameraOn')}
              data-testid="call-camera"
            >
              {view.cameraOn ? <VideoIcon /> : <VideoOffIcon />}
              <span>{view.cameraOn ? t('calls.controls.cameraOff') : t('calls.controls.cameraOn')}</span>
            </button>
          )}
          {sendsVideo && view.canSwitchCamera && (
            <button
              type="button"
              className="ax-call-btn"
              onClick={() => void engine.switchCamera()}
              aria-label={t('calls.controls.switchCamera')}
              data-testid="call-switch-camera"
            >
              <SwitchCameraIcon />
              <span>{t('calls.controls.switchCamera')}</span>
            </button>
          )}
          {canChooseOutput && sinks.length > 1 && (
            <button
              type="button"
              className="ax-call-btn"
              onClick={nextSink}
              aria-label={t('calls.controls.speakerNext')}
              data-testid="call-speaker"
            >
              <SpeakerIcon />
              <span>{sinks.find((s) => s.deviceId === sink)?.label || t('calls.controls.speaker')}</span>
            </button>
          )}
          <button
            type="button"
            className="ax-call-btn"
            onClick={() => engine.setMinimised(true)}
            aria-label={t('calls.controls.minimiseHint')}
            data-testid="call-minimise"
          >
            <MinimiseIcon />
            <span>{t('calls.controls.minimise')}</span>
          </button>
          <button
            type="button"
            className="ax-call-btn ax-call-hangup"
            onClick={() => engine.hangUp()}
            aria-label={view.phase === 'outgoing' ? t('calls.controls.cancel') : t('calls.controls.hangUp')}
            data-testid="call-hangup"
          >
            <HangUpIcon />
            <span>{view.phase === 'outgoing' ? t('calls.controls.cancel') : t('calls.controls.hangUp')}</span>
          </button>
        </div>
      )}
      {view.minimised && (
        <span className="ax-call-mini-label" data-testid="call-restore">
          {t('calls.controls.restore')}
        </span>
      )}
      {ended && (
        <button type="button" className="ax-call-link ax-call-close" onClick={() => engine.dismiss()}>
          {t('calls.problem.ok')}
        </button>
      )}
    </div>
  );
}

import type { Message } from '@anxin/contracts';
import { Button, ImageViewer, Popup, Toast } from 'antd-mobile';
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { consultationApi } from '../../lib/api';
import { useConsultT } from './i18n';
import { formatDuration, pickRecorderType, VOICE_NOTE_MAX_MS, voiceBubbleWidth, type PendingFile } from './model';

/** An object URL for a blob that lives as long as the component (revoked afterwards, nothing left in memory). */
function useObjectUrl(blob: Blob | undefined): string | undefined {
  const url = useMemo(() => (blob ? URL.createObjectURL(blob) : undefined), [blob]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

/** A picture in the conversation: the thumbnail, full size on tap. */
export function ImageContent({ consultationId, m }: { consultationId: string; m: Message }) {
  const t = useConsultT();
  const [broken, setBroken] = useState(false);
  if (broken)
    return (
      <div className="ax-con-media-missing ax-small" data-testid="chat-image-missing">
        {t('consultations.media.imageFailed')}
      </div>
    );
  return (
    <button
      type="button"
      className="ax-con-image"
      onClick={() => ImageViewer.show({ image: consultationApi.mediaUrl(consultationId, m.seq, 'full') })}
      aria-label={t('consultations.media.openImage')}
    >
      <img
        src={consultationApi.mediaUrl(consultationId, m.seq, 'thumb')}
        alt={t('consultations.media.image')}
        loading="lazy"
        onError={() => setBroken(true)}
        data-testid="chat-image"
      />
    </button>
  );
}

/** A voice note: play/pause, how long it is, how far it has played. Loaded only when played. */
export function VoiceContent({ src, durationMs, mine }: { src: string; durationMs: number; mine: boolean }) {
  const t = useConsultT();
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [failed, setFailed] = useState(false);
  const toggle = () => {
    const el = audio.current;
    if (!el) return;
    if (el.paused) {
      el.play().catch(() => setFailed(true));
    } else {
      el.pause();
    }
  };
  return (
    <div
      className={mine ? 'ax-con-voice ax-con-voice-mine' : 'ax-con-voice'}
      style={{ width: `${voiceBubbleWidth(durationMs)}%` }}
      data-testid="chat-voice"
    >
      <button
        type="button"
        className="ax-con-voice-play"
        onClick={toggle}
        aria-label={playing ? t('consultations.media.pause') : t('consultations.media.play')}
        data-testid="chat-voice-play"
        data-playing={playing}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <span className="ax-con-voice-bar" aria-hidden="true">
        <span style={{ width: `${durationMs > 0 ? Math.min(100, (position / durationMs) * 100) : 0}%` }} />
      </span>
      <span className="ax-con-voice-len">{formatDuration(playing ? position : durationMs)}</span>
      {failed && <span className="ax-small ax-con-voice-failed">{t('consultations.media.playFailed')}</span>}
      <audio
        ref={audio}
        src={src}
        preload="none"
        onPlay={() => {
          setPlaying(true);
          setFailed(false);
        }}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false);
          setPosition(0);
        }}
        onTimeUpdate={(e) => setPosition(e.currentTarget.currentTime * 1000)}
        onError={() => setFailed(true)}
        data-testid="chat-voice-audio"
      />
    </div>
  );
}

/** The preview of an image or voice note that is still uploading (from memory, never from the server). */
export function PendingFileContent({ file }: { file: PendingFile }) {
  const t = useConsultT();
  const url = useObjectUrl(file.blob);
  if (!url) return null;
  return file.kind === 'image' ? (
    <img className="ax-con-image-pending" src={url} alt={t('consultations.media.image')} />
  ) : (
    <VoiceContent src={url} durationMs={file.durationMs ?? 0} mine />
  );
}

/**
 * Sending a picture: a sheet says what happens to it before the camera or album opens (PER-1); the picture is
 * re-encoded on the server without location or camera data, and only the two people in the consultation see it.
 */
export function ImagePicker({
  open,
  onClose,
  onPicked,
}: {
  open: boolean;
  onClose: () => void;
  onPicked: (file: File) => void;
}) {
  const t = useConsultT();
  const album = useRef<HTMLInputElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > 10 * 1024 * 1024) {
      Toast.show({ content: t('consultations.media.imageTooLarge'), duration: 3000 });
      return;
    }
    onClose();
    onPicked(file);
  };
  return (
    <>
      <input
        ref={album}
        type="file"
        accept="image/*"
        className="ax-con-file-input"
        tabIndex={-1}
        aria-hidden="true"
        onChange={onFile}
        data-testid="chat-image-input"
      />
      <input
        ref={camera}
        type="file"
        accept="image/*"
        capture="environment"
        className="ax-con-file-input"
        tabIndex={-1}
        aria-hidden="true"
        onChange={onFile}
      />
      <Popup visible={open} onMaskClick={onClose} onClose={onClose} bodyClassName="ax-con-sheet">
        <div role="dialog" aria-label={t('consultations.media.imageTitle')} data-testid="chat-image-purpose">
          <h2 className="ax-con-sheet-title">{t('consultations.media.imageTitle')}</h2>
          <p>{t('consultations.media.imagePurpose')}</p>
          <p className="ax-muted ax-small">{t('consultations.media.imagePrivacy')}</p>
          <div className="ax-actions">
            <Button block color="primary" size="large" onClick={() => camera.current?.click()}>
              {t('consultations.media.camera')}
            </Button>
            <Button
              block
              fill="outline"
              size="large"
              onClick={() => album.current?.click()}
              data-testid="chat-image-album"
            >
              {t('consultations.media.album')}
            </Button>
            <Button block fill="none" onClick={onClose}>
              {t('consultations.decline.cancel')}
            </Button>
          </div>
        </div>
      </Popup>
    </>
  );
}

type RecorderState =
  | { step: 'purpose' }
  | { step: 'asking' }
  | { step: 'denied'; reason: 'blocked' | 'unsupported' | 'nodevice' }
  | { step: 'recording'; startedAt: number }
  | { step: 'review'; blob: Blob; durationMs: number };

/**
 * Recording a voice note (PER-1): the purpose comes first, then the browser's microphone prompt; the microphone is
 * on only while recording and released at once after (the browser's indicator goes off). Up to 60 s, stopped
 * automatically at the limit; the note can be listened to and discarded before sending.
 */
export function VoiceRecorder({
  open,
  onClose,
  onSend,
}: {
  open: boolean;
  onClose: () => void;
  onSend: (file: PendingFile) => void;
}) {
  const t = useConsultT();
  const [state, setState] = useState<RecorderState>({ step: 'purpose' });
  const [now, setNow] = useState(0);
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const discard = useRef(false);

  const release = () => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
  };

  // Closing the sheet at any point stops the microphone and forgets the recording.
  useEffect(() => {
    if (open) {
      setState({ step: 'purpose' });
      return;
    }
    discard.current = true;
    if (recorder.current?.state === 'recording') recorder.current.stop();
    recorder.current = null;
    release();
  }, [open]);
  useEffect(() => () => release(), []);

  const stop = () => {
    if (recorder.current?.state === 'recording') recorder.current.stop();
  };

  // The running clock, and the automatic stop at 60 s.
  const recording = state.step === 'recording' ? state.startedAt : null;
  useEffect(() => {
    if (recording === null) return;
    const timer = window.setInterval(() => {
      const elapsed = performance.now() - recording;
      setNow(elapsed);
      if (elapsed >= VOICE_NOTE_MAX_MS) stop();
    }, 200);
    return () => window.clearInterval(timer);
  }, [recording]);

  const start = async () => {
    const type =
      typeof MediaRecorder === 'undefined' ? undefined : pickRecorderType((x) => MediaRecorder.isTypeSupported(x));
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      setState({ step: 'denied', reason: 'unsupported' });
      return;
    }
    setState({ step: 'asking' });
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      setState({ step: 'denied', reason: name === 'NotFoundError' ? 'nodevice' : 'blocked' });
      return;
    }
    stream.current = media;
    const chunks: Blob[] = [];
    const rec = new MediaRecorder(media, type ? { mimeType: type, audioBitsPerSecond: 32_000 } : undefined);
    recorder.current = rec;
    discard.current = false;
    const startedAt = performance.now();
    rec.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    rec.onstop = () => {
      release();
      if (discard.current) return;
      const durationMs = Math.min(VOICE_NOTE_MAX_MS, Math.round(performance.now() - startedAt));
      const blob = new Blob(chunks, { type: (rec.mimeType || type || 'audio/webm').split(';')[0] });
      if (durationMs < 500 || blob.size === 0) {
        Toast.show({ content: t('consultations.media.tooShort') });
        setState({ step: 'purpose' });
        return;
      }
      setState({ step: 'review', blob, durationMs });
    };
    rec.start(1000);
    setNow(0);
    setState({ step: 'recording', startedAt });
  };

  const review = state.step === 'review' ? state : null;
  const reviewUrl = useObjectUrl(review?.blob);

  return (
    <Popup visible={open} onMaskClick={state.step === 'recording' ? undefined : onClose} bodyClassName="ax-con-sheet">
      <div
        role="dialog"
        aria-label={t('consultations.media.voiceTitle')}
        data-testid="voice-recorder"
        data-step={state.step}
      >
        <h2 className="ax-con-sheet-title">{t('consultations.media.voiceTitle')}</h2>
        {(state.step === 'purpose' || state.step === 'asking') && (
          <>
            <p data-testid="voice-purpose">{t('consultations.media.voicePurpose')}</p>
            <p className="ax-muted ax-small">{t('consultations.media.voicePrivacy')}</p>
            <div className="ax-actions">
              <Button
                block
                color="primary"
                size="large"
                loading={state.step === 'asking'}
                onClick={() => void start()}
                data-testid="voice-start"
              >
                {t('consultations.media.startRecording')}
              </Button>
              <Button block fill="none" onClick={onClose}>
                {t('consultations.decline.cancel')}
              </Button>
            </div>
          </>
        )}
        {state.step === 'denied' && (
          <>
            <p role="alert" data-testid="voice-denied">
              {t(`consultations.media.denied.${state.reason}`)}
            </p>
            <p className="ax-muted ax-small">{t('consultations.media.deniedStillText')}</p>
            <div className="ax-actions">
              <Button block fill="outline" onClick={() => setState({ step: 'purpose' })}>
                {t('consultations.media.tryAgain')}
              </Button>
              <Button block fill="none" onClick={onClose}>
                {t('consultations.media.close')}
              </Button>
            </div>
          </>
        )}
        {state.step === 'recording' && (
          <>
            <div className="ax-con-rec" role="status" aria-live="polite">
              <span className="ax-con-rec-dot" aria-hidden="true" />
              <span data-testid="voice-elapsed">{formatDuration(now)}</span>
              <span className="ax-muted"> / {formatDuration(VOICE_NOTE_MAX_MS)}</span>
            </div>
            <p className="ax-muted ax-small">{t('consultations.media.recordingHint')}</p>
            <div className="ax-actions">
              <Button block color="primary" size="large" onClick={stop} data-testid="voice-stop">
                {t('consultations.media.stopRecording')}
              </Button>
              <Button block fill="none" onClick={onClose}>
                {t('consultations.media.discard')}
              </Button>
            </div>
          </>
        )}
        {review && reviewUrl && (
          <>
            <VoiceContent src={reviewUrl} durationMs={review.durationMs} mine />
            <div className="ax-actions">
              <Button
                block
                color="primary"
                size="large"
                onClick={() => {
                  onSend({ kind: 'voice', blob: review.blob, durationMs: review.durationMs });
                  onClose();
                }}
                data-testid="voice-send"
              >
                {t('consultations.media.sendVoice')}
              </Button>
              <Button block fill="outline" onClick={() => setState({ step: 'purpose' })}>
                {t('consultations.media.reRecord')}
              </Button>
              <Button block fill="none" onClick={onClose}>
                {t('consultations.media.discard')}
              </Button>
            </div>
          </>
        )}
      </div>
    </Popup>
  );
}

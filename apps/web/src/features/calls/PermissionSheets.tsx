import type { CallMedia } from '@anxin/contracts';
import { Button, Popup } from 'antd-mobile';
import { useCallsT } from './i18n';
import type { MediaProblem } from './model';

export type Prompt =
  /** Before the first request for the microphone (and camera): why, and that nothing is recorded (PER-1). */
  | { kind: 'purpose'; media: CallMedia; onContinue: () => void }
  /** The camera was refused or is missing, the microphone works: offer voice only. */
  | { kind: 'camera'; answering: boolean; onVoice: () => void; stream: MediaStream }
  | { kind: 'problem'; problem: MediaProblem };

const PROBLEM_KEY = {
  camera_denied: 'calls.problem.micBody',
  microphone_denied: 'calls.problem.micBody',
  no_device: 'calls.problem.noDevice',
  in_use: 'calls.problem.inUse',
  insecure: 'calls.problem.insecure',
  other: 'calls.problem.other',
} as const;

export function PermissionSheets({ prompt, onClose }: { prompt: Prompt | null; onClose: () => void }) {
  const t = useCallsT();
  const close = () => {
    // A voice-only stream opened to check the microphone is released when the offer is not taken.
    if (prompt?.kind === 'camera') prompt.stream.getTracks().forEach((track) => track.stop());
    onClose();
  };
  return (
    <Popup visible={prompt !== null} onMaskClick={close} bodyClassName="ax-call-sheet" destroyOnClose>
      {prompt?.kind === 'purpose' && (
        <div role="dialog" aria-label={t('calls.purpose.titleVoice')} data-testid="call-purpose">
          <h2 className="ax-call-sheet-title">
            {prompt.media === 'video' ? t('calls.purpose.titleVideo') : t('calls.purpose.titleVoice')}
          </h2>
          <p>{t('calls.purpose.mic')}</p>
          {prompt.media === 'video' && <p>{t('calls.purpose.camera')}</p>}
          <p className="ax-muted ax-small">{t('calls.purpose.neverRecorded')}</p>
          <div className="ax-call-sheet-actions">
            <Button block onClick={close}>
              {t('calls.purpose.cancel')}
            </Button>
            <Button
              block
              color="primary"
              onClick={() => {
                onClose();
                prompt.onContinue();
              }}
              data-testid="call-purpose-continue"
            >
              {t('calls.purpose.continue')}
            </Button>
          </div>
        </div>
      )}
      {prompt?.kind === 'camera' && (
        <div role="alertdialog" aria-label={t('calls.problem.cameraTitle')} data-testid="call-camera-problem">
          <h2 className="ax-call-sheet-title">{t('calls.problem.cameraTitle')}</h2>
          <p>{t('calls.problem.cameraBody')}</p>
          <div className="ax-call-sheet-actions">
            <Button block onClick={close}>
              {t('calls.purpose.cancel')}
            </Button>
            <Button
              block
              color="primary"
              onClick={() => {
                onClose();
                prompt.onVoice();
              }}
              data-testid="call-voice-instead"
            >
              {t('calls.problem.voiceInstead')}
            </Button>
          </div>
        </div>
      )}
      {prompt?.kind === 'problem' && (
        <div role="alertdialog" aria-label={t('calls.problem.micTitle')} data-testid="call-problem">
          <h2 className="ax-call-sheet-title">
            {prompt.problem === 'microphone_denied' || prompt.problem === 'camera_denied'
              ? t('calls.problem.micTitle')
              : t('calls.problem.deviceTitle')}
          </h2>
          <p data-problem={prompt.problem}>{t(PROBLEM_KEY[prompt.problem])}</p>
          <Button block color="primary" onClick={close}>
            {t('calls.problem.ok')}
          </Button>
        </div>
      )}
    </Popup>
  );
}

import { Button } from 'antd-mobile';
import { PhoneIcon, VideoIcon } from './CallIcons';
import { useCalls } from './CallProvider';
import { useCallsT } from './i18n';

/** Voice and video call buttons for a consultation's chat header (only while the consultation is active). */
export function CallButtons({ consultationId, active }: { consultationId: string; active: boolean }) {
  const calls = useCalls();
  const t = useCallsT();
  if (!calls || !active) return null;
  const supported = typeof RTCPeerConnection !== 'undefined';
  const idle = calls.view.phase === 'idle' || calls.view.phase === 'ended';
  return (
    <span className="ax-call-buttons">
      <Button
        size="mini"
        fill="none"
        disabled={!supported || !idle}
        onClick={() => calls.startCall(consultationId, 'voice')}
        aria-label={supported ? t('calls.startVoice') : t('calls.unsupported')}
        data-testid="call-start-voice"
      >
        <PhoneIcon />
      </Button>
      <Button
        size="mini"
        fill="none"
        disabled={!supported || !idle}
        onClick={() => calls.startCall(consultationId, 'video')}
        aria-label={supported ? t('calls.startVideo') : t('calls.unsupported')}
        data-testid="call-start-video"
      >
        <VideoIcon />
      </Button>
    </span>
  );
}

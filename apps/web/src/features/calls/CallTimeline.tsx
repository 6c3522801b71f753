import type { CallRecord } from '@anxin/contracts';
import { useEffect } from 'react';
import { callApi } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { PhoneIcon, VideoIcon } from './CallIcons';
import { useCalls } from './CallProvider';
import { useCallsT } from './i18n';
import { formatDuration, outcomeKey } from './model';

/** A consultation's calls (metadata only), reloaded whenever a call ends on this device. */
export function useCallRecords(consultationId: string) {
  const calls = useCalls();
  const records = useResource(() => callApi.list(consultationId), [consultationId]);
  const endedCount = calls?.endedCount ?? 0;
  const reload = records.reload;
  useEffect(() => {
    if (endedCount > 0) void reload();
  }, [endedCount, reload]);
  return { records: records.data?.calls ?? [], error: records.error, reload };
}

/** One call in the chat: kind, time, how it ended and how long it lasted, from my side. */
export function CallEntry({ call, myId }: { call: CallRecord; myId: string }) {
  const t = useCallsT();
  const mine = call.callerId === myId;
  const time = new Date(call.startedAt).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const text = call.outcome
    ? t(`calls.outcome.${outcomeKey(call.outcome, mine, call.declineReason)}`, {
        duration: formatDuration(call.durationSeconds),
      })
    : t('calls.state.connected');
  const reason = call.outcome === 'declined' && call.declineReason ? t(`calls.reasons.${call.declineReason}`) : null;
  return (
    <div
      className={`ax-call-entry${mine ? ' ax-call-entry-mine' : ''}`}
      data-testid="call-entry"
      data-outcome={call.outcome ?? ''}
      data-media={call.media}
      data-duration={call.durationSeconds}
    >
      <span className="ax-call-entry-icon" aria-hidden="true">
        {call.media === 'video' ? <VideoIcon /> : <PhoneIcon />}
      </span>
      <span>
        {call.media === 'video' ? t('calls.timeline.video') : t('calls.timeline.voice')} · {text}
        {reason ? ` · ${reason}` : ''}
      </span>
      <span className="ax-muted ax-small">{time}</span>
    </div>
  );
}

/**
 * Pure rules of the call screen (CON-2, PER-1): durations, connection quality from WebRTC statistics, when video
 * falls back to audio only, what a refused device permission means, and where calls sit among the messages.
 */
import type { CallOutcome, CallRecord, DeclineReason } from '@anxin/contracts';

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** The figures of one getStats() read that the quality indicator needs. */
export interface StatsSample {
  at: number;
  /** Round-trip time of the selected candidate pair, in ms. */
  rttMs: number | null;
  packetsReceived: number;
  packetsLost: number;
  /** Bytes and decoded frames of the remote audio and video. */
  bytesReceived: number;
  framesDecoded: number;
  framesPerSecond: number | null;
  /** The sender side's estimate of the bandwidth available for what we send, in bits per second. */
  availableOutgoingBitrate: number | null;
  /** Whether the selected pair goes through the TURN relay. */
  relayed: boolean;
}

type StatLike = Record<string, unknown> & { type: string; id: string };

/** Reads the figures from an RTCStatsReport (or any map of stats, e.g. in tests). */
export function sampleStats(report: { forEach(cb: (value: StatLike) => void): void }, at: number): StatsSample {
  const byId = new Map<string, StatLike>();
  report.forEach((s) => byId.set(s.id, s));
  const sample: StatsSample = {
    at,
    rttMs: null,
    packetsReceived: 0,
    packetsLost: 0,
    bytesReceived: 0,
    framesDecoded: 0,
    framesPerSecond: null,
    availableOutgoingBitrate: null,
    relayed: false,
  };
  let pair: StatLike | undefined;
  for (const s of byId.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
      pair = byId.get(s.selectedCandidatePairId);
  }
  if (!pair)
    for (const s of byId.values())
      if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || s.selected)) pair = s;
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') sample.rttMs = pair.currentRoundTripTime * 1000;
    if (typeof pair.availableOutgoingBitrate === 'number')
      sample.availableOutgoingBitrate = pair.availableOutgoingBitrate;
    const local = byId.get(String(pair.localCandidateId));
    const remote = byId.get(String(pair.remoteCandidateId));
    sample.relayed = local?.candidateType === 'relay' || remote?.candidateType === 'relay';
  }
  for (const s of byId.values()) {
    if (s.type !== 'inbound-rtp') continue;
    sample.packetsReceived += Number(s.packetsReceived ?? 0);
    sample.packetsLost += Math.max(0, Number(s.packetsLost ?? 0));
    sample.bytesReceived += Number(s.bytesReceived ?? 0);
    if (s.kind === 'video') {
      sample.framesDecoded += Number(s.framesDecoded ?? 0);
      if (typeof s.framesPerSecond === 'number') sample.framesPerSecond = s.framesPerSecond;
    }
  }
  return sample;
}

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/** Quality between two samples: packet loss in the interval and round-trip time (and frame rate for video). */
export function qualityFrom(prev: StatsSample | undefined, cur: StatsSample, video: boolean): Quality {
  if (!prev) return cur.rttMs === null ? 'unknown' : cur.rttMs > 600 ? 'poor' : cur.rttMs > 300 ? 'fair' : 'good';
  const received = cur.packetsReceived - prev.packetsReceived;
  const lost = cur.packetsLost - prev.packetsLost;
  if (received + lost <= 0) return cur.at - prev.at >= 3000 ? 'poor' : 'unknown'; // nothing arrives at all
  const loss = lost / (received + lost);
  const rtt = cur.rttMs ?? 0;
  const slowVideo = video && cur.framesPerSecond !== null && cur.framesPerSecond < 8;
  if (loss > 0.1 || rtt > 600) return 'poor';
  if (loss > 0.03 || rtt > 300 || slowVideo) return 'fair';
  return 'good';
}

/**
 * Send audio only when video cannot keep up: three poor readings in a row (about six seconds), or an outgoing
 * bandwidth estimate too low for video. Voice is what matters in a consultation.
 */
export function shouldDropVideo(recent: readonly Quality[], sample: StatsSample | undefined): boolean {
  const last3 = recent.slice(-3);
  if (last3.length === 3 && last3.every((q) => q === 'poor')) return true;
  return sample?.availableOutgoingBitrate !== null && sample?.availableOutgoingBitrate !== undefined
    ? sample.availableOutgoingBitrate < 100_000 && recent.slice(-2).every((q) => q !== 'good')
    : false;
}

/** What a refused getUserMedia means for the call. */
export type MediaProblem = 'camera_denied' | 'microphone_denied' | 'no_device' | 'in_use' | 'insecure' | 'other';

export function classifyMediaError(err: unknown, wantedVideo: boolean): MediaProblem {
  const name = err instanceof Error || (typeof err === 'object' && err !== null) ? (err as { name?: string }).name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError')
    return wantedVideo ? 'camera_denied' : 'microphone_denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
    return 'no_device';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'in_use';
  if (name === 'TypeError') return 'insecure';
  return 'other';
}

/** The line shown when a call ended, from my point of view. */
export function outcomeKey(
  outcome: CallOutcome,
  mine: boolean,
  reason: DeclineReason | null,
):
  | 'completed'
  | 'declinedByThem'
  | 'declinedByMe'
  | 'missedByThem'
  | 'missedByMe'
  | 'failed'
  | 'cancelledByMe'
  | 'cancelledByThem'
  | 'busy' {
  void reason;
  switch (outcome) {
    case 'completed':
      return 'completed';
    case 'declined':
      return mine ? 'declinedByThem' : 'declinedByMe';
    case 'missed':
      return mine ? 'missedByThem' : 'missedByMe';
    case 'cancelled':
      return mine ? 'cancelledByMe' : 'cancelledByThem';
    case 'busy':
      return 'busy';
    default:
      return 'failed';
  }
}

export type TimelineItem<M> =
  { type: 'message'; at: number; message: M } | { type: 'call'; at: number; call: CallRecord };

/** Messages and calls of a consultation in time order (a call sits where it started). */
export function mergeTimeline<M extends { createdAt: string }>(
  messages: readonly M[],
  calls: readonly CallRecord[],
): TimelineItem<M>[] {
  const items: TimelineItem<M>[] = [
    ...messages.map((message) => ({ type: 'message' as const, at: Date.parse(message.createdAt), message })),
    ...calls.map((call) => ({ type: 'call' as const, at: Date.parse(call.startedAt), call })),
  ];
  // Stable: messages keep their sequence order among themselves.
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.at - b.item.at || a.i - b.i)
    .map(({ item }) => item);
}

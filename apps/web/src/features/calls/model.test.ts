import type { CallRecord } from '@anxin/contracts';
import { describe, expect, it } from 'vitest';
import {
  classifyMediaError,
  formatDuration,
  mergeTimeline,
  outcomeKey,
  qualityFrom,
  sampleStats,
  shouldDropVideo,
  type StatsSample,
} from './model';

const sample = (over: Partial<StatsSample>): StatsSample => ({
  at: 0,
  rttMs: 40,
  packetsReceived: 0,
  packetsLost: 0,
  bytesReceived: 0,
  framesDecoded: 0,
  framesPerSecond: 30,
  availableOutgoingBitrate: 1_000_000,
  relayed: false,
  ...over,
});

describe('call screen rules', () => {
  it('PER-1: durations read mm:ss, and h:mm:ss past an hour', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(93)).toBe('01:33');
    expect(formatDuration(3723)).toBe('1:02:03');
  });

  it('PER-1: the quality indicator comes from getStats: selected pair RTT, inbound loss and frames; relayed pairs are recognised', () => {
    const report = new Map<string, Record<string, unknown> & { type: string; id: string }>([
      ['T', { id: 'T', type: 'transport', selectedCandidatePairId: 'P' }],
      [
        'P',
        {
          id: 'P',
          type: 'candidate-pair',
          currentRoundTripTime: 0.12,
          availableOutgoingBitrate: 800_000,
          localCandidateId: 'L',
          remoteCandidateId: 'R',
        },
      ],
      ['L', { id: 'L', type: 'local-candidate', candidateType: 'relay' }],
      ['R', { id: 'R', type: 'remote-candidate', candidateType: 'host' }],
      ['A', { id: 'A', type: 'inbound-rtp', kind: 'audio', packetsReceived: 500, packetsLost: 5, bytesReceived: 4000 }],
      [
        'V',
        {
          id: 'V',
          type: 'inbound-rtp',
          kind: 'video',
          packetsReceived: 1500,
          packetsLost: 0,
          bytesReceived: 90000,
          framesDecoded: 60,
          framesPerSecond: 24,
        },
      ],
    ]);
    const s = sampleStats(report, 1000);
    expect(s).toMatchObject({
      rttMs: 120,
      packetsReceived: 2000,
      packetsLost: 5,
      bytesReceived: 94000,
      framesDecoded: 60,
      framesPerSecond: 24,
      availableOutgoingBitrate: 800_000,
      relayed: true,
    });
    const next = { ...s, at: 3000, packetsReceived: 3000, packetsLost: 6 };
    expect(qualityFrom(s, next, true)).toBe('good');
    expect(qualityFrom(s, { ...next, packetsLost: 205 }, true)).toBe('poor'); // 16 % lost
    expect(qualityFrom(s, { ...next, packetsLost: 55 }, true)).toBe('fair'); // 4.7 %
    expect(qualityFrom(s, { ...next, rttMs: 400 }, false)).toBe('fair');
    expect(qualityFrom(s, { ...next, framesPerSecond: 5 }, true)).toBe('fair');
    expect(qualityFrom(s, { ...next, framesPerSecond: 5 }, false)).toBe('good');
    expect(qualityFrom(s, { ...s, at: 4000 }, true)).toBe('poor'); // nothing arrived for 3 s
    expect(qualityFrom(undefined, sample({ rttMs: null }), true)).toBe('unknown');
  });

  it('PER-1: video falls back to audio only after three poor readings or when the outgoing bandwidth is too low', () => {
    expect(shouldDropVideo(['good', 'poor', 'poor'], sample({}))).toBe(false);
    expect(shouldDropVideo(['poor', 'poor', 'poor'], sample({}))).toBe(true);
    expect(shouldDropVideo(['fair', 'fair'], sample({ availableOutgoingBitrate: 60_000 }))).toBe(true);
    expect(shouldDropVideo(['good', 'good'], sample({ availableOutgoingBitrate: 60_000 }))).toBe(false);
    expect(shouldDropVideo([], undefined)).toBe(false);
  });

  it('PER-1: a refused camera offers voice only; a refused microphone needs the settings; missing or busy devices are told apart', () => {
    const err = (name: string) => Object.assign(new Error(name), { name });
    expect(classifyMediaError(err('NotAllowedError'), true)).toBe('camera_denied');
    expect(classifyMediaError(err('NotAllowedError'), false)).toBe('microphone_denied');
    expect(classifyMediaError(err('NotFoundError'), true)).toBe('no_device');
    expect(classifyMediaError(err('NotReadableError'), false)).toBe('in_use');
    expect(classifyMediaError(new TypeError('no mediaDevices'), false)).toBe('insecure');
    expect(classifyMediaError('weird', false)).toBe('other');
  });

  it('CON-2: outcomes read from my side, and calls sit among the messages where they started', () => {
    expect(outcomeKey('declined', true, 'text_instead')).toBe('declinedByThem');
    expect(outcomeKey('missed', false, null)).toBe('missedByMe');
    expect(outcomeKey('cancelled', true, null)).toBe('cancelledByMe');
    expect(outcomeKey('busy', true, null)).toBe('busy');
    const call = { id: 'c', startedAt: '2026-06-01T02:00:05Z' } as CallRecord;
    const items = mergeTimeline(
      [
        { seq: 1, createdAt: '2026-06-01T02:00:00Z' },
        { seq: 2, createdAt: '2026-06-01T02:00:10Z' },
      ],
      [call],
    );
    expect(items.map((i) => (i.type === 'call' ? 'call' : i.message.seq))).toEqual([1, 'call', 2]);
  });
});

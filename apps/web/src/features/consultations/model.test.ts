import type { ConsultationSummary, Message } from '@anxin/contracts';
import { describe, expect, it } from 'vitest';
import {
  ackedMessage,
  addPending,
  contiguousSeq,
  expirePending,
  formatDuration,
  pickRecorderType,
  voiceBubbleWidth,
  failPending,
  groupPatients,
  groupQueue,
  isValidConcern,
  mergeMessages,
  minutesSince,
  newClientId,
  resendable,
  restartPending,
  settlePending,
} from './model';

const msg = (seq: number, text = `m${seq}`): Message => ({
  seq,
  clientId: `c${seq}`,
  senderId: 'u1',
  kind: 'text',
  text,
  media: null,
  createdAt: '2025-01-01T00:00:00Z',
});

describe('messages by seq', () => {
  it('merges in seq order, once per seq, whatever order they arrive in', () => {
    const merged = mergeMessages([msg(1), msg(3)], [msg(5), msg(2), msg(3, 'dup'), msg(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(merged.find((m) => m.seq === 3)?.text).toBe('m3');
  });

  it('returns the same array when nothing is new (no re-render)', () => {
    const current = [msg(1), msg(2)];
    expect(mergeMessages(current, [msg(2)])).toBe(current);
    expect(mergeMessages(current, [])).toBe(current);
  });

  it('syncs from the last gap-free seq, so a pushed message never hides a missed one', () => {
    expect(contiguousSeq([])).toBe(0);
    expect(contiguousSeq([msg(1), msg(2), msg(3)])).toBe(3);
    expect(contiguousSeq([msg(1), msg(2), msg(5)])).toBe(2);
    expect(contiguousSeq([msg(2)])).toBe(0);
  });
});

describe('pending messages', () => {
  it('keeps typed messages until acked, then turns the ack into the stored message', () => {
    let pending = addPending([], 'a', 'hello', 1000);
    pending = addPending(pending, 'b', 'world', 1001);
    expect(pending.map((p) => p.status)).toEqual(['sending', 'sending']);
    const first = pending[0];
    if (!first) throw new Error('missing');
    expect(ackedMessage({ seq: 7, clientId: 'a', createdAt: 'T' }, first, 'me')).toEqual({
      seq: 7,
      clientId: 'a',
      senderId: 'me',
      kind: 'text',
      text: 'hello',
      media: null,
      createdAt: 'T',
    });
    pending = settlePending(pending, ['a']);
    expect(pending.map((p) => p.clientId)).toEqual(['b']);
    expect(settlePending(pending, ['zzz'])).toBe(pending);
  });

  it('fails after 10 s without an ack and retries with the same clientId', () => {
    const pending = addPending([], 'a', 'hi', 0);
    expect(expirePending(pending, 9_999)).toBe(pending);
    const failed = expirePending(pending, 10_000);
    expect(failed[0]?.status).toBe('failed');
    const retried = restartPending(failed, ['a'], 20_000);
    expect(retried[0]).toEqual({ clientId: 'a', text: 'hi', status: 'sending', since: 20_000 });
  });

  it('CON-1: an image or voice note waits up to 60 s for its upload, and its ack becomes a media message', () => {
    const blob = new Blob([new Uint8Array(1234)], { type: 'audio/webm' });
    const pending = addPending([], 'v', '', 0, { kind: 'voice', blob, durationMs: 4_200 });
    expect(expirePending(pending, 10_000)).toBe(pending);
    expect(expirePending(pending, 60_000)[0]?.status).toBe('failed');
    const voice = pending[0];
    if (!voice) throw new Error('missing');
    expect(ackedMessage({ seq: 3, clientId: 'v', createdAt: 'T' }, voice, 'me')).toMatchObject({
      kind: 'voice',
      text: '',
      media: { contentType: 'audio/webm', byteSize: 1234, durationMs: 4_200 },
    });
  });

  it('CON-1: picks a recording format the browser supports, Opus in WebM first', () => {
    expect(pickRecorderType(() => true)).toBe('audio/webm;codecs=opus');
    expect(pickRecorderType((t) => t === 'audio/mp4')).toBe('audio/mp4');
    expect(pickRecorderType(() => false)).toBeUndefined();
    expect(formatDuration(7_400)).toBe('0:07');
    expect(formatDuration(60_000)).toBe('1:00');
    expect(voiceBubbleWidth(0)).toBe(30);
    expect(voiceBubbleWidth(60_000)).toBe(100);
    expect(voiceBubbleWidth(600_000)).toBe(100);
  });

  it('does not resend what the server refused, but does resend what timed out', () => {
    let pending = addPending(addPending([], 'a', 'x', 0), 'b', 'y', 0);
    pending = failPending(pending, 'a', '问诊已结束');
    pending = expirePending(pending, 60_000);
    expect(resendable(pending).map((p) => p.clientId)).toEqual(['b']);
    expect(restartPending(pending, ['a'], 1)[0]?.error).toBeUndefined();
  });
});

describe('chat helpers', () => {
  it('makes v4 UUIDs even where crypto.randomUUID is missing (plain http)', () => {
    const id = newClientId({ getRandomValues: crypto.getRandomValues.bind(crypto) });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newClientId({ getRandomValues: (a) => a, randomUUID: () => 'x' })).toBe('x');
  });
});

describe('work queue', () => {
  const c = (id: string, status: ConsultationSummary['status'], extra: Partial<ConsultationSummary> = {}) =>
    ({
      id,
      status,
      doctor: { id: 'd', name: 'D', practitionerType: 'psychiatrist' },
      counselling: false,
      isFollowUp: true,
      createdAt: '2025-01-01T00:00:00Z',
      acceptedAt: null,
      endedAt: null,
      lastSeq: 0,
      unread: 0,
      lastMessageAt: null,
      patient: { id: 'p', name: null, code: 'K7Q2MX', ageBand: null, sex: null },
      concernSummary: '',
      endedReason: null,
      followUpOf: null,
      ...extra,
    }) satisfies ConsultationSummary;

  it('groups by status: longest waiting first, latest activity first, recently ended first', () => {
    const q = groupQueue([
      c('r2', 'requested', { createdAt: '2025-01-01T02:00:00Z' }),
      c('r1', 'requested', { createdAt: '2025-01-01T01:00:00Z' }),
      c('a1', 'active', { lastMessageAt: '2025-01-01T01:00:00Z' }),
      c('a2', 'active', { lastMessageAt: '2025-01-01T03:00:00Z' }),
      c('e1', 'ended', { endedAt: '2025-01-01T01:00:00Z' }),
      c('d1', 'declined', { endedAt: '2025-01-01T05:00:00Z' }),
    ]);
    expect(q.requested.map((x) => x.id)).toEqual(['r1', 'r2']);
    expect(q.active.map((x) => x.id)).toEqual(['a2', 'a1']);
    expect(q.ended.map((x) => x.id)).toEqual(['d1', 'e1']);
  });

  it('CON-1: groups the doctor’s consultations by patient, most recent patient first, with unread and ongoing counts', () => {
    const groups = groupPatients([
      c('x1', 'ended', {
        patient: { id: 'p1', name: '小林', code: 'K7Q2MX', ageBand: null, sex: null },
        endedAt: '2025-01-01T01:00:00Z',
      }),
      c('y1', 'active', {
        patient: { id: 'p2', name: null, code: 'M3R8TW', ageBand: null, sex: null },
        lastMessageAt: '2025-01-02T00:00:00Z',
        unread: 2,
      }),
      c('x2', 'requested', {
        patient: { id: 'p1', name: '小林', code: 'K7Q2MX', ageBand: null, sex: null },
        createdAt: '2025-01-01T05:00:00Z',
        followUpOf: 'x1',
      }),
    ]);
    expect(groups.map((g) => g.patientId)).toEqual(['p2', 'p1']);
    expect(groups[1]).toMatchObject({ name: '小林', active: 1, unread: 0 });
    expect(groups[1]?.consultations.map((x) => x.id)).toEqual(['x2', 'x1']);
    expect(groups[0]).toMatchObject({ name: null, active: 1, unread: 2 });
    expect(groupPatients([])).toEqual([]);
  });

  it('counts waiting minutes', () => {
    expect(minutesSince('2025-01-01T00:00:00Z', Date.parse('2025-01-01T00:05:59Z'))).toBe(5);
    expect(minutesSince('2025-01-01T00:10:00Z', Date.parse('2025-01-01T00:05:00Z'))).toBe(0);
  });

  it('validates the concern like the server', () => {
    expect(isValidConcern('失眠')).toBe(true);
    expect(isValidConcern('a b')).toBe(false);
    expect(isValidConcern(' ')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  CALL_RULES,
  callDurationSeconds,
  canSignal,
  isRingOverdue,
  SIGNAL_LIMITS,
  startCall,
  takeToken,
  transition,
  type CallEvent,
  type CallSnapshot,
} from './call-machine.js';

/** A fake clock: time moves only when the test says so. */
function fakeClock(start = Date.UTC(2026, 5, 1, 2, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function apply(call: CallSnapshot, event: CallEvent, now: number): CallSnapshot {
  const r = transition(call, event, now);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.call;
}

const ringing = (clock: ReturnType<typeof fakeClock>, media: 'voice' | 'video' = 'video') =>
  apply(startCall({ media, now: clock.now(), busy: false }), { type: 'ring', by: 'callee' }, clock.now());

describe('call state machine (CON-2)', () => {
  it('CON-2: a new call invites, rings until the deadline, and a busy person is never rung', () => {
    const clock = fakeClock();
    const call = startCall({ media: 'voice', now: clock.now(), busy: false });
    expect(call).toMatchObject({ state: 'inviting', outcome: null, answeredAt: null });
    expect(call.ringDeadline - call.startedAt).toBe(CALL_RULES.ringMs);
    const busy = startCall({ media: 'video', now: clock.now(), busy: true });
    expect(busy).toMatchObject({ state: 'ended', outcome: 'busy', endedBy: 'system', endedAt: clock.now() });
    expect(callDurationSeconds(busy)).toBe(0);
  });

  it('CON-2: inviting → ringing when a device of the callee shows it; only the callee rings, and only once', () => {
    const clock = fakeClock();
    const call = startCall({ media: 'video', now: clock.now(), busy: false });
    expect(transition(call, { type: 'ring', by: 'caller' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_NOT_ALLOWED',
    });
    const r = apply(call, { type: 'ring', by: 'callee' }, clock.now());
    expect(r.state).toBe('ringing');
    expect(transition(r, { type: 'ring', by: 'callee' }, clock.now())).toMatchObject({ ok: true, changed: false });
  });

  it('CON-2: accept from inviting or ringing makes the call active and records the answer time; the caller cannot accept', () => {
    const clock = fakeClock();
    const invited = startCall({ media: 'voice', now: clock.now(), busy: false });
    clock.advance(3000);
    expect(apply(invited, { type: 'accept', by: 'callee' }, clock.now())).toMatchObject({
      state: 'active',
      answeredAt: clock.now(),
    });
    const r = ringing(clock);
    expect(transition(r, { type: 'accept', by: 'caller' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_NOT_ALLOWED',
    });
    const active = apply(r, { type: 'accept', by: 'callee' }, clock.now());
    expect(transition(active, { type: 'accept', by: 'callee' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_STATE',
    });
  });

  it('CON-2: decline with a reason ends the call as declined; only the callee declines, and only while it rings', () => {
    const clock = fakeClock();
    const r = ringing(clock);
    expect(transition(r, { type: 'decline', by: 'caller' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_NOT_ALLOWED',
    });
    clock.advance(5000);
    const d = apply(r, { type: 'decline', by: 'callee', reason: 'text_instead' }, clock.now());
    expect(d).toMatchObject({
      state: 'ended',
      outcome: 'declined',
      declineReason: 'text_instead',
      endedBy: 'callee',
      endedAt: clock.now(),
    });
    const active = apply(ringing(clock), { type: 'accept', by: 'callee' }, clock.now());
    expect(transition(active, { type: 'decline', by: 'callee' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_STATE',
    });
  });

  it('CON-2: the caller cancels a ringing call (cancelled); the callee cannot cancel, an active call cannot be cancelled', () => {
    const clock = fakeClock();
    const r = ringing(clock);
    expect(transition(r, { type: 'cancel', by: 'callee' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_NOT_ALLOWED',
    });
    expect(apply(r, { type: 'cancel', by: 'caller' }, clock.now())).toMatchObject({
      outcome: 'cancelled',
      endedBy: 'caller',
    });
    const active = apply(ringing(clock), { type: 'accept', by: 'callee' }, clock.now());
    expect(transition(active, { type: 'cancel', by: 'caller' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_STATE',
    });
  });

  it('CON-2: hanging up while it rings is a cancel (caller) or a decline (callee); a failed hangup is failed', () => {
    const clock = fakeClock();
    expect(apply(ringing(clock), { type: 'hangup', by: 'caller' }, clock.now()).outcome).toBe('cancelled');
    expect(apply(ringing(clock), { type: 'hangup', by: 'callee' }, clock.now())).toMatchObject({
      outcome: 'declined',
      declineReason: null,
    });
    expect(apply(ringing(clock), { type: 'hangup', by: 'callee', failed: true }, clock.now()).outcome).toBe('failed');
  });

  it('CON-2: hang up ends an active call as completed with its duration; either side may hang up; twice is harmless', () => {
    const clock = fakeClock();
    const active = apply(ringing(clock), { type: 'accept', by: 'callee' }, clock.now());
    clock.advance(125_400);
    const ended = apply(active, { type: 'hangup', by: 'callee' }, clock.now());
    expect(ended).toMatchObject({ state: 'ended', outcome: 'completed', endedBy: 'callee' });
    expect(callDurationSeconds(ended)).toBe(125);
    const again = transition(ended, { type: 'hangup', by: 'caller' }, clock.now() + 1000);
    expect(again).toEqual({ ok: true, call: ended, changed: false });
    expect(transition(ended, { type: 'accept', by: 'callee' }, clock.now())).toEqual({
      ok: false,
      error: 'CALL_STATE',
    });
    expect(apply(active, { type: 'hangup', by: 'caller', failed: true }, clock.now()).outcome).toBe('failed');
  });

  it('CON-2: no answer before the deadline → missed at the deadline; a timer that fires early changes nothing', () => {
    const clock = fakeClock();
    const r = ringing(clock);
    clock.advance(CALL_RULES.ringMs - 1);
    expect(isRingOverdue(r, clock.now())).toBe(false);
    expect(transition(r, { type: 'timeout' }, clock.now())).toEqual({ ok: false, error: 'CALL_NOT_DUE' });
    clock.advance(1);
    expect(isRingOverdue(r, clock.now())).toBe(true);
    clock.advance(10_000); // the sweep ran late (e.g. after a restart): the call still ended at its deadline
    const missed = apply(r, { type: 'timeout' }, clock.now());
    expect(missed).toMatchObject({ outcome: 'missed', endedBy: 'system', endedAt: r.ringDeadline });
    expect(callDurationSeconds(missed)).toBe(0);
  });

  it('CON-2: an accept that arrives after the deadline loses to the timeout: missed, not answered', () => {
    const clock = fakeClock();
    const r = ringing(clock);
    clock.advance(CALL_RULES.ringMs + 500);
    expect(apply(r, { type: 'accept', by: 'callee' }, clock.now())).toMatchObject({
      outcome: 'missed',
      answeredAt: null,
    });
  });

  it('CON-2: a timeout after the call was answered or ended changes nothing', () => {
    const clock = fakeClock();
    const active = apply(ringing(clock), { type: 'accept', by: 'callee' }, clock.now());
    clock.advance(CALL_RULES.ringMs * 2);
    expect(transition(active, { type: 'timeout' }, clock.now())).toEqual({ ok: true, call: active, changed: false });
    expect(isRingOverdue(active, clock.now())).toBe(false);
  });

  it('CON-2: a lost connection fails an active call, fails a ringing call when the caller is gone, and is ignored for a ringing callee', () => {
    const clock = fakeClock();
    const active = apply(ringing(clock), { type: 'accept', by: 'callee' }, clock.now());
    clock.advance(CALL_RULES.reconnectGraceMs);
    expect(apply(active, { type: 'lost', party: 'callee' }, clock.now())).toMatchObject({
      outcome: 'failed',
      endedBy: 'system',
    });
    expect(apply(ringing(clock), { type: 'lost', party: 'caller' }, clock.now()).outcome).toBe('failed');
    const r = ringing(clock);
    expect(transition(r, { type: 'lost', party: 'callee' }, clock.now())).toEqual({
      ok: true,
      call: r,
      changed: false,
    });
  });

  it('CON-2: when the consultation closes, an active call ends as completed and a ringing one as cancelled', () => {
    const clock = fakeClock();
    const active = apply(ringing(clock), { type: 'accept', by: 'callee' }, clock.now());
    clock.advance(60_000);
    const closed = apply(active, { type: 'close' }, clock.now());
    expect(closed).toMatchObject({ outcome: 'completed', endedBy: 'system' });
    expect(callDurationSeconds(closed)).toBe(60);
    expect(apply(ringing(clock), { type: 'close' }, clock.now()).outcome).toBe('cancelled');
    expect(transition(closed, { type: 'close' }, clock.now())).toMatchObject({ ok: true, changed: false });
  });

  it('CON-2: signals only while active: the caller offers, the callee answers and asks for ICE restarts, both send candidates', () => {
    const clock = fakeClock();
    const r = ringing(clock);
    expect(canSignal(r, 'caller', 'offer')).toBe('CALL_STATE');
    expect(canSignal(r, 'callee', 'candidate')).toBe('CALL_STATE');
    const active = apply(r, { type: 'accept', by: 'callee' }, clock.now());
    expect(canSignal(active, 'caller', 'offer')).toBeNull();
    expect(canSignal(active, 'callee', 'offer')).toBe('CALL_NOT_ALLOWED');
    expect(canSignal(active, 'callee', 'answer')).toBeNull();
    expect(canSignal(active, 'caller', 'answer')).toBe('CALL_NOT_ALLOWED');
    expect(canSignal(active, 'caller', 'candidate')).toBeNull();
    expect(canSignal(active, 'callee', 'candidate')).toBeNull();
    expect(canSignal(active, 'callee', 'restart')).toBeNull();
    expect(canSignal(active, 'caller', 'restart')).toBe('CALL_NOT_ALLOWED');
    expect(canSignal(active, 'caller', 'resume')).toBeNull();
    const ended = apply(active, { type: 'hangup', by: 'caller' }, clock.now());
    expect(canSignal(ended, 'caller', 'candidate')).toBe('CALL_STATE');
  });

  it('SEC-1: signalling is rate limited per connection and invitations per person (token buckets)', () => {
    const clock = fakeClock();
    let bucket;
    let allowed = 0;
    for (let i = 0; i < 10; i++) {
      const r = takeToken(bucket, clock.now(), SIGNAL_LIMITS.invite);
      bucket = r.bucket;
      if (r.allowed) allowed++;
      else expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(allowed).toBe(SIGNAL_LIMITS.invite.capacity);
    clock.advance(12_000);
    expect(takeToken(bucket, clock.now(), SIGNAL_LIMITS.invite).allowed).toBe(true);
    let b;
    let sent = 0;
    for (let i = 0; i < 500; i++) {
      const r = takeToken(b, clock.now(), SIGNAL_LIMITS.signal);
      b = r.bucket;
      if (r.allowed) sent++;
    }
    expect(sent).toBe(SIGNAL_LIMITS.signal.capacity);
    clock.advance(1000);
    expect(takeToken(b, clock.now(), SIGNAL_LIMITS.signal).allowed).toBe(true);
  });
});

/**
 * The life of one voice or video call (CON-2), as a pure state machine: the server feeds it the stored call and an
 * event with the time, and stores what comes back. No I/O and no clock of its own, so every transition and every
 * timeout is tested with plain numbers.
 *
 *   inviting ──ring──▶ ringing
 *      │                 │
 *      ├──accept─────────┼──▶ active ──hangup──▶ ended(completed)
 *      │                 │       └──hangup(failed) / lost──▶ ended(failed)
 *      ├──decline────────┴──▶ ended(declined)
 *      ├──cancel / caller hangs up──▶ ended(cancelled)
 *      ├──timeout (ring deadline passed)──▶ ended(missed)
 *      └──caller lost──▶ ended(failed)
 *   the consultation closes (close): active ──▶ ended(completed), ringing ──▶ ended(cancelled)
 *
 * A call to someone already in a call never rings: it is stored at once as ended(busy).
 * Offers, answers, ICE candidates and ICE restarts change nothing; they are only allowed while the call is active,
 * and only in the direction the protocol needs (the caller offers, the callee answers).
 */

export const CALL_MEDIA = ['voice', 'video'] as const;
export type CallMedia = (typeof CALL_MEDIA)[number];

export const CALL_STATES = ['inviting', 'ringing', 'active', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];

export const CALL_OUTCOMES = ['completed', 'declined', 'missed', 'failed', 'cancelled', 'busy'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Why the callee declined: a fixed list, so no free text (and nothing personal) is stored with a call. */
export const DECLINE_REASONS = ['busy_now', 'call_later', 'text_instead', 'device_unavailable'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export type CallParty = 'caller' | 'callee';
export type EndedBy = CallParty | 'system';

export const CALL_RULES = {
  /** How long an unanswered call rings before it counts as missed. */
  ringMs: 45_000,
  /** How long a participant whose connection dropped mid-call may take to come back before the call fails. */
  reconnectGraceMs: 30_000,
  /** Session descriptions are relayed, never stored; anything longer than this is refused with a clear error. */
  maxSdpChars: 12_000,
  /** One ICE candidate line. */
  maxCandidateChars: 1_024,
} as const;

/** Times are epoch milliseconds. */
export interface CallSnapshot {
  state: CallState;
  media: CallMedia;
  startedAt: number;
  ringDeadline: number;
  answeredAt: number | null;
  endedAt: number | null;
  outcome: CallOutcome | null;
  declineReason: DeclineReason | null;
  endedBy: EndedBy | null;
}

export type CallEvent =
  /** A device of the callee shows the incoming call. */
  | { type: 'ring'; by: CallParty }
  | { type: 'accept'; by: CallParty }
  | { type: 'decline'; by: CallParty; reason?: DeclineReason | null }
  | { type: 'cancel'; by: CallParty }
  /** End the call; `failed` when a client gives up (no connection could be made, devices lost). */
  | { type: 'hangup'; by: CallParty; failed?: boolean }
  /** The ring deadline passed (sent by the server's timer or sweep). */
  | { type: 'timeout' }
  /** A participant's connection dropped and did not come back within the grace period. */
  | { type: 'lost'; party: CallParty }
  /** The consultation stopped being active (ended by the doctor): its call ends with it. */
  | { type: 'close' };

export type SignalKind = 'offer' | 'answer' | 'candidate' | 'restart' | 'resume';

export type CallError =
  /** The event does not apply in the call's current state (e.g. accepting an ended call). */
  | 'CALL_STATE'
  /** The event is not this participant's to send (e.g. the caller accepting their own call). */
  | 'CALL_NOT_ALLOWED'
  /** A timeout that came too early (a timer fired before the deadline, e.g. after a clock change). */
  | 'CALL_NOT_DUE';

export type Transition = { ok: true; call: CallSnapshot; changed: boolean } | { ok: false; error: CallError };

const isRinging = (s: CallState) => s === 'inviting' || s === 'ringing';

/** A new call. `busy` when either person is already in a call that has not ended: then it never rings. */
export function startCall(opts: { media: CallMedia; now: number; busy: boolean; ringMs?: number }): CallSnapshot {
  const base: CallSnapshot = {
    state: 'inviting',
    media: opts.media,
    startedAt: opts.now,
    ringDeadline: opts.now + (opts.ringMs ?? CALL_RULES.ringMs),
    answeredAt: null,
    endedAt: null,
    outcome: null,
    declineReason: null,
    endedBy: null,
  };
  return opts.busy ? end(base, 'busy', 'system', opts.now) : base;
}

function end(call: CallSnapshot, outcome: CallOutcome, by: EndedBy, now: number, reason?: DeclineReason | null) {
  return {
    ...call,
    state: 'ended' as const,
    outcome,
    endedBy: by,
    endedAt: Math.max(now, call.startedAt),
    declineReason: reason ?? null,
  };
}

const ok = (call: CallSnapshot, changed = true): Transition => ({ ok: true, call, changed });
const fail = (error: CallError): Transition => ({ ok: false, error });

export function transition(call: CallSnapshot, event: CallEvent, now: number): Transition {
  if (call.state === 'ended') {
    // Ending twice is harmless (both sides hang up at once, a timer fires after a hangup): nothing changes.
    if (['hangup', 'cancel', 'timeout', 'lost', 'close'].includes(event.type)) return ok(call, false);
    return fail('CALL_STATE');
  }
  switch (event.type) {
    case 'ring':
      if (event.by !== 'callee') return fail('CALL_NOT_ALLOWED');
      if (call.state === 'inviting') return ok({ ...call, state: 'ringing' });
      if (call.state === 'ringing') return ok(call, false);
      return fail('CALL_STATE');
    case 'accept':
      if (event.by !== 'callee') return fail('CALL_NOT_ALLOWED');
      if (!isRinging(call.state)) return fail('CALL_STATE');
      // Accepting after the deadline loses the race with the timeout: the call is missed.
      if (now >= call.ringDeadline) return ok(end(call, 'missed', 'system', call.ringDeadline));
      return ok({ ...call, state: 'active', answeredAt: now });
    case 'decline':
      if (event.by !== 'callee') return fail('CALL_NOT_ALLOWED');
      if (!isRinging(call.state)) return fail('CALL_STATE');
      return ok(end(call, 'declined', 'callee', now, event.reason ?? null));
    case 'cancel':
      if (event.by !== 'caller') return fail('CALL_NOT_ALLOWED');
      if (!isRinging(call.state)) return fail('CALL_STATE');
      return ok(end(call, 'cancelled', 'caller', now));
    case 'hangup':
      if (isRinging(call.state)) {
        if (event.failed) return ok(end(call, 'failed', event.by, now));
        return ok(event.by === 'caller' ? end(call, 'cancelled', 'caller', now) : end(call, 'declined', 'callee', now));
      }
      return ok(end(call, event.failed ? 'failed' : 'completed', event.by, now));
    case 'timeout':
      if (!isRinging(call.state)) return ok(call, false);
      if (now < call.ringDeadline) return fail('CALL_NOT_DUE');
      return ok(end(call, 'missed', 'system', call.ringDeadline));
    case 'lost':
      if (call.state === 'active') return ok(end(call, 'failed', 'system', now));
      // While ringing only the caller is bound to a device: when it is gone nobody can answer the callee's accept.
      if (event.party === 'caller') return ok(end(call, 'failed', 'system', now));
      return ok(call, false);
    case 'close':
      return ok(end(call, call.state === 'active' ? 'completed' : 'cancelled', 'system', now));
  }
}

/** Whether a participant may relay this signal now. */
export function canSignal(
  call: CallSnapshot,
  party: CallParty,
  kind: SignalKind,
): 'CALL_STATE' | 'CALL_NOT_ALLOWED' | null {
  if (call.state !== 'active') return 'CALL_STATE';
  // The caller makes every offer (the first and each ICE restart); the callee answers and may ask for a restart.
  if (kind === 'offer' && party !== 'caller') return 'CALL_NOT_ALLOWED';
  if ((kind === 'answer' || kind === 'restart') && party !== 'callee') return 'CALL_NOT_ALLOWED';
  return null;
}

/** Seconds between answer and end (0 for a call that was never answered). */
export function callDurationSeconds(call: Pick<CallSnapshot, 'answeredAt' | 'endedAt'>): number {
  if (call.answeredAt === null || call.endedAt === null) return 0;
  return Math.max(0, Math.round((call.endedAt - call.answeredAt) / 1000));
}

/** Calls whose ring deadline has passed, for the server's sweep (e.g. after a restart). */
export function isRingOverdue(call: Pick<CallSnapshot, 'state' | 'ringDeadline'>, now: number): boolean {
  return isRinging(call.state) && now >= call.ringDeadline;
}

/**
 * A token bucket for signalling frames: `capacity` at once, refilled at `perSecond`. Pure: the caller keeps the
 * state and passes the time in.
 */
export interface Bucket {
  tokens: number;
  at: number;
}
export function takeToken(
  bucket: Bucket | undefined,
  now: number,
  limit: { capacity: number; perSecond: number },
): { allowed: boolean; bucket: Bucket; retryAfterSeconds: number } {
  const prev = bucket ?? { tokens: limit.capacity, at: now };
  const tokens = Math.min(limit.capacity, prev.tokens + ((now - prev.at) / 1000) * limit.perSecond);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, at: now }, retryAfterSeconds: 0 };
  return {
    allowed: false,
    bucket: { tokens, at: now },
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)),
  };
}

export const SIGNAL_LIMITS = {
  /** Invitations per person: a few attempts, not a ringing storm. */
  invite: { capacity: 5, perSecond: 1 / 12 },
  /** Every other call frame per connection: ICE gathering sends bursts of candidates. */
  signal: { capacity: 120, perSecond: 20 },
} as const;

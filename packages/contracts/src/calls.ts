import Type from 'typebox';

/**
 * Voice and video calls (CON-2). Signalling travels over the WebSocket (`/api/ws`) as the `call.*` frames below;
 * audio and video go directly between the two browsers (or through the TURN relay), encrypted by DTLS-SRTP, and
 * never reach the server. Session descriptions and ICE candidates are relayed to the other participant and never
 * stored. Only call metadata is kept (see CallRecord).
 */
export const CallMedia = Type.Union([Type.Literal('voice'), Type.Literal('video')]);
export type CallMedia = Type.Static<typeof CallMedia>;

export const CallOutcome = Type.Union([
  Type.Literal('completed'),
  Type.Literal('declined'),
  Type.Literal('missed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
  Type.Literal('busy'),
]);
export type CallOutcome = Type.Static<typeof CallOutcome>;

export const DeclineReason = Type.Union([
  Type.Literal('busy_now'),
  Type.Literal('call_later'),
  Type.Literal('text_instead'),
  Type.Literal('device_unavailable'),
]);
export type DeclineReason = Type.Static<typeof DeclineReason>;

const callId = Type.String({ format: 'uuid' });
/** The server refuses anything longer with a clear `call.error` (CALL_SIGNAL_TOO_LARGE); a frame is at most 16 kB. */
const sdp = Type.String({ minLength: 1, maxLength: 16_000 });

export const CallClientFrame = Type.Union([
  /** Call the other participant of an active consultation. Answered by `call.created` (or `call.ended` busy). */
  Type.Object({
    type: Type.Literal('call.invite'),
    consultationId: Type.String({ format: 'uuid' }),
    media: CallMedia,
  }),
  /** A device of the callee is showing the incoming call. */
  Type.Object({ type: Type.Literal('call.ringing'), callId }),
  Type.Object({ type: Type.Literal('call.accept'), callId }),
  Type.Object({ type: Type.Literal('call.decline'), callId, reason: Type.Optional(DeclineReason) }),
  Type.Object({ type: Type.Literal('call.cancel'), callId }),
  /** End the call; `failed` when no connection could be made or kept. */
  Type.Object({ type: Type.Literal('call.hangup'), callId, failed: Type.Optional(Type.Boolean()) }),
  /** The caller's offer (also every ICE restart). */
  Type.Object({ type: Type.Literal('call.offer'), callId, sdp, restart: Type.Optional(Type.Boolean()) }),
  Type.Object({ type: Type.Literal('call.answer'), callId, sdp }),
  /** One trickled ICE candidate; an empty `candidate` marks the end of gathering. */
  Type.Object({
    type: Type.Literal('call.candidate'),
    callId,
    candidate: Type.String({ maxLength: 4096 }),
    sdpMid: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
    sdpMLineIndex: Type.Union([Type.Integer({ minimum: 0, maximum: 64 }), Type.Null()]),
  }),
  /** The callee asks the caller for an ICE restart (network changed, connection failed). */
  Type.Object({ type: Type.Literal('call.restart'), callId }),
  /** After the socket reconnected: "this connection carries my side of the call again". */
  Type.Object({ type: Type.Literal('call.resume'), callId }),
]);
/** The same frames, to join the WebSocket's ClientFrame union. */
export const CallClientFrames = CallClientFrame.anyOf;
export type CallClientFrame = Type.Static<typeof CallClientFrame>;

export const IceServer = Type.Object({
  urls: Type.Array(Type.String()),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});
/** What a participant's RTCPeerConnection is configured with: short-lived TURN credentials for this call only. */
export const IceConfig = Type.Object({
  iceServers: Type.Array(IceServer),
  iceTransportPolicy: Type.Union([Type.Literal('all'), Type.Literal('relay')]),
  /** When the TURN credentials stop working (ISO time); null without TURN. */
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});
export type IceConfig = Type.Static<typeof IceConfig>;

export type CallParty = 'caller' | 'callee';

export type CallServerFrame =
  /** To the device that called: the call exists and rings until `ringDeadline`. */
  | { type: 'call.created'; callId: string; consultationId: string; media: CallMedia; ringDeadline: string }
  /** To every device of the callee. No names: the app shows the consultation it belongs to. */
  | {
      type: 'call.incoming';
      callId: string;
      consultationId: string;
      media: CallMedia;
      callerRole: 'doctor' | 'patient';
      ringDeadline: string;
    }
  | { type: 'call.ringing'; callId: string }
  /** To the caller's device and to the device that answered. */
  | {
      type: 'call.accepted';
      callId: string;
      consultationId: string;
      media: CallMedia;
      role: CallParty;
      ice: IceConfig;
    }
  /** To the callee's other devices: answered elsewhere, stop ringing. */
  | { type: 'call.taken'; callId: string }
  | { type: 'call.offer'; callId: string; sdp: string; restart: boolean }
  | { type: 'call.answer'; callId: string; sdp: string }
  | { type: 'call.candidate'; callId: string; candidate: string; sdpMid: string | null; sdpMLineIndex: number | null }
  /** To the caller: the callee asks for an ICE restart. */
  | { type: 'call.restart'; callId: string }
  /** The other participant is back after a reconnect (the caller then restarts ICE). */
  | { type: 'call.resumed'; callId: string; party: CallParty; ice?: IceConfig }
  | {
      type: 'call.ended';
      callId: string;
      consultationId: string;
      outcome: CallOutcome;
      declineReason: DeclineReason | null;
      endedBy: CallParty | 'system' | null;
      durationSeconds: number;
    }
  | {
      type: 'call.error';
      code: string;
      message: string;
      callId?: string;
      consultationId?: string;
      retryAfterSeconds?: number;
    };

/** One call in a consultation's timeline: metadata only. */
export const CallRecord = Type.Object({
  id: Type.String(),
  media: CallMedia,
  callerId: Type.String(),
  calleeId: Type.String(),
  callerRole: Type.Union([Type.Literal('doctor'), Type.Literal('patient')]),
  state: Type.Union([Type.Literal('inviting'), Type.Literal('ringing'), Type.Literal('active'), Type.Literal('ended')]),
  outcome: Type.Union([CallOutcome, Type.Null()]),
  declineReason: Type.Union([DeclineReason, Type.Null()]),
  startedAt: Type.String(),
  answeredAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  durationSeconds: Type.Integer(),
});
export type CallRecord = Type.Static<typeof CallRecord>;

export const CallList = Type.Object({ calls: Type.Array(CallRecord) });
export type CallList = Type.Static<typeof CallList>;

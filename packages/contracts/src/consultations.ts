import Type from 'typebox';
import { AgeBand, Sex } from './auth.js';
import { PractitionerType } from './onboarding.js';

export const ConsultationStatus = Type.Union([
  Type.Literal('requested'),
  Type.Literal('active'),
  Type.Literal('declined'),
  Type.Literal('ended'),
]);
export type ConsultationStatus = Type.Static<typeof ConsultationStatus>;

/** A patient asks an approved doctor for a consultation (CON-1). */
export const RequestConsultationBody = Type.Object(
  {
    doctorId: Type.String({ format: 'uuid' }),
    /** A short description of the concern, in the patient's words. */
    concern: Type.String({ minLength: 2, maxLength: 1000, pattern: '\\S\\S' }),
    /** Internet consultations with physicians are for follow-ups of an existing diagnosis. */
    isFollowUp: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RequestConsultationBody = Type.Static<typeof RequestConsultationBody>;

export const DeclineBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500, pattern: '\\S\\S' }) });

export const ConsultationSummary = Type.Object({
  id: Type.String(),
  status: ConsultationStatus,
  doctor: Type.Object({ id: Type.String(), name: Type.String(), practitionerType: PractitionerType }),
  /** Counsellors' consultations are counselling, not diagnosis or treatment. */
  counselling: Type.Boolean(),
  isFollowUp: Type.Boolean(),
  createdAt: Type.String(),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  lastSeq: Type.Integer(),
  /** Messages from the other side I have not read. */
  unread: Type.Integer(),
  lastMessageAt: Type.Union([Type.String(), Type.Null()]),
  /**
   * The patient as their doctor sees them (the fields are null for the patient themself): `name` is the display
   * name they chose, `code` a stable case code for this doctor and patient (shown when there is no name; derived
   * from the two random ids, so it says nothing about who the patient is), `ageBand` and `sex` only if the patient
   * chose to share them.
   */
  patient: Type.Object({
    id: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    code: Type.String(),
    ageBand: Type.Union([AgeBand, Type.Null()]),
    sex: Type.Union([Sex, Type.Null()]),
  }),
  /** The start of the patient's description given with the request (the full text is in the detail). */
  concernSummary: Type.String(),
  /** Who ended it: the doctor, or the platform after the configured quiet period. */
  endedReason: Type.Union([Type.Literal('doctor'), Type.Literal('idle'), Type.Literal('account_closed'), Type.Null()]),
  /** The consultation this one follows up, if any. */
  followUpOf: Type.Union([Type.String(), Type.Null()]),
});
export type ConsultationSummary = Type.Static<typeof ConsultationSummary>;

export const ConsultationDetail = Type.Intersect([
  ConsultationSummary,
  Type.Object({
    concern: Type.String(),
    declineReason: Type.Union([Type.String(), Type.Null()]),
    /** The highest sequence number the other side has read (read receipts). */
    otherReadSeq: Type.Integer(),
  }),
]);
export type ConsultationDetail = Type.Static<typeof ConsultationDetail>;

export const ConsultationList = Type.Object({ consultations: Type.Array(ConsultationSummary) });
export type ConsultationList = Type.Static<typeof ConsultationList>;

export const SendMessageBody = Type.Object(
  {
    /** Chosen by the client once per message; resending the same id never creates a second message. */
    clientId: Type.String({ format: 'uuid' }),
    kind: Type.Literal('text'),
    text: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Type.Static<typeof SendMessageBody>;

/** The kinds of message with a file; with text, every kind of message (defined here once, used everywhere). */
export const MediaKind = Type.Union([Type.Literal('image'), Type.Literal('voice')]);
export type MediaKind = Type.Static<typeof MediaKind>;
export const MessageKind = Type.Union([Type.Literal('text'), ...MediaKind.anyOf]);
export type MessageKind = Type.Static<typeof MessageKind>;

/** The file of an image or voice-note message; fetched from /api/consultations/:id/messages/:seq/media/:variant. */
export const MessageMedia = Type.Object({
  contentType: Type.String(),
  byteSize: Type.Integer(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
});
export type MessageMedia = Type.Static<typeof MessageMedia>;

export const Message = Type.Object({
  seq: Type.Integer(),
  clientId: Type.String(),
  senderId: Type.String(),
  kind: MessageKind,
  /** The text of a text message; empty for images and voice notes. */
  text: Type.String(),
  media: Type.Union([MessageMedia, Type.Null()]),
  createdAt: Type.String(),
});
export type Message = Type.Static<typeof Message>;

/** Sent only after the message is committed: from then on it is never lost. */
export const MessageAck = Type.Object({
  seq: Type.Integer(),
  clientId: Type.String(),
  createdAt: Type.String(),
  duplicate: Type.Boolean(),
});
export type MessageAck = Type.Static<typeof MessageAck>;

export const MessagePage = Type.Object({ messages: Type.Array(Message), lastSeq: Type.Integer() });
export type MessagePage = Type.Static<typeof MessagePage>;

export const ReadBody = Type.Object({ seq: Type.Integer({ minimum: 0 }) });

/** Image and voice-note messages: the raw file is the request body; these go in the query string. */
export const MAX_VOICE_NOTE_MS = 60_000;
export const MediaMessageQuery = Type.Object(
  {
    clientId: Type.String({ format: 'uuid' }),
    kind: MediaKind,
    /** Length of a voice note as recorded, at most 60 s. */
    durationMs: Type.Optional(Type.Integer({ minimum: 300, maximum: MAX_VOICE_NOTE_MS })),
  },
  { additionalProperties: false },
);
export type MediaMessageQuery = Type.Static<typeof MediaMessageQuery>;
export const MediaVariant = Type.Union([Type.Literal('full'), Type.Literal('thumb'), Type.Literal('audio')]);
export type MediaVariant = Type.Static<typeof MediaVariant>;

/** A follow-up of an ended consultation, with the same doctor. */
export const FollowUpBody = Type.Object(
  { concern: Type.String({ minLength: 2, maxLength: 1000, pattern: '\\S\\S' }) },
  { additionalProperties: false },
);
export type FollowUpBody = Type.Static<typeof FollowUpBody>;

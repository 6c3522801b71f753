import Type from 'typebox';
import { Bilingual } from './onboarding.js';

/** CON-4: crisis signals in consultations. See docs/decisions/0008-crisis-signals.md. */
export const CrisisSeverity = Type.Union([Type.Literal('acute'), Type.Literal('concern')]);
export type CrisisSeverity = Type.Static<typeof CrisisSeverity>;

/** open → acknowledged (by the doctor) → closed (by support, with a note). */
export const EscalationStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('closed'),
]);
export type EscalationStatus = Type.Static<typeof EscalationStatus>;

/** A phone line to reach help now. */
export const CrisisResource = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('hotline'), Type.Literal('emergency'), Type.Literal('local')]),
  name: Bilingual,
  /** As shown, e.g. "12356" or "010-82951332". */
  phone: Type.String(),
  /** For a `tel:` link: digits and a leading + only. */
  tel: Type.String(),
  note: Type.Union([Bilingual, Type.Null()]),
});
export type CrisisResource = Type.Static<typeof CrisisResource>;

/** The open (or acknowledged) escalation of a consultation, as its doctor sees it: no message text. */
export const DoctorEscalation = Type.Object({
  id: Type.String(),
  status: EscalationStatus,
  severity: CrisisSeverity,
  /** The first and the latest message with a signal. */
  firstSeq: Type.Integer(),
  lastSeq: Type.Integer(),
  hitCount: Type.Integer(),
  openedAt: Type.String(),
  lastSignalAt: Type.String(),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  /** When the doctor handed it over to support as they ended the consultation. */
  handedOverAt: Type.Union([Type.String(), Type.Null()]),
});
export type DoctorEscalation = Type.Static<typeof DoctorEscalation>;

/**
 * `GET /api/consultations/:id/crisis`. The doctor gets the protocol, the resources and the escalation; the
 * patient gets the resources only (`protocol` and `escalation` are always null for the patient, whatever happened).
 */
export const CrisisView = Type.Object({
  audience: Type.Union([Type.Literal('doctor'), Type.Literal('patient')]),
  resources: Type.Array(CrisisResource),
  protocol: Type.Union([Type.Array(Bilingual), Type.Null()]),
  escalation: Type.Union([DoctorEscalation, Type.Null()]),
});
export type CrisisView = Type.Static<typeof CrisisView>;

export const EscalationFilter = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('closed'),
  Type.Literal('all'),
]);
export type EscalationFilter = Type.Static<typeof EscalationFilter>;

/** Staff console (support): one escalation, without any message text. */
export const EscalationItem = Type.Object({
  id: Type.String(),
  consultationId: Type.String(),
  status: EscalationStatus,
  severity: CrisisSeverity,
  categories: Type.Array(Type.String()),
  hitCount: Type.Integer(),
  firstSeq: Type.Integer(),
  lastSeq: Type.Integer(),
  openedAt: Type.String(),
  lastSignalAt: Type.String(),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  doctor: Type.Object({ id: Type.String(), name: Type.String() }),
  /** The doctor ended the consultation and handed this over to support, with a note for them. */
  handover: Type.Union([Type.Object({ at: Type.String(), note: Type.String() }), Type.Null()]),
});
export type EscalationItem = Type.Static<typeof EscalationItem>;

export const EscalationList = Type.Object({ items: Type.Array(EscalationItem) });
export type EscalationList = Type.Static<typeof EscalationList>;

export const EscalationDetail = Type.Intersect([
  EscalationItem,
  Type.Object({
    consultationStatus: Type.String(),
    ruleIds: Type.Array(Type.String()),
    /** Each message with a signal: its sequence number, when, what kind of signal (never its text). */
    hits: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        at: Type.String(),
        severity: CrisisSeverity,
        categories: Type.Array(Type.String()),
        ruleIds: Type.Array(Type.String()),
      }),
    ),
    acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
    closedBy: Type.Union([Type.String(), Type.Null()]),
    closeNote: Type.Union([Type.String(), Type.Null()]),
  }),
]);
export type EscalationDetail = Type.Static<typeof EscalationDetail>;

/** A note by support (closing) or by the doctor (handing over): at least two characters that are not spaces. */
const NOTE = Type.String({ minLength: 2, maxLength: 1000, pattern: '\\S\\S' });

export const CloseEscalationBody = Type.Object({ note: NOTE }, { additionalProperties: false });
export type CloseEscalationBody = Type.Static<typeof CloseEscalationBody>;

/**
 * The doctor's second step when ending a consultation whose crisis alert they have not acknowledged (CON-4): either
 * acknowledge it, or hand it over to platform support with a note. It names the escalation and the latest message
 * with a signal that the doctor was shown: if more arrived since, the server asks again.
 */
// The hand-over comes first: the validator strips unknown properties while it tries each branch, and only the
// branch with the most properties strips nothing the other needs.
export const EndCrisisResolution = Type.Union([
  Type.Object(
    {
      action: Type.Literal('hand_over'),
      escalationId: Type.String({ format: 'uuid' }),
      lastSeq: Type.Integer(),
      note: NOTE,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { action: Type.Literal('acknowledge'), escalationId: Type.String({ format: 'uuid' }), lastSeq: Type.Integer() },
    { additionalProperties: false },
  ),
]);
export type EndCrisisResolution = Type.Static<typeof EndCrisisResolution>;

/**
 * `POST /api/consultations/:id/end`. Without `crisis`, a consultation with an open, unacknowledged escalation is
 * refused (409 CONSULTATION_CRISIS_UNACKNOWLEDGED); `crisis` is ignored when nothing waits for acknowledgement.
 */
export const EndConsultationBody = Type.Object(
  { crisis: Type.Optional(EndCrisisResolution) },
  { additionalProperties: false },
);
export type EndConsultationBody = Type.Static<typeof EndConsultationBody>;

/**
 * The national lines, in the order someone in danger needs them (CON-4). Built into the apps as well as served, so
 * help never depends on the network; the operator's local lines (configured) follow the hotline.
 */
export const NATIONAL_CRISIS_LINES: readonly CrisisResource[] = [
  {
    id: 'cn.hotline.12356',
    kind: 'hotline',
    name: { zh: '全国心理援助热线', en: 'National mental-health hotline' },
    phone: '12356',
    tel: '12356',
    note: {
      zh: '由专业人员接听，可以倾诉，也可以询问怎么办。',
      en: 'Answered by trained staff: you can talk, or ask what to do next.',
    },
  },
  {
    id: 'cn.emergency.120',
    kind: 'emergency',
    name: { zh: '急救电话', en: 'Ambulance (medical emergency)' },
    phone: '120',
    tel: '120',
    note: {
      zh: '已经服药过量、受伤或身体出现危险时拨打。',
      en: 'Call if someone has taken an overdose, is injured or is in physical danger.',
    },
  },
  {
    id: 'cn.emergency.110',
    kind: 'emergency',
    name: { zh: '报警电话', en: 'Police (immediate danger)' },
    phone: '110',
    tel: '110',
    note: {
      zh: '生命正受到即刻威胁、需要有人马上赶到时拨打。',
      en: 'Call when a life is in immediate danger and someone needs to get there now.',
    },
  },
];

import Type from 'typebox';
import { AppKind } from './common.js';
import { OperatorContact } from './policy.js';

/**
 * Data-subject rights (issue 11): requests a doctor or patient makes about their own data, what the privacy officer
 * does with them, and what the person is told. Dates are ISO; `dueOn` is a calendar date (Asia/Shanghai).
 */

/** export: a copy of my data (RIG-1); correction (RIG-2); erasure of specific data (RIG-3); cancellation of the
 * account (RIG-5); explanation: why an automated decision was made, and a person's review of it (RIG-6). */
export const RightsRequestKind = Type.Union([
  Type.Literal('export'),
  Type.Literal('correction'),
  Type.Literal('erasure'),
  Type.Literal('cancellation'),
  Type.Literal('explanation'),
]);
export type RightsRequestKind = Type.Static<typeof RightsRequestKind>;

export const RightsRequestStatus = Type.Union([
  /** Accepted (verified), waiting for the privacy officer or its job. */
  Type.Literal('received'),
  /** Being worked on (an export building, a cancellation running). */
  Type.Literal('in_progress'),
  Type.Literal('completed'),
  Type.Literal('refused'),
  Type.Literal('withdrawn'),
]);
export type RightsRequestStatus = Type.Static<typeof RightsRequestStatus>;

/** The only grounds a request may be refused on (RIG-7, PIPL art. 18 and 35), chosen from this list. */
export const REFUSAL_GROUNDS = [
  'national_security',
  'public_interest',
  'criminal_investigation',
  'malice_or_abuse',
  'harm_to_others',
] as const;
export const RefusalGround = Type.Union([
  Type.Literal('national_security'),
  Type.Literal('public_interest'),
  Type.Literal('criminal_investigation'),
  Type.Literal('malice_or_abuse'),
  Type.Literal('harm_to_others'),
]);
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** The automated decisions a person can ask to have explained and reviewed by a person (RIG-6). */
export const ExplainableDecision = Type.Union([Type.Literal('onboarding_precheck'), Type.Literal('crisis_flag')]);
export type ExplainableDecision = Type.Static<typeof ExplainableDecision>;

/** What an erasure request may ask to delete while the account stays (RIG-3). */
export const ERASURE_SCOPES = ['sign_in_history', 'push_devices', 'notices', 'other'] as const;
export const ErasureScope = Type.Union([
  Type.Literal('sign_in_history'),
  Type.Literal('push_devices'),
  Type.Literal('notices'),
  Type.Literal('other'),
]);
export type ErasureScope = (typeof ERASURE_SCOPES)[number];

export const ExportState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('building'),
  Type.Literal('ready'),
  Type.Literal('downloaded'),
  Type.Literal('expired'),
  Type.Literal('failed'),
]);
export type ExportState = Type.Static<typeof ExportState>;

export const ExportStatus = Type.Object({
  state: ExportState,
  /** 0–100 while building. */
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  /** After this the download link no longer works and the file is deleted. */
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ExportStatus = Type.Static<typeof ExportStatus>;

/** A request as the person who made it sees it. */
export const RightsRequest = Type.Object({
  id: Type.String(),
  kind: RightsRequestKind,
  status: RightsRequestStatus,
  receivedAt: Type.String({ format: 'date-time' }),
  /** The legal deadline: 30 days for a reply; 5 working days for a cancellation. */
  dueOn: Type.String({ format: 'date' }),
  /** The due date was counted for a year whose holiday notice we do not have yet: it may come earlier, never later. */
  dueProvisional: Type.Boolean(),
  /** What the person wrote (the correction wanted, what to delete, what to explain). */
  details: Type.Union([Type.String(), Type.Null()]),
  erasureScope: Type.Union([ErasureScope, Type.Null()]),
  decision: Type.Union([ExplainableDecision, Type.Null()]),
  /** The privacy officer's answer to the person (an explanation, what was corrected). */
  response: Type.Union([Type.String(), Type.Null()]),
  refusal: Type.Union([Type.Object({ ground: RefusalGround, reason: Type.String() }), Type.Null()]),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  export: Type.Union([ExportStatus, Type.Null()]),
  /** Erasure and cancellation: a deletion certificate can be downloaded. */
  certificateReady: Type.Boolean(),
});
export type RightsRequest = Type.Static<typeof RightsRequest>;

export const RightsRequestList = Type.Object({ requests: Type.Array(RightsRequest) });
export type RightsRequestList = Type.Static<typeof RightsRequestList>;

/** A fresh code to the account's own number before any request is accepted (step-up verification, RIG-7). */
export const StepUpCodeReply = Type.Object({
  resendAfterSeconds: Type.Integer(),
  expiresInSeconds: Type.Integer(),
  /** The number the code went to, masked (138****0000). */
  sentTo: Type.String(),
  devOutbox: Type.Boolean(),
});
export type StepUpCodeReply = Type.Static<typeof StepUpCodeReply>;

export const CreateRightsRequestBody = Type.Object(
  {
    kind: RightsRequestKind,
    /** The step-up code just sent to the account's number. */
    code: Type.String({ pattern: '^[0-9]{6}$' }),
    details: Type.Optional(Type.String({ maxLength: 2000 })),
    erasureScope: Type.Optional(ErasureScope),
    decision: Type.Optional(ExplainableDecision),
  },
  { additionalProperties: false },
);
export type CreateRightsRequestBody = Type.Static<typeof CreateRightsRequestBody>;

/** Created request; for a cancellation also the one link where its deletion certificate will be (keep it). */
export const CreatedRightsRequest = Type.Object({
  request: RightsRequest,
  certificateUrl: Type.Union([Type.String(), Type.Null()]),
});
export type CreatedRightsRequest = Type.Static<typeof CreatedRightsRequest>;

/** One category of what we hold about the person, in plain language (Me → 个人信息与隐私). */
export const HeldCategory = Type.Object({
  category: Type.String(),
  label: Type.String(),
  purposes: Type.Array(Type.String()),
  legalBasis: Type.Array(Type.String()),
  retention: Type.Array(Type.String()),
  recipients: Type.Array(Type.String()),
  sensitive: Type.Boolean(),
  /** How many items we hold for the person (rows), when it can be counted cheaply; null otherwise. */
  count: Type.Union([Type.Integer(), Type.Null()]),
});
export type HeldCategory = Type.Static<typeof HeldCategory>;

export const DataHeld = Type.Object({
  categories: Type.Array(HeldCategory),
  /** Third-party sign-in accounts bound to this account (empty until third-party sign-in exists). */
  boundAccounts: Type.Array(Type.Object({ provider: Type.String(), maskedId: Type.String(), boundAt: Type.String() })),
  /** What the person can correct directly in the app. */
  correctable: Type.Array(Type.String()),
  operator: OperatorContact,
});
export type DataHeld = Type.Static<typeof DataHeld>;

/** What cancellation will do, shown before the person confirms (RIG-5). */
export const CancellationPreview = Type.Object({
  dueOn: Type.String({ format: 'date' }),
  dueProvisional: Type.Boolean(),
  erased: Type.Array(Type.String()),
  kept: Type.Array(Type.Object({ what: Type.String(), why: Type.String(), until: Type.String() })),
  openConsultations: Type.Integer(),
});
export type CancellationPreview = Type.Static<typeof CancellationPreview>;

// ---- Staff (privacy officer, support) ----

export const RightsVerification = Type.Union([
  Type.Literal('sms_step_up'),
  Type.Literal('support_callback'),
  Type.Literal('support_id_document'),
  Type.Literal('support_in_person'),
]);
export type RightsVerification = Type.Static<typeof RightsVerification>;

export const StaffRightsRequest = Type.Object({
  id: Type.String(),
  kind: RightsRequestKind,
  status: RightsRequestStatus,
  app: AppKind,
  /** Pseudonymous account id: staff see who only when they open it. */
  subjectId: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  dueOn: Type.String({ format: 'date' }),
  dueProvisional: Type.Boolean(),
  /** Whole days left until the due date (negative: overdue). */
  daysLeft: Type.Integer(),
  verification: RightsVerification,
  /** Repeated beyond reason (e.g. a 4th export in 30 days): shown to the officer, never refused for it alone. */
  flaggedRepeat: Type.Boolean(),
  erasureScope: Type.Union([ErasureScope, Type.Null()]),
  decision: Type.Union([ExplainableDecision, Type.Null()]),
  export: Type.Union([ExportStatus, Type.Null()]),
});
export type StaffRightsRequest = Type.Static<typeof StaffRightsRequest>;

export const StaffRightsRequestList = Type.Object({
  requests: Type.Array(StaffRightsRequest),
  /** Years the due dates were counted without a holiday notice: the officer should add the notice. */
  calendarYearsWithoutData: Type.Array(Type.Integer()),
});
export type StaffRightsRequestList = Type.Static<typeof StaffRightsRequestList>;

export const RightsEvent = Type.Object({
  at: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  /** 'person' | 'privacy_officer' | 'support' | 'admin' | 'system' */
  by: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type RightsEvent = Type.Static<typeof RightsEvent>;

/** Opened with a stated purpose (audited): includes what the person wrote. */
export const StaffRightsRequestDetail = Type.Intersect([
  StaffRightsRequest,
  Type.Object({
    details: Type.Union([Type.String(), Type.Null()]),
    response: Type.Union([Type.String(), Type.Null()]),
    refusal: Type.Union([Type.Object({ ground: RefusalGround, reason: Type.String() }), Type.Null()]),
    verificationNote: Type.Union([Type.String(), Type.Null()]),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    events: Type.Array(RightsEvent),
    /** For correction requests: the fields a port can correct for this person. */
    correctable: Type.Array(Type.String()),
    certificateReady: Type.Boolean(),
  }),
]);
export type StaffRightsRequestDetail = Type.Static<typeof StaffRightsRequestDetail>;

export const StaffCreateRightsRequestBody = Type.Object(
  {
    app: Type.Union([Type.Literal('doctor'), Type.Literal('patient')]),
    phone: Type.String({ maxLength: 20 }),
    kind: RightsRequestKind,
    details: Type.Optional(Type.String({ maxLength: 2000 })),
    erasureScope: Type.Optional(ErasureScope),
    decision: Type.Optional(ExplainableDecision),
    verification: Type.Union([
      Type.Literal('support_callback'),
      Type.Literal('support_id_document'),
      Type.Literal('support_in_person'),
    ]),
    /** How identity was checked, in the support agent's words. */
    verificationNote: Type.String({ minLength: 4, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type StaffCreateRightsRequestBody = Type.Static<typeof StaffCreateRightsRequestBody>;

export const RefuseRightsRequestBody = Type.Object(
  { ground: RefusalGround, reason: Type.String({ minLength: 4, maxLength: 1000 }) },
  { additionalProperties: false },
);
export type RefuseRightsRequestBody = Type.Static<typeof RefuseRightsRequestBody>;

export const RightsNoteBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type RightsNoteBody = Type.Static<typeof RightsNoteBody>;

/** Completing a correction (field + value through the owning port) or an explanation (the written answer). */
export const CompleteRightsRequestBody = Type.Object(
  {
    response: Type.String({ minLength: 4, maxLength: 4000 }),
    correction: Type.Optional(Type.Object({ field: Type.String(), value: Type.String({ maxLength: 200 }) })),
  },
  { additionalProperties: false },
);
export type CompleteRightsRequestBody = Type.Static<typeof CompleteRightsRequestBody>;

/** A statutory holiday notice for one year, added by an operator without a code change. */
export const CalendarYearNotice = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    holidays: Type.Array(Type.String({ format: 'date' }), { maxItems: 60 }),
    workdays: Type.Array(Type.String({ format: 'date' }), { maxItems: 20 }),
    source: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type CalendarYearNotice = Type.Static<typeof CalendarYearNotice>;

export const CalendarOverview = Type.Object({
  yearsWithData: Type.Array(Type.Integer()),
  notices: Type.Array(
    Type.Object({ year: Type.Integer(), source: Type.Union([Type.String(), Type.Null()]), addedAt: Type.String() }),
  ),
});
export type CalendarOverview = Type.Static<typeof CalendarOverview>;

/** What a legal hold keeps after an erasure, seen by the privacy officer only. */
export const LegalHold = Type.Object({
  id: Type.String(),
  requestId: Type.String(),
  category: Type.String(),
  basis: Type.String(),
  heldFrom: Type.String({ format: 'date-time' }),
  heldUntil: Type.String({ format: 'date-time' }),
});
export type LegalHold = Type.Static<typeof LegalHold>;

import Type from 'typebox';

/** Text in both languages: the client shows the one matching its UI language. */
export const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
export type Bilingual = Type.Static<typeof Bilingual>;

/**
 * Practitioner types and what each may do (精神卫生法: counsellors never diagnose or treat).
 * psychiatrist: diagnosis, treatment, prescriptions; psychotherapist: psychotherapy, no prescriptions;
 * counsellor: counselling only.
 */
export const PractitionerType = Type.Union([
  Type.Literal('psychiatrist'),
  Type.Literal('psychotherapist'),
  Type.Literal('counsellor'),
]);
export type PractitionerType = Type.Static<typeof PractitionerType>;

export const ReferralSource = Type.Union([
  Type.Literal('hospital'),
  Type.Literal('colleague'),
  Type.Literal('search'),
  Type.Literal('social_media'),
  Type.Literal('event'),
  Type.Literal('other'),
]);

export const PHOTO_SLOTS = [
  'avatar',
  'id_front',
  'id_back',
  'practice_cert_cover',
  'practice_cert_personal',
  'qualification_cert_cover',
  'qualification_cert_personal',
] as const;
export const PhotoSlot = Type.Union([
  Type.Literal('avatar'),
  Type.Literal('id_front'),
  Type.Literal('id_back'),
  Type.Literal('practice_cert_cover'),
  Type.Literal('practice_cert_personal'),
  Type.Literal('qualification_cert_cover'),
  Type.Literal('qualification_cert_personal'),
]);
export type PhotoSlot = (typeof PHOTO_SLOTS)[number];

const Str = (max: number) => Type.String({ maxLength: max });

/** Everything a doctor types into the application. Every field is optional in a draft; submission checks completeness. */
export const ApplicationForm = Type.Object(
  {
    basic: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Str(40)),
          idNumber: Type.Optional(Str(32)),
          /** Only if the doctor overrides what is derived from the ID number; a mismatch is an error. */
          gender: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female')])),
          birthday: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          contactPhone: Type.Optional(Str(32)),
          email: Type.Optional(Str(254)),
          source: Type.Optional(ReferralSource),
          sourceNote: Type.Optional(Str(200)),
        },
        { additionalProperties: false },
      ),
    ),
    credentials: Type.Optional(
      Type.Object(
        {
          practiceCertNo: Type.Optional(Str(40)),
          qualificationCertNo: Type.Optional(Str(40)),
        },
        { additionalProperties: false },
      ),
    ),
    professional: Type.Optional(
      Type.Object(
        {
          practitionerType: Type.Optional(PractitionerType),
          hospital: Type.Optional(Str(100)),
          province: Type.Optional(Str(20)),
          city: Type.Optional(Str(40)),
          /** 类别, e.g. 临床 / 中医 */
          category: Type.Optional(Str(40)),
          /** 临床 field, e.g. 精神科 */
          clinicalField: Type.Optional(Str(60)),
          /** 级别, e.g. 三级甲等 (hospital level) */
          level: Type.Optional(Str(40)),
          employedSpecialty: Type.Optional(Str(60)),
          workStartDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })),
          staffNumber: Type.Optional(Str(40)),
          department: Type.Optional(Str(60)),
          title: Type.Optional(Str(40)),
          position: Type.Optional(Str(40)),
          isExpert: Type.Optional(Type.Boolean()),
          team: Type.Optional(Str(60)),
          expertise: Type.Optional(Type.Array(Str(20), { maxItems: 12 })),
          biography: Type.Optional(
            Type.Object(
              {
                education: Type.Optional(Str(2000)),
                practice: Type.Optional(Str(2000)),
                academic: Type.Optional(Str(2000)),
                cases: Type.Optional(Str(2000)),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ApplicationForm = Type.Static<typeof ApplicationForm>;

export const ApplicationStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
  Type.Literal('changes_requested'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
]);
export type ApplicationStatus = Type.Static<typeof ApplicationStatus>;

export const PhotoInfo = Type.Object({
  uploadedAt: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
});

/** One rule of the automated pre-check (ONB-3, RIG-6): what was checked and why it passed or was flagged. */
export const PrecheckRule = Type.Object({
  rule: Type.String(),
  outcome: Type.Union([Type.Literal('pass'), Type.Literal('flag')]),
  code: Type.String(),
  explanation: Bilingual,
});
export const Precheck = Type.Object({
  id: Type.String(),
  ruleSetVersion: Type.String(),
  inputsSha256: Type.String(),
  outcome: Type.Union([Type.Literal('pass'), Type.Literal('flags')]),
  rules: Type.Array(PrecheckRule),
  decidedAt: Type.String(),
  /** Always true: the pre-check never decides on its own; a reviewer does. */
  humanReviewRequired: Type.Boolean(),
});
export type Precheck = Type.Static<typeof Precheck>;

export const TimelineEvent = Type.Object({
  at: Type.String(),
  kind: Type.Union([
    Type.Literal('submitted'),
    Type.Literal('prechecked'),
    Type.Literal('changes_requested'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
  ]),
  reasonCode: Type.Union([Type.String(), Type.Null()]),
  /** The reviewer's words to the doctor. */
  reasonText: Type.Union([Type.String(), Type.Null()]),
  /** The template reason, in both languages. */
  reasonLabel: Type.Union([Bilingual, Type.Null()]),
});
export type TimelineEvent = Type.Static<typeof TimelineEvent>;

/** A required item the doctor has not provided yet, with why it is needed (ONB-2). */
export const MissingItem = Type.Object({ field: Type.String(), label: Bilingual, purpose: Bilingual });
export type MissingItem = Type.Static<typeof MissingItem>;

/** The doctor's own view of their application (GET /api/onboarding/application). */
export const MyApplication = Type.Object({
  status: ApplicationStatus,
  form: ApplicationForm,
  /** Derived from the ID number (not typed in again): birthday YYYY-MM-DD, gender, age. */
  derived: Type.Union([
    Type.Object({
      birthday: Type.String(),
      gender: Type.Union([Type.Literal('male'), Type.Literal('female')]),
      age: Type.Integer(),
    }),
    Type.Null(),
  ]),
  photos: Type.Record(Type.String(), Type.Union([PhotoInfo, Type.Null()])),
  missing: Type.Array(MissingItem),
  precheck: Type.Union([Precheck, Type.Null()]),
  timeline: Type.Array(TimelineEvent),
  registeredAt: Type.String(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  /** True while an approved public profile is live (also during a re-review of changed credentials). */
  profileLive: Type.Boolean(),
  /** Whether the separate consent for sensitive data (purpose onboarding) has been given. */
  sensitiveConsentGiven: Type.Boolean(),
  /** Fields saved in the draft that do not pass their rule yet (the draft is kept; submission is refused). */
  fieldErrors: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Bilingual })),
});
export type MyApplication = Type.Static<typeof MyApplication>;

export const ReviewQueueItem = Type.Object({
  id: Type.String(),
  status: ApplicationStatus,
  name: Type.String(),
  practitionerType: Type.Union([PractitionerType, Type.Null()]),
  hospital: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.String(),
  waitingHours: Type.Number(),
  flags: Type.Integer(),
  resubmission: Type.Boolean(),
});
export const ReviewQueue = Type.Object({ items: Type.Array(ReviewQueueItem) });
export type ReviewQueue = Type.Static<typeof ReviewQueue>;

export const RevealField = Type.Union([
  Type.Literal('id_number'),
  Type.Literal('practice_cert_no'),
  Type.Literal('qualification_cert_no'),
  Type.Literal('photo:id_front'),
  Type.Literal('photo:id_back'),
  Type.Literal('photo:practice_cert_cover'),
  Type.Literal('photo:practice_cert_personal'),
  Type.Literal('photo:qualification_cert_cover'),
  Type.Literal('photo:qualification_cert_personal'),
]);
export type RevealField = Type.Static<typeof RevealField>;

export const RevealPurpose = Type.Union([
  Type.Literal('credential_verification'),
  Type.Literal('duplicate_investigation'),
  Type.Literal('regulatory_inspection'),
]);
export type RevealPurpose = Type.Static<typeof RevealPurpose>;

/** The reviewer's view: numbers masked, photos blurred until revealed with a purpose (ONB-4). */
export const ReviewDetail = Type.Object({
  id: Type.String(),
  status: ApplicationStatus,
  form: ApplicationForm,
  masked: Type.Object({
    idNumber: Type.Union([Type.String(), Type.Null()]),
    practiceCertNo: Type.Union([Type.String(), Type.Null()]),
    qualificationCertNo: Type.Union([Type.String(), Type.Null()]),
  }),
  derived: Type.Union([
    Type.Object({ gender: Type.Union([Type.Literal('male'), Type.Literal('female')]), age: Type.Integer() }),
    Type.Null(),
  ]),
  /** Slots that hold a photo. Fetch `/api/admin/applications/:id/photos/:slot?variant=blurred` freely; `variant=full` needs a reveal. */
  photoSlots: Type.Array(PhotoSlot),
  precheck: Type.Union([Precheck, Type.Null()]),
  timeline: Type.Array(TimelineEvent),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ReviewDetail = Type.Static<typeof ReviewDetail>;

export const RevealBody = Type.Object({
  fields: Type.Array(RevealField, { minItems: 1, maxItems: 9 }),
  purpose: RevealPurpose,
});
export type RevealBody = Type.Static<typeof RevealBody>;
export const RevealReply = Type.Object({
  idNumber: Type.Optional(Type.String()),
  practiceCertNo: Type.Optional(Type.String()),
  qualificationCertNo: Type.Optional(Type.String()),
  /** Photo slots now viewable with `variant=full`, until `expiresAt`. */
  photoSlots: Type.Array(PhotoSlot),
  expiresAt: Type.String(),
});
export type RevealReply = Type.Static<typeof RevealReply>;

export const DecisionKind = Type.Union([
  Type.Literal('approve'),
  Type.Literal('reject'),
  Type.Literal('request_changes'),
]);
export const DecisionBody = Type.Object({
  decision: DecisionKind,
  /** One of the templates from GET /api/admin/review-reasons for that decision. */
  reasonCode: Type.String({ maxLength: 40 }),
  reasonText: Type.String({ minLength: 2, maxLength: 1000, pattern: '\\S\\S' }),
});
export type DecisionBody = Type.Static<typeof DecisionBody>;

export const ReasonTemplate = Type.Object({
  code: Type.String(),
  decision: DecisionKind,
  label: Bilingual,
  suggestedText: Bilingual,
});
export const ReasonTemplates = Type.Object({ templates: Type.Array(ReasonTemplate) });
export type ReasonTemplates = Type.Static<typeof ReasonTemplates>;

/** What anyone may see of an approved doctor (ONB-5). Nothing else ever leaves through the public API. */
export const PublicDoctor = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
    title: Type.Union([Type.String(), Type.Null()]),
    hospital: Type.Union([Type.String(), Type.Null()]),
    department: Type.Union([Type.String(), Type.Null()]),
    practitionerType: PractitionerType,
    expertise: Type.Array(Type.String()),
    biography: Type.Object({
      education: Type.Union([Type.String(), Type.Null()]),
      practice: Type.Union([Type.String(), Type.Null()]),
      academic: Type.Union([Type.String(), Type.Null()]),
      cases: Type.Union([Type.String(), Type.Null()]),
    }),
    verified: Type.Literal(true),
    verifiedAt: Type.String(),
  },
  { additionalProperties: false },
);
export type PublicDoctor = Type.Static<typeof PublicDoctor>;
export const PublicDoctorList = Type.Object({ doctors: Type.Array(PublicDoctor) });

/** Longest directory search taken, in characters (the server also bounds the number of words). */
export const DIRECTORY_SEARCH_MAX_LENGTH = 40;
/** A directory search: words matched against name, title, hospital, department and expertise tags. */
export const DirectoryQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: DIRECTORY_SEARCH_MAX_LENGTH })),
    /** One expertise tag, matched exactly. */
    expertise: Type.Optional(Type.String({ maxLength: 20 })),
    type: Type.Optional(PractitionerType),
  },
  { additionalProperties: false },
);
export type DirectoryQuery = Type.Static<typeof DirectoryQuery>;

export const Notice = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Bilingual,
  body: Bilingual,
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  readAt: Type.Union([Type.String(), Type.Null()]),
});
export type Notice = Type.Static<typeof Notice>;
export const NoticeList = Type.Object({ notices: Type.Array(Notice), unread: Type.Integer() });
export type NoticeList = Type.Static<typeof NoticeList>;

import Type from 'typebox';
import { AppKind, Locale, StaffRole } from './common.js';
import { ConsentProof } from './policy.js';

export const RequestCodeBody = Type.Object({
  phone: Type.String({ maxLength: 32 }),
  app: AppKind,
  /** Required for doctor and patient: the policy the user ticked "I have read and agree" for. */
  policyConsent: Type.Optional(ConsentProof),
});
export type RequestCodeBody = Type.Static<typeof RequestCodeBody>;

export const RequestCodeReply = Type.Object({
  resendAfterSeconds: Type.Integer(),
  expiresInSeconds: Type.Integer(),
  /** True when the console SMS provider is in use: no real SMS was sent. */
  devOutbox: Type.Boolean(),
});
export type RequestCodeReply = Type.Static<typeof RequestCodeReply>;

export const VerifyCodeBody = Type.Object({
  phone: Type.String({ maxLength: 32 }),
  code: Type.String({ maxLength: 16 }),
  app: AppKind,
  keepSignedIn: Type.Optional(Type.Boolean()),
  policyConsent: Type.Optional(ConsentProof),
});
export type VerifyCodeBody = Type.Static<typeof VerifyCodeBody>;

export const PolicyStatus = Type.Object({
  acceptedVersion: Type.Union([Type.Integer(), Type.Null()]),
  currentVersion: Type.Integer(),
  /** A newer version has taken effect: the app must show it and ask again before anything else. */
  needsAcceptance: Type.Boolean(),
});

/** Age bands a patient may share with their doctors (never a birth date). */
export const AGE_BANDS: readonly AgeBand[] = [
  'under-18',
  '18-19',
  '20-29',
  '30-39',
  '40-49',
  '50-59',
  '60-69',
  '70-plus',
];
export const AgeBand = Type.Union([
  Type.Literal('under-18'),
  Type.Literal('18-19'),
  Type.Literal('20-29'),
  Type.Literal('30-39'),
  Type.Literal('40-49'),
  Type.Literal('50-59'),
  Type.Literal('60-69'),
  Type.Literal('70-plus'),
]);
export type AgeBand = Type.Static<typeof AgeBand>;
export const Sex = Type.Union([Type.Literal('female'), Type.Literal('male')]);
export type Sex = Type.Static<typeof Sex>;

/** An approved doctor's own name and title, from the profile the review approved. */
export const OwnDoctorProfile = Type.Object({ name: Type.String(), title: Type.Union([Type.String(), Type.Null()]) });
export type OwnDoctorProfile = Type.Static<typeof OwnDoctorProfile>;

export const Me = Type.Object({
  id: Type.String(),
  app: AppKind,
  roles: Type.Array(StaffRole),
  phoneMasked: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  locale: Locale,
  createdAt: Type.String({ format: 'date-time' }),
  /** `totp_required`: a staff member has passed the SMS step and must enter the authenticator code. */
  stage: Type.Union([Type.Literal('active'), Type.Literal('totp_required'), Type.Literal('totp_enrolment_required')]),
  policy: PolicyStatus,
  sensitiveConsents: Type.Array(Type.String()),
  /** Patients: what they chose to share with the doctors they consult (null: not shared). */
  ageBand: Type.Union([AgeBand, Type.Null()]),
  sex: Type.Union([Sex, Type.Null()]),
  /** Doctors: their approved profile (null until approved). */
  doctorProfile: Type.Union([OwnDoctorProfile, Type.Null()]),
});
export type Me = Type.Static<typeof Me>;

export const UpdateMeBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  locale: Type.Optional(Locale),
  /** Patients only: share an age band or sex with their doctors, or stop sharing it (null). */
  ageBand: Type.Optional(Type.Union([AgeBand, Type.Null()])),
  sex: Type.Optional(Type.Union([Sex, Type.Null()])),
});
export type UpdateMeBody = Type.Static<typeof UpdateMeBody>;

export const SessionInfo = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  /** e.g. "Chrome 156 · Android" — derived from the user agent. */
  device: Type.String(),
  ipMasked: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type SessionInfo = Type.Static<typeof SessionInfo>;

export const SessionList = Type.Object({ sessions: Type.Array(SessionInfo) });
export type SessionList = Type.Static<typeof SessionList>;

export const SignOutAllBody = Type.Object({ includeCurrent: Type.Boolean() });

export const TotpCodeBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) });

export const EnrolmentStartBody = Type.Object({ token: Type.String({ minLength: 20, maxLength: 200 }) });
export const EnrolmentStartReply = Type.Object({
  otpauthUri: Type.String(),
  secretBase32: Type.String(),
  phoneMasked: Type.String(),
});
export type EnrolmentStartReply = Type.Static<typeof EnrolmentStartReply>;
export const EnrolmentFinishBody = Type.Object({
  token: Type.String({ minLength: 20, maxLength: 200 }),
  code: Type.String({ pattern: '^[0-9]{6}$' }),
});

import Type from 'typebox';
import { Locale } from './common.js';

export const OperatorContact = Type.Object({
  name: Type.String(),
  hotline: Type.String(),
  email: Type.String(),
});
export type OperatorContact = Type.Static<typeof OperatorContact>;

/** The policy version a user is asked to accept, in one language, with the hash of exactly this text. */
export const PolicyDocument = Type.Object({
  version: Type.Integer(),
  locale: Locale,
  title: Type.String(),
  /** Short summary shown in the first-visit dialog. */
  summary: Type.String(),
  /** Full text, Markdown. */
  text: Type.String(),
  /** SHA-256 (hex) of `text`; the client echoes it back when the user agrees. */
  textSha256: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  effectiveAt: Type.String({ format: 'date-time' }),
  operator: OperatorContact,
});
export type PolicyDocument = Type.Static<typeof PolicyDocument>;

/** What the user agreed to: echoed back from a PolicyDocument or SensitiveConsentDocument. */
export const ConsentProof = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  locale: Locale,
  textSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
});
export type ConsentProof = Type.Static<typeof ConsentProof>;

export const SensitivePurpose = Type.Union([Type.Literal('onboarding'), Type.Literal('consultation')]);
export type SensitivePurpose = Type.Static<typeof SensitivePurpose>;

/** Separate consent for sensitive personal data (PIPL art. 29), asked right before the feature that needs it. */
export const SensitiveConsentDocument = Type.Object({
  purpose: SensitivePurpose,
  version: Type.Integer(),
  locale: Locale,
  title: Type.String(),
  text: Type.String(),
  textSha256: Type.String(),
  given: Type.Boolean(),
});
export type SensitiveConsentDocument = Type.Static<typeof SensitiveConsentDocument>;

export const ConsentRecord = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('policy'), Type.Literal('sensitive')]),
  purpose: Type.Union([SensitivePurpose, Type.Null()]),
  version: Type.Integer(),
  locale: Locale,
  textSha256: Type.String(),
  acceptedAt: Type.String({ format: 'date-time' }),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** For a policy consent: when that version took effect (what people see instead of a version number). */
  policyEffectiveAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ConsentRecord = Type.Static<typeof ConsentRecord>;

export const PrivacyOverview = Type.Object({
  consents: Type.Array(ConsentRecord),
  currentPolicyVersion: Type.Integer(),
  operator: OperatorContact,
});
export type PrivacyOverview = Type.Static<typeof PrivacyOverview>;

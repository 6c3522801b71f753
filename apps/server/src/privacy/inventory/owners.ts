import type { DB } from '../../db/schema.js';

/**
 * Who owns each table (issue 10, SEC-1): the one repository (path under apps/server/src) that holds all of the
 * table's SQL. Any other module that needs the data calls a named function of that owner, wired in services.ts.
 * Typed by the schema, so a table without an owner fails the build; owners.test.ts checks that no other
 * repository names an owner's table, and that every owner file exists.
 */
export const TABLE_OWNERS = {
  // identity: accounts, sign-in, staff
  users: 'features/identity/identity.repo.ts',
  sessions: 'features/identity/identity.repo.ts',
  otp_challenges: 'features/identity/identity.repo.ts',
  staff_roles: 'features/identity/identity.repo.ts',
  staff_enrolments: 'features/identity/identity.repo.ts',
  staff_totp_failures: 'features/identity/identity.repo.ts',
  // onboarding: applications, their review, the credential photos
  doctor_applications: 'features/onboarding/onboarding.repo.ts',
  automated_decisions: 'features/onboarding/onboarding.repo.ts',
  application_events: 'features/onboarding/onboarding.repo.ts',
  reveal_grants: 'features/onboarding/onboarding.repo.ts',
  blobs: 'features/onboarding/onboarding.repo.ts',
  // directory: the approved doctors' profiles
  doctor_profiles: 'features/directory/directory.repo.ts',
  // consultations: the conversation, its files and read positions
  consultations: 'features/consultations/consultations.repo.ts',
  messages: 'features/consultations/consultations.repo.ts',
  consultation_reads: 'features/consultations/consultations.repo.ts',
  consultation_media: 'features/consultations/consultations.repo.ts',
  media_uploads: 'features/consultations/consultations.repo.ts',
  calls: 'features/calls/calls.repo.ts',
  crisis_escalations: 'features/crisis/crisis.repo.ts',
  notices: 'features/notices/notices.repo.ts',
  push_vapid_keys: 'features/push/push.repo.ts',
  push_subscriptions: 'features/push/push.repo.ts',
  push_preferences: 'features/push/push.repo.ts',
  push_outbox: 'features/push/push.repo.ts',
  // privacy and platform
  subject_keys: 'crypto/key-store.repo.ts',
  key_tombstones: 'crypto/key-store.repo.ts',
  policy_versions: 'privacy/policy/policy.repo.ts',
  consents: 'privacy/policy/policy.repo.ts',
  audit_log: 'privacy/audit/audit.repo.ts',
  audit_anchor: 'privacy/audit/audit.repo.ts',
  // rights: data-subject requests, exports, certificates, legal holds, the working-day calendar's notices
  rights_requests: 'privacy/rights/rights.repo.ts',
  rights_request_events: 'privacy/rights/rights.repo.ts',
  rights_exports: 'privacy/rights/rights.repo.ts',
  deletion_certificates: 'privacy/rights/rights.repo.ts',
  legal_holds: 'privacy/rights/rights.repo.ts',
  calendar_year_notices: 'privacy/rights/rights.repo.ts',
  erasure_notifications: 'privacy/rights/rights.repo.ts',
  schema_migrations: 'db/migrate.ts',
} as const satisfies Record<keyof DB | 'schema_migrations', string>;

export type TableName = keyof typeof TABLE_OWNERS;

/**
 * Reads of another owner's table that are still written as SQL in a repository that does not own it: the debt
 * that remains, each to become a named function of the owner. owners.test.ts fails when one is no longer true
 * (remove it here) and when a new one appears (call the owner instead).
 */
export const FOREIGN_READS: ReadonlyArray<{ repo: string; table: TableName; why: string }> = [
  {
    repo: 'features/calls/calls.repo.ts',
    table: 'consultations',
    why: 'participant check of a call; calls of closed consultations',
  },
  {
    repo: 'features/calls/calls.repo.ts',
    table: 'notices',
    why: "settles the incoming-call notice in the call's transaction",
  },
  {
    repo: 'features/consultations/consultations.repo.ts',
    table: 'doctor_profiles',
    why: "lists show the doctor's name from the same statement",
  },
  {
    repo: 'features/consultations/consultations.repo.ts',
    table: 'users',
    why: "the patient's shared profile, read with the consultation",
  },
  {
    repo: 'features/consultations/consultations.repo.ts',
    table: 'notices',
    why: 'the one-statement append checks for an unread notice (group commit)',
  },
  {
    repo: 'features/consultations/consultations.repo.ts',
    table: 'subject_keys',
    why: 'the append checks the key version; pages read the keys in the same round trip',
  },
  {
    repo: 'features/crisis/crisis.repo.ts',
    table: 'consultations',
    why: "the doctor's ownership of an escalation, in its WHERE",
  },
  {
    repo: 'features/crisis/crisis.repo.ts',
    table: 'doctor_profiles',
    why: "the support queue shows the doctor's name",
  },
  {
    repo: 'features/directory/directory.repo.ts',
    table: 'users',
    why: 'only doctors whose account is active are listed',
  },
  {
    repo: 'features/identity/identity.repo.ts',
    table: 'doctor_profiles',
    why: "the signed-in doctor's own name and title",
  },
  {
    repo: 'features/onboarding/onboarding.repo.ts',
    table: 'users',
    why: "automated review: the account's age and other accounts with the same phone",
  },
  {
    repo: 'features/push/push.repo.ts',
    table: 'sessions',
    why: 'a subscription belongs to a session and ends with it',
  },
  { repo: 'features/push/push.repo.ts', table: 'users', why: 'delivery only to active accounts' },
  { repo: 'jobs/retention.repo.ts', table: 'otp_challenges', why: 'the purge of expired sign-in codes' },
  { repo: 'jobs/retention.repo.ts', table: 'sessions', why: 'the purge of ended sessions' },
];

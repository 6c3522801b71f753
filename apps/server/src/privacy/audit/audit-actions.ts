/** Every audited action, typed. Adding an action is a code change reviewed like any other. */
export const AUDIT_ACTIONS = [
  'auth.code_sent',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.totp_verified',
  'auth.totp_failed',
  'auth.totp_enrolled',
  'auth.sign_out',
  'auth.session_revoked',
  'auth.sessions_revoked_all',
  'account.created',
  'account.updated',
  'staff.created',
  'staff.role_granted',
  'staff.role_revoked',
  'staff.enrolment_issued',
  'consent.policy_accepted',
  'consent.sensitive_given',
  'consent.sensitive_withdrawn',
  'policy.published',
  'staff.viewed_personal_data',
  'audit.verified',
  'audit.retention_purged',
  'keys.destroyed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

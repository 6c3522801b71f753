import type { MessageKind } from '@anxin/contracts';
import type { ColumnType, Generated } from 'kysely';

/** Kysely table types; must match db/migrations. The inventory test checks every column is classified. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface SubjectKeysTable {
  subject_id: string;
  version: number;
  wrapped_key: Buffer;
  kek_version: Generated<number>;
  created_at: CreatedAt;
}
export interface KeyTombstonesTable {
  subject_id: string;
  destroyed_at: Generated<Date>;
  reason: string;
}
export interface UsersTable {
  id: Generated<string>;
  app: 'doctor' | 'patient' | 'staff';
  phone_bidx: Buffer;
  phone_enc: Buffer;
  display_name_enc: Buffer | null;
  age_band_enc: Buffer | null;
  sex_enc: Buffer | null;
  locale: Generated<'zh-CN' | 'en'>;
  status: Generated<'active' | 'disabled' | 'cancelled'>;
  totp_secret_enc: Buffer | null;
  totp_enrolled_at: Date | null;
  totp_last_step: number | null;
  created_at: CreatedAt;
}
export interface StaffRolesTable {
  user_id: string;
  role: 'reviewer' | 'support' | 'privacy_officer' | 'security_officer' | 'admin';
  granted_at: CreatedAt;
  granted_by: string | null;
}
export interface StaffEnrolmentsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: Buffer;
  pending_secret_enc: Buffer | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}
export interface OtpChallengesTable {
  id: Generated<string>;
  app: 'doctor' | 'patient' | 'staff';
  phone_bidx: Buffer;
  ip_bidx: Buffer;
  code_hash: Buffer;
  created_at: Timestamp;
  expires_at: Timestamp;
  wrong_attempts: Generated<number>;
  consumed_at: Timestamp | null;
  purpose: Generated<'sign_in' | 'step_up'>;
}
export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: Buffer;
  stage: 'active' | 'totp_required' | 'totp_enrolment_required';
  keep_signed_in: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_timeout_seconds: number;
  absolute_expires_at: Timestamp;
  user_agent_enc: Buffer | null;
  ip_enc: Buffer | null;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
}
/** Wrong authenticator codes of one half-signed-in staff session (migration 0013). */
export interface StaffTotpFailuresTable {
  session_id: string;
  failures: number;
  last_failed_at: Timestamp;
}
export interface PolicyVersionsTable {
  version: number;
  published_at: Timestamp;
  effective_at: Timestamp;
  material: Generated<boolean>;
  title_zh: string;
  title_en: string;
  summary_zh: string;
  summary_en: string;
  text_zh: string;
  text_en: string;
  sha256_zh: string;
  sha256_en: string;
  published_by: string | null;
}
export interface ConsentsTable {
  id: Generated<string>;
  user_id: string;
  kind: 'policy' | 'sensitive';
  purpose: 'onboarding' | 'consultation' | null;
  version: number;
  locale: 'zh-CN' | 'en';
  text_sha256: string;
  accepted_at: Timestamp;
  ip_enc: Buffer | null;
  user_agent_enc: Buffer | null;
  withdrawn_at: Timestamp | null;
}
export interface AuditLogTable {
  id: number;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_id: string | null;
  purpose: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  prev_hash: string;
  hash: string;
}
export interface AuditAnchorTable {
  singleton: Generated<boolean>;
  last_removed_id: number;
  last_removed_hash: string;
  updated_at: Generated<Date>;
}

export interface BlobsTable {
  id: string;
  owner_id: string;
  variant: 'full' | 'thumb';
  parent_id: string | null;
  content_type: string;
  byte_size: number;
  width: number;
  height: number;
  sha256: string;
  created_at: CreatedAt;
}
export type PhotoColumn =
  | 'photo_avatar'
  | 'photo_id_front'
  | 'photo_id_back'
  | 'photo_practice_cert_cover'
  | 'photo_practice_cert_personal'
  | 'photo_qualification_cert_cover'
  | 'photo_qualification_cert_personal';
export type ApplicationStatus = 'draft' | 'submitted' | 'changes_requested' | 'approved' | 'rejected';
export interface DoctorApplicationsTable extends Record<PhotoColumn, string | null> {
  id: string;
  user_id: string;
  status: ApplicationStatus;
  basic_enc: Buffer | null;
  id_number_enc: Buffer | null;
  id_number_bidx: Buffer | null;
  practice_cert_enc: Buffer | null;
  practice_cert_bidx: Buffer | null;
  qualification_cert_enc: Buffer | null;
  qualification_cert_bidx: Buffer | null;
  professional_enc: Buffer | null;
  practitioner_type: 'psychiatrist' | 'psychotherapist' | 'counsellor' | null;
  submission_count: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
}
export interface AutomatedDecisionsTable {
  id: string;
  subject_id: string;
  kind: 'onboarding_precheck';
  ref_id: string;
  rule_set_version: string;
  inputs_sha256: string;
  outcome: 'pass' | 'flags';
  rules: ColumnType<unknown[], string, string>;
  created_at: Timestamp;
}
export interface ApplicationEventsTable {
  id: string;
  seq: Generated<number>;
  application_id: string;
  at: Timestamp;
  kind: 'submitted' | 'prechecked' | 'changes_requested' | 'approved' | 'rejected';
  actor_id: string | null;
  reason_code: string | null;
  reason_text_enc: Buffer | null;
  decision_id: string | null;
}
export interface RevealGrantsTable {
  id: string;
  staff_id: string;
  application_id: string;
  fields: string[];
  purpose: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}
export interface NoticesTable {
  id: string;
  user_id: string;
  kind: string;
  data: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  read_at: Timestamp | null;
}
export interface DoctorProfilesTable {
  user_id: string;
  name: string;
  avatar_blob_id: string | null;
  title: string | null;
  hospital: string | null;
  department: string | null;
  practitioner_type: 'psychiatrist' | 'psychotherapist' | 'counsellor';
  expertise: string[];
  biography: ColumnType<Record<string, string | null>, string, string>;
  verified_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConsultationsTable {
  id: string;
  patient_id: string;
  doctor_id: string;
  status: 'requested' | 'active' | 'declined' | 'ended';
  concern_enc: Buffer;
  follow_up_enc: Buffer;
  counselling: boolean;
  decline_reason_enc: Buffer | null;
  created_at: Timestamp;
  accepted_at: Timestamp | null;
  ended_at: Timestamp | null;
  last_seq: Generated<number>;
  last_message_at: Timestamp | null;
  ended_reason: 'doctor' | 'idle' | 'account_closed' | null;
  follow_up_of: string | null;
}
export interface MessagesTable {
  consultation_id: string;
  seq: number;
  client_id: string;
  sender_id: string;
  kind: MessageKind;
  body_enc: Buffer;
  created_at: Timestamp;
}
export interface ConsultationMediaTable {
  id: string;
  consultation_id: string;
  seq: number;
  variant: 'full' | 'thumb' | 'audio';
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  sha256: string;
  created_at: Timestamp;
}
/** Call metadata only (CON-2): no column for media or session descriptions. */
export interface CallsTable {
  id: string;
  consultation_id: string;
  caller_id: string;
  callee_id: string;
  media: 'voice' | 'video';
  state: 'inviting' | 'ringing' | 'active' | 'ended';
  outcome: 'completed' | 'declined' | 'missed' | 'failed' | 'cancelled' | 'busy' | null;
  decline_reason: 'busy_now' | 'call_later' | 'text_instead' | 'device_unavailable' | null;
  ended_by: 'caller' | 'callee' | 'system' | null;
  started_at: Timestamp;
  ring_deadline: Timestamp;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_seconds: Generated<number>;
}
export interface MediaUploadsTable {
  id: string;
  consultation_id: string;
  created_at: Timestamp;
}
export interface ConsultationReadsTable {
  consultation_id: string;
  user_id: string;
  last_read_seq: number;
  updated_at: Timestamp;
}

export interface PushVapidKeysTable {
  id: Generated<number>;
  public_key: string;
  private_key_enc: Buffer;
  created_at: CreatedAt;
}
export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  session_id: string;
  channel: 'webpush';
  app: 'doctor' | 'patient';
  service: string;
  endpoint_bidx: Buffer;
  subscription_enc: Buffer;
  created_at: Timestamp;
  last_delivered_at: Timestamp | null;
}
export interface PushPreferencesTable {
  user_id: string;
  messages: Generated<boolean>;
  calls: Generated<boolean>;
  consultations: Generated<boolean>;
  review: Generated<boolean>;
  quiet_enabled: Generated<boolean>;
  quiet_start: Generated<string>;
  quiet_end: Generated<string>;
  time_zone: Generated<string>;
  updated_at: Timestamp;
}
export interface PushOutboxTable {
  id: Generated<number>;
  notice_id: string;
  created_at: Timestamp;
}

/** CON-4: one escalation per crisis episode of a consultation (see migrations/0007_crisis.sql). */
export interface CrisisEscalationsTable {
  id: string;
  consultation_id: string;
  status: 'open' | 'acknowledged' | 'closed';
  signal_enc: Buffer;
  created_at: Timestamp;
  last_signal_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  close_note_enc: Buffer | null;
  handed_over_at: Timestamp | null;
  handed_over_by: string | null;
  handover_note_enc: Buffer | null;
}

type RightsKind = 'export' | 'correction' | 'erasure' | 'cancellation' | 'explanation';
export interface RightsRequestsTable {
  id: string;
  subject_id: string;
  app: 'doctor' | 'patient';
  kind: RightsKind;
  status: Generated<'received' | 'in_progress' | 'completed' | 'refused' | 'withdrawn'>;
  received_at: Timestamp;
  /** ISO date (YYYY-MM-DD). */
  due_on: string;
  due_provisional: boolean;
  erasure_scope: 'sign_in_history' | 'push_devices' | 'notices' | 'other' | null;
  decision: 'onboarding_precheck' | 'crisis_flag' | null;
  details_enc: Buffer | null;
  verification: 'sms_step_up' | 'support_callback' | 'support_id_document' | 'support_in_person';
  verification_note_enc: Buffer | null;
  entered_by: string | null;
  flagged_repeat: Generated<boolean>;
  refusal_ground:
    'national_security' | 'public_interest' | 'criminal_investigation' | 'malice_or_abuse' | 'harm_to_others' | null;
  refusal_reason_enc: Buffer | null;
  response_enc: Buffer | null;
  certificate_token_hash: Buffer | null;
  completed_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
}
export interface RightsRequestEventsTable {
  id: Generated<number>;
  request_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_role: 'person' | 'privacy_officer' | 'support' | 'admin' | 'system';
  kind: string;
  note_enc: Buffer | null;
}
export interface RightsExportsTable {
  request_id: string;
  state: Generated<'queued' | 'building' | 'ready' | 'downloaded' | 'expired' | 'failed'>;
  progress: Generated<number>;
  blob_name: string | null;
  file_key_enc: Buffer | null;
  size_bytes: number | null;
  ready_at: Timestamp | null;
  expires_at: Timestamp | null;
  downloaded_at: Timestamp | null;
  deleted_at: Timestamp | null;
}
export interface DeletionCertificatesTable {
  request_id: string;
  issued_at: Timestamp;
  body: ColumnType<Record<string, unknown>, string, string>;
  signature: string;
}
export interface LegalHoldsTable {
  id: string;
  request_id: string;
  category: string;
  basis: string;
  held_from: Timestamp;
  held_until: Timestamp;
  payload_enc: Buffer | null;
  released_at: Timestamp | null;
}
export interface CalendarYearNoticesTable {
  year: number;
  holidays: string[];
  workdays: string[];
  source: string | null;
  added_by: string | null;
  added_at: Timestamp;
}
export interface ErasureNotificationsTable {
  id: Generated<number>;
  request_id: string;
  recipient: string;
  asked_at: Timestamp;
  answer: string;
  answered_at: Timestamp | null;
}

export interface DB {
  crisis_escalations: CrisisEscalationsTable;
  push_vapid_keys: PushVapidKeysTable;
  push_subscriptions: PushSubscriptionsTable;
  push_preferences: PushPreferencesTable;
  push_outbox: PushOutboxTable;
  consultations: ConsultationsTable;
  messages: MessagesTable;
  consultation_reads: ConsultationReadsTable;
  calls: CallsTable;
  consultation_media: ConsultationMediaTable;
  media_uploads: MediaUploadsTable;
  blobs: BlobsTable;
  doctor_applications: DoctorApplicationsTable;
  automated_decisions: AutomatedDecisionsTable;
  application_events: ApplicationEventsTable;
  reveal_grants: RevealGrantsTable;
  notices: NoticesTable;
  doctor_profiles: DoctorProfilesTable;
  subject_keys: SubjectKeysTable;
  key_tombstones: KeyTombstonesTable;
  users: UsersTable;
  staff_roles: StaffRolesTable;
  staff_enrolments: StaffEnrolmentsTable;
  otp_challenges: OtpChallengesTable;
  sessions: SessionsTable;
  staff_totp_failures: StaffTotpFailuresTable;
  policy_versions: PolicyVersionsTable;
  consents: ConsentsTable;
  audit_log: AuditLogTable;
  audit_anchor: AuditAnchorTable;
  rights_requests: RightsRequestsTable;
  rights_request_events: RightsRequestEventsTable;
  rights_exports: RightsExportsTable;
  deletion_certificates: DeletionCertificatesTable;
  legal_holds: LegalHoldsTable;
  calendar_year_notices: CalendarYearNoticesTable;
  erasure_notifications: ErasureNotificationsTable;
}

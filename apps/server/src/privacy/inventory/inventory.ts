import { type LegalBasis, type Purpose, type Retention } from './purposes.js';

/**
 * The data inventory (INV-1, INV-2, SEC-2): every column of every table is declared here, personal or not.
 * A test compares this registry with the live database schema and fails on any column nobody classified.
 * The published privacy policy is generated from this file, so what we say is what the schema holds.
 */
export type Category =
  | 'contact.phone'
  | 'profile.display_name'
  | 'profile.demographics'
  | 'profile.preferences'
  | 'account.credentials'
  | 'device.network'
  | 'consent.record'
  | 'security.audit'
  | 'crypto.key'
  | 'identity.name'
  | 'identity.id_number'
  | 'identity.document_photo'
  | 'credential.certificate'
  | 'profile.professional'
  | 'profile.public'
  | 'profile.photo'
  | 'review.record'
  | 'automated.decision'
  | 'notice.record'
  | 'device.push'
  | 'notification.settings'
  | 'health.consultation'
  | 'call.metadata'
  | 'rights.request'
  | 'legal.hold';

export interface PersonalColumn {
  sensitivity: 'personal' | 'sensitive';
  category: Category;
  purposes: Purpose[];
  legalBasis: LegalBasis;
  retention: Retention;
  /** Stored as AES-256-GCM ciphertext under the subject's key (or, for *_bidx, as a keyed HMAC). */
  protection: 'encrypted' | 'blind_index' | 'hashed' | 'pseudonymous_id' | 'clear';
}
export interface NonPersonalColumn {
  sensitivity: 'none';
  /** Why this column cannot identify a person. */
  why: string;
}
export type ColumnClass = PersonalColumn | NonPersonalColumn;

const none = (why: string): NonPersonalColumn => ({ sensitivity: 'none', why });
const ID = none('random identifier');
const TIME = none('timestamp of a technical event');
const FLAG = none('technical state or enum value');

const personal = (c: Omit<PersonalColumn, 'sensitivity'>): PersonalColumn => ({ sensitivity: 'personal', ...c });
const pseudonymousUserRef = personal({
  category: 'security.audit',
  purposes: ['account'],
  legalBasis: 'contract',
  retention: 'account_lifetime',
  protection: 'pseudonymous_id',
});

const sensitive = (c: Omit<PersonalColumn, 'sensitivity'>): PersonalColumn => ({ sensitivity: 'sensitive', ...c });
/** A browser's push subscription: consent (turning notifications on), kept until turned off or signed out. */
const pushDevice = (protection: PersonalColumn['protection']): PersonalColumn =>
  personal({
    category: 'device.push',
    purposes: ['notifications'],
    legalBasis: 'consent',
    retention: 'push_until_off',
    protection,
  });
/** A data-subject request and its handling: proof that we answered, kept 3 years after it closed. */
const rightsRecord = (protection: PersonalColumn['protection']): PersonalColumn =>
  personal({
    category: 'rights.request',
    purposes: ['rights_requests'],
    legalBasis: 'legal_obligation',
    retention: 'rights_request_3y',
    protection,
  });
const notificationSetting = personal({
  category: 'notification.settings',
  purposes: ['notifications'],
  legalBasis: 'contract',
  retention: 'account_lifetime',
  protection: 'clear',
});
const photoRef = (category: Category): PersonalColumn =>
  sensitive({
    category,
    purposes: ['identity_verification'],
    legalBasis: 'separate_consent',
    retention: 'account_lifetime',
    protection: 'encrypted',
  });

/** When, how long and how a call ended: part of the consultation record, never its content. */
const callMetadata = personal({
  category: 'call.metadata',
  purposes: ['service', 'archiving'],
  legalBasis: 'contract',
  retention: 'medical_record',
  protection: 'clear',
});

export const INVENTORY: Record<string, Record<string, ColumnClass>> = {
  consultations: {
    id: ID,
    patient_id: pseudonymousUserRef,
    doctor_id: pseudonymousUserRef,
    status: FLAG,
    concern_enc: sensitive({
      category: 'health.consultation',
      purposes: ['service', 'crisis_handling', 'archiving'],
      legalBasis: 'separate_consent',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
    follow_up_enc: sensitive({
      category: 'health.consultation',
      purposes: ['service'],
      legalBasis: 'separate_consent',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
    counselling: FLAG,
    decline_reason_enc: sensitive({
      category: 'health.consultation',
      purposes: ['service'],
      legalBasis: 'separate_consent',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
    created_at: TIME,
    accepted_at: TIME,
    ended_at: TIME,
    last_seq: FLAG,
    last_message_at: TIME,
    ended_reason: FLAG,
    follow_up_of: ID,
  },
  messages: {
    consultation_id: ID,
    seq: FLAG,
    client_id: ID,
    sender_id: pseudonymousUserRef,
    kind: FLAG,
    body_enc: sensitive({
      category: 'health.consultation',
      purposes: ['service', 'crisis_handling', 'archiving'],
      legalBasis: 'separate_consent',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
    created_at: TIME,
  },
  // CON-4: the row's existence says a consultation showed a crisis signal; what kind, and support's note, are
  // encrypted under the consultation's key. No message text is ever copied here.
  crisis_escalations: {
    id: ID,
    consultation_id: ID,
    status: none('workflow state of an escalation (open, acknowledged, closed); identifies no one'),
    signal_enc: sensitive({
      category: 'health.consultation',
      purposes: ['crisis_handling'],
      legalBasis: 'vital_interests',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
    created_at: TIME,
    last_signal_at: TIME,
    acknowledged_at: TIME,
    acknowledged_by: pseudonymousUserRef,
    closed_at: TIME,
    closed_by: pseudonymousUserRef,
    close_note_enc: sensitive({
      category: 'health.consultation',
      purposes: ['crisis_handling', 'audit'],
      legalBasis: 'vital_interests',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
    // the doctor's note when they ended the consultation and handed the escalation over to support
    handed_over_at: TIME,
    handed_over_by: pseudonymousUserRef,
    handover_note_enc: sensitive({
      category: 'health.consultation',
      purposes: ['crisis_handling', 'audit'],
      legalBasis: 'vital_interests',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
  },
  consultation_reads: { consultation_id: ID, user_id: pseudonymousUserRef, last_read_seq: FLAG, updated_at: TIME },
  // Voice and video calls (CON-2): metadata only. Audio and video go from device to device (or through the TURN
  // relay, encrypted end to end by DTLS-SRTP) and are never received or stored by the server.
  calls: {
    id: ID,
    consultation_id: ID,
    caller_id: pseudonymousUserRef,
    callee_id: pseudonymousUserRef,
    media: callMetadata,
    state: FLAG,
    outcome: callMetadata,
    decline_reason: callMetadata,
    ended_by: FLAG,
    started_at: callMetadata,
    ring_deadline: TIME,
    answered_at: callMetadata,
    ended_at: callMetadata,
    duration_seconds: callMetadata,
  },
  // Uploads in flight: which file belongs to which consultation until its message commits (then swept).
  media_uploads: { id: ID, consultation_id: ID, created_at: TIME },
  // Image and voice-note messages: the bytes are in the blob store, sealed with the consultation's key.
  consultation_media: {
    // the key of the sealed image or voice recording in the blob store: health data, like the message text
    id: sensitive({
      category: 'health.consultation',
      purposes: ['service', 'archiving'],
      legalBasis: 'separate_consent',
      retention: 'medical_record',
      protection: 'encrypted',
    }),
    consultation_id: ID,
    seq: FLAG,
    variant: FLAG,
    content_type: FLAG,
    byte_size: FLAG,
    width: FLAG,
    height: FLAG,
    duration_ms: FLAG,
    sha256: none('hash of ciphertext-protected content; the content itself is in the encrypted blob store'),
    created_at: TIME,
  },
  blobs: {
    id: ID,
    owner_id: pseudonymousUserRef,
    variant: FLAG,
    parent_id: ID,
    content_type: FLAG,
    byte_size: FLAG,
    width: FLAG,
    height: FLAG,
    sha256: none('hash of ciphertext-protected content; the content itself is in the encrypted blob store'),
    created_at: TIME,
  },
  doctor_applications: {
    id: ID,
    user_id: pseudonymousUserRef,
    status: FLAG,
    basic_enc: personal({
      category: 'identity.name',
      purposes: ['identity_verification', 'service', 'support'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    id_number_enc: sensitive({
      category: 'identity.id_number',
      purposes: ['identity_verification', 'regulatory_reporting'],
      legalBasis: 'separate_consent',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    id_number_bidx: sensitive({
      category: 'identity.id_number',
      purposes: ['security'],
      legalBasis: 'separate_consent',
      retention: 'account_lifetime',
      protection: 'blind_index',
    }),
    practice_cert_enc: sensitive({
      category: 'credential.certificate',
      purposes: ['identity_verification', 'regulatory_reporting'],
      legalBasis: 'separate_consent',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    practice_cert_bidx: sensitive({
      category: 'credential.certificate',
      purposes: ['security'],
      legalBasis: 'separate_consent',
      retention: 'account_lifetime',
      protection: 'blind_index',
    }),
    qualification_cert_enc: sensitive({
      category: 'credential.certificate',
      purposes: ['identity_verification', 'regulatory_reporting'],
      legalBasis: 'separate_consent',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    qualification_cert_bidx: sensitive({
      category: 'credential.certificate',
      purposes: ['security'],
      legalBasis: 'separate_consent',
      retention: 'account_lifetime',
      protection: 'blind_index',
    }),
    professional_enc: personal({
      category: 'profile.professional',
      purposes: ['identity_verification', 'service'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    practitioner_type: FLAG,
    photo_avatar: personal({
      category: 'profile.photo',
      purposes: ['service'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    photo_id_front: photoRef('identity.document_photo'),
    photo_id_back: photoRef('identity.document_photo'),
    photo_practice_cert_cover: photoRef('credential.certificate'),
    photo_practice_cert_personal: photoRef('credential.certificate'),
    photo_qualification_cert_cover: photoRef('credential.certificate'),
    photo_qualification_cert_personal: photoRef('credential.certificate'),
    submission_count: FLAG,
    created_at: TIME,
    updated_at: TIME,
    submitted_at: TIME,
    decided_at: TIME,
  },
  automated_decisions: {
    id: ID,
    subject_id: pseudonymousUserRef,
    kind: FLAG,
    ref_id: ID,
    rule_set_version: FLAG,
    inputs_sha256: none('hash of the inputs; the inputs themselves are not kept here'),
    outcome: personal({
      category: 'automated.decision',
      purposes: ['identity_verification'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    rules: personal({
      category: 'automated.decision',
      purposes: ['identity_verification'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    created_at: TIME,
  },
  application_events: {
    id: ID,
    seq: FLAG,
    application_id: ID,
    at: TIME,
    kind: FLAG,
    actor_id: pseudonymousUserRef,
    reason_code: FLAG,
    reason_text_enc: personal({
      category: 'review.record',
      purposes: ['identity_verification', 'audit'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    decision_id: ID,
  },
  reveal_grants: {
    id: ID,
    staff_id: pseudonymousUserRef,
    application_id: ID,
    fields: FLAG,
    purpose: FLAG,
    expires_at: TIME,
    created_at: TIME,
  },
  notices: {
    id: ID,
    user_id: pseudonymousUserRef,
    kind: FLAG,
    data: none('ids and status values only'),
    created_at: TIME,
    read_at: personal({
      category: 'notice.record',
      purposes: ['service'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
  },
  // Push notifications (NOT-1, NOT-2): collected only when the person turns notifications on, for push alone.
  push_subscriptions: {
    id: ID,
    user_id: pseudonymousUserRef,
    session_id: ID,
    channel: FLAG,
    app: FLAG,
    service: pushDevice('clear'),
    endpoint_bidx: pushDevice('blind_index'),
    subscription_enc: pushDevice('encrypted'),
    created_at: TIME,
    last_delivered_at: TIME,
  },
  push_preferences: {
    user_id: pseudonymousUserRef,
    messages: notificationSetting,
    calls: notificationSetting,
    consultations: notificationSetting,
    review: notificationSetting,
    quiet_enabled: notificationSetting,
    quiet_start: notificationSetting,
    quiet_end: notificationSetting,
    time_zone: notificationSetting,
    updated_at: TIME,
  },
  push_outbox: { id: ID, notice_id: ID, created_at: TIME },
  push_vapid_keys: {
    id: FLAG,
    public_key: none('the server’s public VAPID key; published to every browser'),
    private_key_enc: none('the server’s own signing key, belonging to no person; sealed with a master-derived key'),
    created_at: TIME,
  },
  doctor_profiles: {
    user_id: pseudonymousUserRef,
    name: personal({
      category: 'profile.public',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    avatar_blob_id: personal({
      category: 'profile.photo',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    title: personal({
      category: 'profile.public',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    hospital: personal({
      category: 'profile.public',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    department: personal({
      category: 'profile.public',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    practitioner_type: FLAG,
    expertise: personal({
      category: 'profile.public',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    biography: personal({
      category: 'profile.public',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    verified_at: TIME,
    updated_at: TIME,
  },
  schema_migrations: { name: FLAG, checksum: FLAG, applied_at: TIME },
  subject_keys: {
    subject_id: ID,
    version: FLAG,
    wrapped_key: personal({
      category: 'crypto.key',
      purposes: ['account'],
      legalBasis: 'contract',
      retention: 'key_until_erasure',
      protection: 'encrypted',
    }),
    kek_version: FLAG,
    created_at: TIME,
  },
  key_tombstones: { subject_id: ID, destroyed_at: TIME, reason: FLAG },
  users: {
    id: ID,
    app: FLAG,
    phone_bidx: personal({
      category: 'contact.phone',
      purposes: ['account'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'blind_index',
    }),
    phone_enc: personal({
      category: 'contact.phone',
      purposes: ['account', 'security', 'support'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    display_name_enc: personal({
      category: 'profile.display_name',
      purposes: ['service'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    // Shared by the patient with the doctors they consult, only if they choose to (set and cleared in 我的/Me).
    age_band_enc: personal({
      category: 'profile.demographics',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    sex_enc: personal({
      category: 'profile.demographics',
      purposes: ['service'],
      legalBasis: 'consent',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    locale: personal({
      category: 'profile.preferences',
      purposes: ['service'],
      legalBasis: 'contract',
      retention: 'account_lifetime',
      protection: 'clear',
    }),
    status: FLAG,
    totp_secret_enc: personal({
      category: 'account.credentials',
      purposes: ['security'],
      legalBasis: 'security',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    totp_enrolled_at: TIME,
    totp_last_step: none('counter of the last accepted authenticator time step'),
    created_at: TIME,
  },
  staff_roles: { user_id: pseudonymousUserRef, role: FLAG, granted_at: TIME, granted_by: pseudonymousUserRef },
  staff_enrolments: {
    id: ID,
    user_id: pseudonymousUserRef,
    token_hash: none('hash of a one-time random token'),
    pending_secret_enc: personal({
      category: 'account.credentials',
      purposes: ['security'],
      legalBasis: 'security',
      retention: 'account_lifetime',
      protection: 'encrypted',
    }),
    expires_at: TIME,
    used_at: TIME,
    created_at: TIME,
  },
  otp_challenges: {
    id: ID,
    app: FLAG,
    phone_bidx: personal({
      category: 'contact.phone',
      purposes: ['account', 'security'],
      legalBasis: 'security',
      retention: 'otp_24h',
      protection: 'blind_index',
    }),
    ip_bidx: personal({
      category: 'device.network',
      purposes: ['security'],
      legalBasis: 'security',
      retention: 'otp_24h',
      protection: 'blind_index',
    }),
    code_hash: none('keyed hash of a short-lived random code'),
    created_at: TIME,
    expires_at: TIME,
    wrong_attempts: FLAG,
    consumed_at: TIME,
    purpose: FLAG,
  },
  sessions: {
    id: ID,
    user_id: pseudonymousUserRef,
    token_hash: none('hash of a random session token'),
    stage: FLAG,
    keep_signed_in: FLAG,
    created_at: TIME,
    last_seen_at: TIME,
    idle_timeout_seconds: FLAG,
    absolute_expires_at: TIME,
    user_agent_enc: personal({
      category: 'device.network',
      purposes: ['security'],
      legalBasis: 'legal_obligation',
      retention: 'network_logs_6m',
      protection: 'encrypted',
    }),
    ip_enc: personal({
      category: 'device.network',
      purposes: ['security'],
      legalBasis: 'legal_obligation',
      retention: 'network_logs_6m',
      protection: 'encrypted',
    }),
    revoked_at: TIME,
    revoke_reason: FLAG,
  },
  staff_totp_failures: {
    session_id: ID,
    failures: none('count of wrong authenticator codes in one session'),
    last_failed_at: TIME,
  },
  policy_versions: {
    version: FLAG,
    published_at: TIME,
    effective_at: TIME,
    material: FLAG,
    title_zh: none('public policy text'),
    title_en: none('public policy text'),
    summary_zh: none('public policy text'),
    summary_en: none('public policy text'),
    text_zh: none('public policy text'),
    text_en: none('public policy text'),
    sha256_zh: none('hash of public text'),
    sha256_en: none('hash of public text'),
    published_by: pseudonymousUserRef,
  },
  consents: {
    id: ID,
    user_id: pseudonymousUserRef,
    kind: FLAG,
    purpose: FLAG,
    version: FLAG,
    locale: FLAG,
    text_sha256: none('hash of public text'),
    accepted_at: personal({
      category: 'consent.record',
      purposes: ['consent_records'],
      legalBasis: 'legal_obligation',
      retention: 'consent_account_plus_3y',
      protection: 'clear',
    }),
    ip_enc: personal({
      category: 'device.network',
      purposes: ['consent_records'],
      legalBasis: 'legal_obligation',
      retention: 'consent_account_plus_3y',
      protection: 'encrypted',
    }),
    user_agent_enc: personal({
      category: 'device.network',
      purposes: ['consent_records'],
      legalBasis: 'legal_obligation',
      retention: 'consent_account_plus_3y',
      protection: 'encrypted',
    }),
    withdrawn_at: TIME,
  },
  audit_log: {
    id: ID,
    at: TIME,
    actor_id: personal({
      category: 'security.audit',
      purposes: ['audit', 'security'],
      legalBasis: 'legal_obligation',
      retention: 'network_logs_6m',
      protection: 'pseudonymous_id',
    }),
    actor_role: FLAG,
    action: FLAG,
    subject_id: personal({
      category: 'security.audit',
      purposes: ['audit'],
      legalBasis: 'legal_obligation',
      retention: 'network_logs_6m',
      protection: 'pseudonymous_id',
    }),
    purpose: FLAG,
    request_id: ID,
    details: none('ids, counts and field names only; never personal data in clear'),
    prev_hash: none('hash'),
    hash: none('hash'),
  },
  audit_anchor: { singleton: FLAG, last_removed_id: ID, last_removed_hash: none('hash'), updated_at: TIME },
  rights_requests: {
    id: ID,
    subject_id: rightsRecord('pseudonymous_id'),
    app: FLAG,
    kind: FLAG,
    status: FLAG,
    received_at: TIME,
    due_on: none('a deadline date'),
    due_provisional: FLAG,
    erasure_scope: FLAG,
    decision: FLAG,
    details_enc: rightsRecord('encrypted'),
    verification: FLAG,
    verification_note_enc: rightsRecord('encrypted'),
    entered_by: rightsRecord('pseudonymous_id'),
    flagged_repeat: FLAG,
    refusal_ground: FLAG,
    refusal_reason_enc: rightsRecord('encrypted'),
    response_enc: rightsRecord('encrypted'),
    certificate_token_hash: none('hash of a random link token'),
    completed_at: TIME,
    withdrawn_at: TIME,
  },
  rights_request_events: {
    id: ID,
    request_id: ID,
    at: TIME,
    actor_id: rightsRecord('pseudonymous_id'),
    actor_role: FLAG,
    kind: FLAG,
    note_enc: rightsRecord('encrypted'),
  },
  rights_exports: {
    request_id: ID,
    state: FLAG,
    progress: FLAG,
    blob_name: none('random file name of an encrypted archive'),
    file_key_enc: none("an archive's random key, sealed under the person's key"),
    size_bytes: FLAG,
    ready_at: TIME,
    expires_at: TIME,
    downloaded_at: TIME,
    deleted_at: TIME,
  },
  deletion_certificates: {
    request_id: ID,
    issued_at: TIME,
    body: none('tables, row counts, dates and legal bases of an erasure; no personal data'),
    signature: none('signature'),
  },
  legal_holds: {
    id: ID,
    request_id: ID,
    category: FLAG,
    basis: none('legal basis text'),
    held_from: TIME,
    held_until: TIME,
    payload_enc: personal({
      category: 'legal.hold',
      purposes: ['security', 'audit'],
      legalBasis: 'legal_obligation',
      retention: 'legal_hold',
      protection: 'encrypted',
    }),
    released_at: TIME,
  },
  calendar_year_notices: {
    year: FLAG,
    holidays: none('public holiday dates'),
    workdays: none('public make-up working dates'),
    source: none('title of a public notice'),
    added_by: pseudonymousUserRef,
    added_at: TIME,
  },
  erasure_notifications: {
    id: ID,
    request_id: ID,
    recipient: FLAG,
    asked_at: TIME,
    answer: none("a recipient's technical answer (status, count)"),
    answered_at: TIME,
  },
};

export function personalColumns(): Array<{ table: string; column: string; spec: PersonalColumn }> {
  return Object.entries(INVENTORY).flatMap(([table, cols]) =>
    Object.entries(cols).flatMap(([column, spec]) => (spec.sensitivity === 'none' ? [] : [{ table, column, spec }])),
  );
}

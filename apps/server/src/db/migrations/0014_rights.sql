-- Issue 11: data-subject rights. A request is made by a person (after a fresh SMS code, the step-up verification)
-- or entered by support on their behalf with how identity was checked. Everything the person wrote is sealed under
-- their own key; the request's dates, kind and outcome stay in clear as proof that we answered it in time.

-- Sign-in codes now serve two purposes: signing in, and confirming a rights request of a signed-in person.
alter table otp_challenges add column purpose text not null default 'sign_in' check (purpose in ('sign_in', 'step_up'));

create table rights_requests (
  id uuid primary key,
  -- The account (pseudonymous id). No foreign key: the account row is anonymised when the request is processed and
  -- the request must outlive that.
  subject_id uuid not null,
  app text not null check (app in ('doctor', 'patient')),
  kind text not null check (kind in ('export', 'correction', 'erasure', 'cancellation', 'explanation')),
  status text not null default 'received'
    check (status in ('received', 'in_progress', 'completed', 'refused', 'withdrawn')),
  received_at timestamptz not null,
  due_on date not null,
  due_provisional boolean not null,
  erasure_scope text check (erasure_scope in ('sign_in_history', 'push_devices', 'notices', 'other')),
  decision text check (decision in ('onboarding_precheck', 'crisis_flag')),
  details_enc bytea,
  verification text not null
    check (verification in ('sms_step_up', 'support_callback', 'support_id_document', 'support_in_person')),
  verification_note_enc bytea,
  entered_by uuid,
  flagged_repeat boolean not null default false,
  refusal_ground text check (refusal_ground in
    ('national_security', 'public_interest', 'criminal_investigation', 'malice_or_abuse', 'harm_to_others')),
  refusal_reason_enc bytea,
  response_enc bytea,
  -- Cancellations: the hash of the token in the public certificate link given to the person.
  certificate_token_hash bytea,
  completed_at timestamptz,
  withdrawn_at timestamptz,
  check ((status = 'refused') = (refusal_ground is not null))
);
create index rights_requests_subject on rights_requests (subject_id, received_at);
create index rights_requests_open on rights_requests (due_on) where status in ('received', 'in_progress');
-- One open cancellation per account at a time.
create unique index rights_requests_one_open_cancellation on rights_requests (subject_id)
  where kind = 'cancellation' and status in ('received', 'in_progress');

create table rights_request_events (
  id bigserial primary key,
  request_id uuid not null references rights_requests (id) on delete cascade,
  at timestamptz not null,
  actor_id uuid,
  actor_role text not null check (actor_role in ('person', 'privacy_officer', 'support', 'admin', 'system')),
  kind text not null,
  note_enc bytea
);
create index rights_request_events_request on rights_request_events (request_id, id);

create table rights_exports (
  request_id uuid primary key references rights_requests (id) on delete cascade,
  state text not null default 'queued' check (state in ('queued', 'building', 'ready', 'downloaded', 'expired', 'failed')),
  progress integer not null default 0 check (progress between 0 and 100),
  blob_name text,
  -- The archive's own AES-256-GCM key, IV and tag, sealed under the person's key (the file is written as a stream).
  file_key_enc bytea,
  size_bytes bigint,
  ready_at timestamptz,
  expires_at timestamptz,
  downloaded_at timestamptz,
  deleted_at timestamptz
);

-- What erasure produced for the person to keep: signed, without personal data (ids, tables, counts, dates, bases).
create table deletion_certificates (
  request_id uuid primary key references rights_requests (id),
  issued_at timestamptz not null,
  body jsonb not null,
  signature text not null
);

-- What the law makes us keep after an erasure, sealed under a key of the hold's own (subject id = hold id), which
-- the retention job destroys when the hold ends. Seen only by the privacy officer.
create table legal_holds (
  id uuid primary key,
  request_id uuid not null references rights_requests (id),
  category text not null,
  basis text not null,
  held_from timestamptz not null,
  held_until timestamptz not null,
  payload_enc bytea,
  released_at timestamptz
);
create index legal_holds_due on legal_holds (held_until) where released_at is null;

-- Statutory holiday notices added by an operator for years the packaged calendar has no data for.
create table calendar_year_notices (
  year integer primary key check (year between 2000 and 2100),
  holidays text[] not null,
  workdays text[] not null,
  source text,
  added_by uuid,
  added_at timestamptz not null
);

-- Recipients told to delete a person's data (RIG-3): push services, the SMS provider. Their answer is recorded.
create table erasure_notifications (
  id bigserial primary key,
  request_id uuid not null references rights_requests (id),
  recipient text not null,
  asked_at timestamptz not null,
  answer text not null,
  answered_at timestamptz
);

-- A consultation also ends when one side's account is cancelled (the other side is told).
alter table consultations drop constraint consultations_ended_reason_check;
alter table consultations add constraint consultations_ended_reason_check
  check (ended_reason in ('doctor', 'idle', 'account_closed'));

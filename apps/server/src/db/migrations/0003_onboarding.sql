-- Doctor onboarding (入驻): applications, encrypted photos, the automated pre-check, review events,
-- reveal grants, in-app notices and the public profile.

-- Encrypted files (photos). The bytes live in the blob store (a folder in the data dir, or S3 later),
-- encrypted with the owner's data key; this row is the index.
create table blobs (
  id uuid primary key,
  owner_id uuid not null references users (id) on delete cascade,
  variant text not null check (variant in ('full', 'thumb')),
  parent_id uuid references blobs (id) on delete cascade,
  content_type text not null,
  byte_size integer not null,
  width integer not null,
  height integer not null,
  sha256 text not null,
  created_at timestamptz not null default now()
);
create index blobs_owner on blobs (owner_id);

create table doctor_applications (
  id uuid primary key,
  user_id uuid not null unique references users (id) on delete cascade,
  status text not null check (status in ('draft', 'submitted', 'changes_requested', 'approved', 'rejected')),
  -- name, contact phone, email, referral source: one encrypted JSON document
  basic_enc bytea,
  id_number_enc bytea,
  id_number_bidx bytea,
  practice_cert_enc bytea,
  practice_cert_bidx bytea,
  qualification_cert_enc bytea,
  qualification_cert_bidx bytea,
  -- everything under "professional" (hospital … biography): one encrypted JSON document
  professional_enc bytea,
  practitioner_type text check (practitioner_type in ('psychiatrist', 'psychotherapist', 'counsellor')),
  photo_avatar uuid references blobs (id) on delete set null,
  photo_id_front uuid references blobs (id) on delete set null,
  photo_id_back uuid references blobs (id) on delete set null,
  photo_practice_cert_cover uuid references blobs (id) on delete set null,
  photo_practice_cert_personal uuid references blobs (id) on delete set null,
  photo_qualification_cert_cover uuid references blobs (id) on delete set null,
  photo_qualification_cert_personal uuid references blobs (id) on delete set null,
  submission_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  decided_at timestamptz
);
create index doctor_applications_status on doctor_applications (status, submitted_at);
create index doctor_applications_id_bidx on doctor_applications (id_number_bidx);
create index doctor_applications_practice_bidx on doctor_applications (practice_cert_bidx);
create index doctor_applications_qualification_bidx on doctor_applications (qualification_cert_bidx);

-- Automated decisions (ONB-3, RIG-6): inputs are kept only as a hash; explanations never contain personal data.
create table automated_decisions (
  id uuid primary key,
  subject_id uuid not null references users (id) on delete cascade,
  kind text not null check (kind in ('onboarding_precheck')),
  ref_id uuid not null,
  rule_set_version text not null,
  inputs_sha256 text not null,
  outcome text not null check (outcome in ('pass', 'flags')),
  rules jsonb not null,
  created_at timestamptz not null default now()
);
create index automated_decisions_ref on automated_decisions (ref_id, created_at desc);

create table application_events (
  id uuid primary key,
  -- insertion order, so events at the same instant keep the order they happened in
  seq bigint generated always as identity,
  application_id uuid not null references doctor_applications (id) on delete cascade,
  at timestamptz not null default now(),
  kind text not null check (kind in ('submitted', 'prechecked', 'changes_requested', 'approved', 'rejected')),
  actor_id uuid references users (id),
  reason_code text,
  -- the reviewer's words to the doctor, encrypted with the doctor's key
  reason_text_enc bytea,
  decision_id uuid references automated_decisions (id)
);
create index application_events_app on application_events (application_id, seq);

-- A reviewer's time-limited right to see full numbers/photos of one application, after stating a purpose.
create table reveal_grants (
  id uuid primary key,
  staff_id uuid not null references users (id) on delete cascade,
  application_id uuid not null references doctor_applications (id) on delete cascade,
  fields text[] not null,
  purpose text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index reveal_grants_lookup on reveal_grants (staff_id, application_id, expires_at);

create table notices (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  -- ids and status values only; the text is rendered from the kind
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notices_user on notices (user_id, created_at desc);

-- What the public sees of an approved doctor (ONB-5): published on purpose, so stored in clear.
create table doctor_profiles (
  user_id uuid primary key references users (id) on delete cascade,
  name text not null,
  avatar_blob_id uuid references blobs (id) on delete set null,
  title text,
  hospital text,
  department text,
  practitioner_type text not null check (practitioner_type in ('psychiatrist', 'psychotherapist', 'counsellor')),
  expertise text[] not null default '{}',
  biography jsonb not null default '{}'::jsonb,
  verified_at timestamptz not null,
  updated_at timestamptz not null default now()
);

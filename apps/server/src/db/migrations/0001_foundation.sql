-- Foundation: people, their keys, sign-in, sessions, policy, consent and the audit log.
-- Personal data is never stored in clear: *_enc columns hold AES-256-GCM ciphertext under the
-- data subject's own key (subject_keys), *_bidx columns hold HMAC blind indexes for lookups.

create table subject_keys (
  subject_id uuid not null,
  version integer not null,
  -- the subject's data key, wrapped (AES-256-GCM) by the key-encryption key derived from the master key
  wrapped_key bytea not null,
  kek_version integer not null default 1,
  created_at timestamptz not null default now(),
  primary key (subject_id, version)
);

-- Crypto-shredding ledger: subjects whose keys were destroyed. Re-applied after a restore so that
-- an older backup cannot bring a destroyed key back.
create table key_tombstones (
  subject_id uuid primary key,
  destroyed_at timestamptz not null default now(),
  reason text not null
);

create table users (
  id uuid primary key default gen_random_uuid(),
  app text not null check (app in ('doctor', 'patient', 'staff')),
  phone_bidx bytea not null,
  phone_enc bytea not null,
  display_name_enc bytea,
  locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
  status text not null default 'active' check (status in ('active', 'disabled', 'cancelled')),
  totp_secret_enc bytea,
  totp_enrolled_at timestamptz,
  created_at timestamptz not null default now(),
  unique (app, phone_bidx)
);

create table staff_roles (
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('reviewer', 'support', 'privacy_officer', 'security_officer', 'admin')),
  granted_at timestamptz not null default now(),
  granted_by uuid references users (id),
  primary key (user_id, role)
);

create table staff_enrolments (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null unique,
  pending_secret_enc bytea,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);

create table otp_challenges (
  id uuid primary key default gen_random_uuid(),
  app text not null check (app in ('doctor', 'patient', 'staff')),
  phone_bidx bytea not null,
  ip_bidx bytea not null,
  code_hash bytea not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  wrong_attempts integer not null default 0,
  consumed_at timestamptz
);
create index otp_challenges_phone on otp_challenges (phone_bidx, created_at desc);
create index otp_challenges_ip on otp_challenges (ip_bidx, created_at desc);

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null unique,
  stage text not null check (stage in ('active', 'totp_required', 'totp_enrolment_required')),
  keep_signed_in boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  idle_timeout_seconds integer not null,
  absolute_expires_at timestamptz not null,
  user_agent_enc bytea,
  ip_enc bytea,
  revoked_at timestamptz,
  revoke_reason text
);
create index sessions_user on sessions (user_id) where revoked_at is null;

create table policy_versions (
  version integer primary key,
  published_at timestamptz not null default now(),
  effective_at timestamptz not null,
  material boolean not null default true,
  title_zh text not null,
  title_en text not null,
  summary_zh text not null,
  summary_en text not null,
  text_zh text not null,
  text_en text not null,
  sha256_zh text not null,
  sha256_en text not null,
  published_by uuid references users (id)
);

create table consents (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  kind text not null check (kind in ('policy', 'sensitive')),
  purpose text check (purpose in ('onboarding', 'consultation')),
  version integer not null,
  locale text not null,
  text_sha256 text not null,
  accepted_at timestamptz not null default now(),
  ip_enc bytea,
  user_agent_enc bytea,
  withdrawn_at timestamptz,
  check ((kind = 'policy') = (purpose is null))
);
create index consents_user on consents (user_id, kind, accepted_at desc);

-- Append-only, hash-chained. No personal data in clear: ids, typed actions, purposes.
create table audit_log (
  id bigint primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_role text,
  action text not null,
  subject_id uuid,
  purpose text,
  request_id text,
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null
);
create index audit_log_subject on audit_log (subject_id, id);

-- Where verification starts after the retention job removed the oldest entries.
create table audit_anchor (
  singleton boolean primary key default true check (singleton),
  last_removed_id bigint not null,
  last_removed_hash text not null,
  updated_at timestamptz not null default now()
);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  -- The retention path (and only it) sets this for its own transaction.
  if current_setting('anxin.audit_retention', true) = 'on' and tg_op = 'DELETE' then
    return old;
  end if;
  raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

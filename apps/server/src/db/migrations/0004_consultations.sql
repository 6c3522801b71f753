-- Consultations and messages (CON-1). Each consultation has its own data key (subject id = consultation id):
-- medical records have retention periods of their own, independent of either person's account.

create table consultations (
  id uuid primary key,
  patient_id uuid not null references users (id),
  doctor_id uuid not null references users (id),
  status text not null check (status in ('requested', 'active', 'declined', 'ended')),
  concern_enc bytea not null,
  -- whether this follows up an existing diagnosis: health data, so encrypted like the concern
  follow_up_enc bytea not null,
  counselling boolean not null,
  decline_reason_enc bytea,
  created_at timestamptz not null,
  accepted_at timestamptz,
  ended_at timestamptz,
  -- the last sequence number handed out; messages are numbered 1, 2, 3 … with no gaps
  last_seq bigint not null default 0,
  last_message_at timestamptz
);
create index consultations_doctor on consultations (doctor_id, status, created_at desc);
create index consultations_patient on consultations (patient_id, created_at desc);

create table messages (
  consultation_id uuid not null references consultations (id) on delete cascade,
  seq bigint not null,
  client_id uuid not null,
  sender_id uuid not null references users (id),
  kind text not null check (kind in ('text')),
  body_enc bytea not null,
  created_at timestamptz not null,
  primary key (consultation_id, seq),
  unique (consultation_id, client_id)
);

create table consultation_reads (
  consultation_id uuid not null references consultations (id) on delete cascade,
  user_id uuid not null references users (id),
  last_read_seq bigint not null default 0,
  updated_at timestamptz not null,
  primary key (consultation_id, user_id)
);

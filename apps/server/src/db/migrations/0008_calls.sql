-- Voice and video calls (CON-2). Only metadata: who, which kind, when it started, was answered and ended, how long
-- and how it ended. No column can hold audio, video or session descriptions (SDP): they are relayed, never stored.

create table calls (
  id uuid primary key,
  consultation_id uuid not null references consultations (id) on delete cascade,
  caller_id uuid not null references users (id),
  callee_id uuid not null references users (id),
  media text not null check (media in ('voice', 'video')),
  state text not null check (state in ('inviting', 'ringing', 'active', 'ended')),
  outcome text check (outcome in ('completed', 'declined', 'missed', 'failed', 'cancelled', 'busy')),
  -- a fixed list, never free text
  decline_reason text check (decline_reason in ('busy_now', 'call_later', 'text_instead', 'device_unavailable')),
  ended_by text check (ended_by in ('caller', 'callee', 'system')),
  started_at timestamptz not null,
  -- when an unanswered call counts as missed; kept so a restarted server can still end it
  ring_deadline timestamptz not null,
  answered_at timestamptz,
  ended_at timestamptz,
  duration_seconds integer not null default 0 check (duration_seconds >= 0),
  check ((state = 'ended') = (outcome is not null)),
  check (caller_id <> callee_id)
);
create index calls_consultation on calls (consultation_id, started_at desc);
-- one call at a time per consultation, and quick "is this person in a call" checks
create unique index calls_one_open_per_consultation on calls (consultation_id) where state <> 'ended';
create index calls_open_caller on calls (caller_id) where state <> 'ended';
create index calls_open_callee on calls (callee_id) where state <> 'ended';
create index calls_ringing on calls (ring_deadline) where state in ('inviting', 'ringing');

-- Push notifications (NOT-1, NOT-2): the server's VAPID key pair, one subscription per signed-in device,
-- per-person preferences and quiet hours, and the outbox that turns a committed notice into a push.

-- The server's own VAPID key pair (RFC 8292), made at first start. It identifies this server to the browsers'
-- push services and belongs to no person; the private key is sealed with a key derived from the master key.
create table push_vapid_keys (
  id smallint primary key default 1 check (id = 1),
  public_key text not null,
  private_key_enc bytea not null,
  created_at timestamptz not null default now()
);

-- One row per browser subscription, tied to the session it was made in: signing that session out removes it.
create table push_subscriptions (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  session_id uuid not null references sessions (id) on delete cascade,
  -- the channel that delivers it; only 'webpush' is implemented (vendor channels are declared, not selectable)
  channel text not null check (channel in ('webpush')),
  -- which mobile app subscribed (the service worker scope the click opens)
  app text not null check (app in ('doctor', 'patient')),
  -- the declared recipient (privacy/inventory/processors.ts) the endpoint belongs to
  service text not null,
  -- keyed hash of the endpoint URL: finds a re-subscribed browser without decrypting anything
  endpoint_bidx bytea not null unique,
  -- endpoint URL, p256dh and auth as one JSON document encrypted under the person's key
  subscription_enc bytea not null,
  created_at timestamptz not null,
  last_delivered_at timestamptz
);
create index push_subscriptions_user on push_subscriptions (user_id);
create index push_subscriptions_session on push_subscriptions (session_id);

create table push_preferences (
  user_id uuid primary key references users (id) on delete cascade,
  messages boolean not null default true,
  calls boolean not null default true,
  consultations boolean not null default true,
  review boolean not null default true,
  quiet_enabled boolean not null default false,
  quiet_start text not null default '22:00' check (quiet_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  quiet_end text not null default '07:00' check (quiet_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  time_zone text not null default 'Asia/Shanghai',
  updated_at timestamptz not null
);

-- Transactional outbox: written in the same transaction as the notice, so a rolled-back notice never pushes
-- and a committed one survives a restart. The dispatcher moves rows into pg-boss delivery jobs.
create table push_outbox (
  id bigint generated always as identity primary key,
  notice_id uuid not null references notices (id) on delete cascade,
  created_at timestamptz not null
);

-- Every way a session ends by revocation (sign-out, "sign out everywhere", a revoked device, expiry noticed at
-- the next request, the staff second-factor steps) stops push to that device in the same transaction.
create function push_drop_revoked_session() returns trigger
language plpgsql as $$
begin
  delete from push_subscriptions where session_id = new.id;
  return null;
end;
$$;
create trigger sessions_revoked_drop_push
  after update of revoked_at on sessions
  for each row when (new.revoked_at is not null and old.revoked_at is null)
  execute function push_drop_revoked_session();

-- Image and voice-note messages (CON-1). The bytes live in the blob store, sealed with the consultation's own data
-- key (like the message text), so the consultation's retention and erasure apply to them too.

alter table messages drop constraint messages_kind_check;
alter table messages add constraint messages_kind_check check (kind in ('text', 'image', 'voice'));

create table consultation_media (
  id uuid primary key,
  consultation_id uuid not null references consultations (id) on delete cascade,
  -- the message this file belongs to; media never exists without its message (both written in one transaction)
  seq bigint not null,
  variant text not null check (variant in ('full', 'thumb', 'audio')),
  content_type text not null,
  byte_size integer not null,
  width integer,
  height integer,
  duration_ms integer,
  sha256 text not null,
  created_at timestamptz not null,
  foreign key (consultation_id, seq) references messages (consultation_id, seq) on delete cascade
);
create index consultation_media_message on consultation_media (consultation_id, seq);

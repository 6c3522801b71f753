-- 1. Every message updates its consultation row (last_seq, last_message_at). An index over last_message_at made
--    each of those updates write every index of the table; without it they are HOT updates. Idle consultations are
--    found through accepted_at instead (a consultation idle since a time was accepted before it), and pages keep
--    room for the new row versions.
drop index consultations_idle;
create index consultations_active_accepted on consultations (accepted_at) where status = 'active';
alter table consultations set (fillfactor = 80);

-- 2. Files of image and voice-note messages are written before the message's transaction. Each upload is noted
--    here first; a sweep deletes files whose message never committed (a crash between file and commit).
create table media_uploads (
  id uuid primary key,
  consultation_id uuid not null references consultations (id) on delete cascade,
  created_at timestamptz not null
);
create index media_uploads_created on media_uploads (created_at);

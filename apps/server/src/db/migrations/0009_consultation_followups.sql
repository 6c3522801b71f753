-- Consultations end by the doctor or by themselves after a quiet period (CON-1), and a follow-up opens a new
-- consultation linked to the one it continues.

alter table consultations add column ended_reason text check (ended_reason in ('doctor', 'idle'));
update consultations set ended_reason = 'doctor' where status = 'ended';
alter table consultations add column follow_up_of uuid references consultations (id);
create index consultations_idle on consultations (coalesce(last_message_at, accepted_at)) where status = 'active';

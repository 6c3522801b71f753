-- SEC-1: wrong authenticator codes per half-signed-in staff session, as their own counter. Until now the count was
-- taken from audit_log (action 'auth.totp_failed' by details->>'sessionId'); the audit log still records every miss,
-- it is just no longer what the lock-out counts. A table of its own rather than a column on sessions: only staff
-- sessions awaiting the second factor ever have a row, and the sessions row stays as it was. The row goes with its
-- session (on delete cascade), so it is kept exactly as long as the session is.

create table staff_totp_failures (
  session_id uuid primary key references sessions (id) on delete cascade,
  failures integer not null check (failures > 0),
  last_failed_at timestamptz not null
);

-- Sessions still waiting for the second factor keep the misses they already had.
insert into staff_totp_failures (session_id, failures, last_failed_at)
select s.id, count(*), max(a.at)
from sessions s
join audit_log a on a.action = 'auth.totp_failed' and a.details ->> 'sessionId' = s.id::text
where s.stage = 'totp_required' and s.revoked_at is null
group by s.id;

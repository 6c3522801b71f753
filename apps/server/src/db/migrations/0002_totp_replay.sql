-- A TOTP code is valid for its 30-second step (±1); remembering the last accepted step makes each code single-use.
alter table users add column totp_last_step bigint;

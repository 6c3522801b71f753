-- Crisis escalations (CON-4). A patient's text message that matches the crisis lexicon opens an escalation, in the
-- same transaction as the message (a rolled-back message leaves none). Nothing here holds message text: the kind of
-- signal (severity, categories, rule ids, per-message hits) and support's closing note are encrypted under the
-- consultation's key, so erasing the consultation erases them too. Nothing is reported outside the platform.

create table crisis_escalations (
  id uuid primary key,
  consultation_id uuid not null references consultations (id) on delete cascade,
  -- open → acknowledged (by the doctor) → closed (by support, with a note)
  status text not null check (status in ('open', 'acknowledged', 'closed')),
  -- JSON { severity, categories, ruleIds, hitCount, firstSeq, lastSeq, hits: [{ seq, at, severity, categories,
  -- ruleIds }] } encrypted under the consultation's key: which messages carried which kind of signal, never text
  signal_enc bytea not null,
  created_at timestamptz not null,
  last_signal_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by uuid references users (id),
  closed_at timestamptz,
  closed_by uuid references users (id),
  close_note_enc bytea,
  check ((status = 'closed') = (closed_at is not null and close_note_enc is not null))
);
-- At most one escalation per consultation that is not closed: further signals are added to it.
create unique index crisis_escalations_one_open on crisis_escalations (consultation_id) where status <> 'closed';
create index crisis_escalations_queue on crisis_escalations (status, last_signal_at desc);

-- CON-4: a doctor who ends a consultation with a crisis alert they have not acknowledged hands it over to platform
-- support with a note (or acknowledges it). The escalation stays open for support, who see the note in their queue;
-- the note is encrypted under the consultation's key like support's closing note.

alter table crisis_escalations add column handed_over_at timestamptz;
alter table crisis_escalations add column handed_over_by uuid references users (id);
alter table crisis_escalations add column handover_note_enc bytea;
alter table crisis_escalations add constraint crisis_escalations_handover
  check ((handed_over_at is null) = (handover_note_enc is null) and (handed_over_at is null) = (handed_over_by is null));

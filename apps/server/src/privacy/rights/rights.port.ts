import type { Queryable } from '../../db/database.js';
import type { FieldRef, KeyStore } from '../../crypto/key-store.js';
import { RETENTION } from '../inventory/purposes.js';
import type { ErasureStep, PersonalDataPort, Subject, SubjectExport } from '../subject-data/ports.js';
import * as repo from './rights.repo.js';

const OWNER = 'privacy/rights/rights.repo.ts';

/** The personal columns of the rights tables (privacy/inventory/inventory.ts), all answered for here. */
const COLUMNS = {
  rights_requests: [
    'subject_id',
    'details_enc',
    'verification_note_enc',
    'entered_by',
    'refusal_reason_enc',
    'response_enc',
  ],
  rights_request_events: ['actor_id', 'note_enc'],
  legal_holds: ['payload_enc'],
  calendar_year_notices: ['added_by'],
} as const;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * The rights engine's own personal-data port: the person's requests and their timelines. Erasure keeps the request
 * rows (proof that we answered, and in time) and cuts staff links of an erased staff member; what the person wrote
 * is sealed under their own key, so it becomes unreadable when the key store port destroys that key. Legal holds
 * are sealed under keys of their own and are never part of the person's export (they exist because the person is
 * gone); the retention job destroys them when they end.
 */
export function createRightsPort(deps: { keys: KeyStore }): PersonalDataPort {
  const { keys } = deps;
  const text = (db: Queryable, userId: string, ref: FieldRef, blob: Buffer | null) =>
    keys.decryptTextIfKept(db, userId, ref, blob);

  async function exportSubject(db: Queryable, { userId }: Subject): Promise<SubjectExport> {
    const rows = await repo.listRequestsOfSubject(db, userId);
    if (rows.length === 0) return { data: {}, files: [] };
    const events = await repo.listEventsOfSubject(db, userId);
    const ref = (id: string, column: string): FieldRef => ({ table: 'rights_requests', column, rowId: id });
    return {
      data: {
        requests: await Promise.all(
          rows.map(async (r) => ({
            id: r.id,
            kind: r.kind,
            status: r.status,
            receivedAt: iso(r.received_at),
            dueOn: r.due_on,
            dueProvisional: r.due_provisional,
            erasureScope: r.erasure_scope,
            decision: r.decision,
            details: await text(db, userId, ref(r.id, 'details_enc'), r.details_enc),
            verification: r.verification,
            verificationNote: await text(db, userId, ref(r.id, 'verification_note_enc'), r.verification_note_enc),
            // Who in support entered it is a staff member's data: only whether someone did.
            enteredBySupport: r.entered_by !== null,
            flaggedRepeat: r.flagged_repeat,
            refusalGround: r.refusal_ground,
            refusalReason: await text(db, userId, ref(r.id, 'refusal_reason_enc'), r.refusal_reason_enc),
            response: await text(db, userId, ref(r.id, 'response_enc'), r.response_enc),
            completedAt: iso(r.completed_at),
            withdrawnAt: iso(r.withdrawn_at),
          })),
        ),
        requestEvents: await Promise.all(
          events.map(async (e) => ({
            requestId: e.request_id,
            at: iso(e.at),
            kind: e.kind,
            by: e.actor_role === 'person' ? 'you' : e.actor_role,
            note: await text(
              db,
              userId,
              { table: 'rights_request_events', column: 'note_enc', rowId: String(e.id) },
              e.note_enc,
            ),
          })),
        ),
      },
      files: [],
    };
  }

  async function erase(db: Queryable, { userId }: Subject): Promise<ErasureStep[]> {
    const rows = await repo.listRequestsOfSubject(db, userId);
    const events = await repo.clearEventActor(db, userId);
    const entered = await repo.clearEnteredBy(db, userId);
    const calendar = await repo.clearCalendarAddedBy(db, userId);
    return [
      {
        table: 'rights_requests',
        action: 'kept',
        rows: rows.length,
        basis:
          `Proof that each request was answered and in time (PIPL art. 50), retention "${RETENTION.rights_request_3y.en}": ` +
          "kind, dates and outcome under the random account id; what the person wrote is sealed under the person's " +
          'key and unreadable once it is destroyed.',
      },
      ...(events > 0 ? [{ table: 'rights_request_events' as const, action: 'anonymised' as const, rows: events }] : []),
      ...(entered > 0 ? [{ table: 'rights_requests' as const, action: 'anonymised' as const, rows: entered }] : []),
      ...(calendar > 0
        ? [{ table: 'calendar_year_notices' as const, action: 'anonymised' as const, rows: calendar }]
        : []),
    ];
  }

  return {
    describe: () => ({ owner: OWNER, columns: COLUMNS }),
    export: exportSubject,
    erase: (db, subject) => erase(db, subject),
  };
}

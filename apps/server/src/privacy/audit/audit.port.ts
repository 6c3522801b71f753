import type { Queryable } from '../../db/database.js';
import { INVENTORY } from '../inventory/inventory.js';
import { RETENTION } from '../inventory/purposes.js';
import type { ErasureStep, PersonalDataPort, Subject, SubjectExport } from '../subject-data/ports.js';
import * as repo from './audit.repo.js';

const OWNER = 'privacy/audit/audit.repo.ts';

/** The personal columns of the audit log (privacy/inventory/inventory.ts), all answered for here. */
const COLUMNS = { audit_log: ['actor_id', 'subject_id'] } as const;

/** The retention the inventory states for the audit log's person references (network_logs_6m). */
function auditRetention(): string {
  const spec = INVENTORY.audit_log!.actor_id!;
  return spec.sensitivity === 'none' ? RETENTION.network_logs_6m.en : RETENTION[spec.retention].en;
}

/**
 * The audit log's personal-data port. The log is append-only and hash-chained: an entry cannot be changed or
 * removed one person at a time without breaking the chain (and the trigger refuses it), and the Cybersecurity Law
 * requires keeping such logs. So export lists the entries where the person is the actor or the subject, and erasure
 * keeps them: they hold random ids, typed actions and ids in `details`, never personal data in clear; past their
 * period they leave only with the oldest part of the chain (purgeAuditBefore).
 */
export function createAuditPort(): PersonalDataPort {
  async function exportSubject(db: Queryable, { userId }: Subject): Promise<SubjectExport> {
    const rows = await repo.listEntriesOfPerson(db, userId);
    return {
      data: {
        // The other party's id (a staff member who looked at the person's data, say) is another person's data:
        // the entry says only that it was someone else, and in which role. `details` holds ids, counts and field
        // names (the inventory classifies it as not personal) and is given as stored, to make the entry readable.
        auditEntries: rows.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          action: r.action,
          actor: r.actor_id === null ? null : r.actor_id === userId ? 'you' : 'someone else',
          actorRole: r.actor_role,
          subject: r.subject_id === null ? null : r.subject_id === userId ? 'you' : 'someone else',
          purpose: r.purpose,
          requestId: r.request_id,
          details: r.details,
        })),
      },
      files: [],
    };
  }

  async function erase(db: Queryable, { userId }: Subject): Promise<ErasureStep[]> {
    const rows = await repo.countEntriesOfPerson(db, userId);
    return [
      {
        table: 'audit_log',
        action: 'kept',
        rows,
        basis:
          `Security and audit log (Cybersecurity Law art. 21), retention "${auditRetention()}": append-only and ` +
          'hash-chained, so no entry is changed or removed for one person. It holds only the random account id, ' +
          "never personal data in clear, and the encrypted data it points to is unreadable once the person's key " +
          'is destroyed. Past the period, entries leave only as the oldest part of the chain (purgeAuditBefore).',
      },
    ];
  }

  return {
    describe: () => ({ owner: OWNER, columns: COLUMNS }),
    export: exportSubject,
    erase: (db, subject) => erase(db, subject),
  };
}

import type { Queryable } from '../../db/database.js';
import type { ErasureStep, PersonalDataPort, Subject, SubjectExport } from '../../privacy/subject-data/ports.js';
import * as repo from './notices.repo.js';

const iso = (t: Date | string | null) => (t === null ? null : new Date(t).toISOString());

/**
 * The person's in-app notices (SEC-2). A notice is addressed to one person and holds only its kind, ids (the
 * consultation, call or application it is about, all the person's own) and when it was made and read: no text,
 * no names, nothing of the other side of a consultation. So the export is every row of the person as stored, and
 * erasure deletes them all in either mode: nobody else reads another person's notices, and no law asks us to keep
 * them (the consultation record itself is kept by its own owner). Deleting a notice also drops its push outbox
 * row (on delete cascade), so nothing is pushed about it afterwards. Nothing to correct: notices are records of
 * events, which the person marks read in the app.
 */
export function createNoticesPort(): PersonalDataPort {
  return {
    describe: () => ({ owner: 'features/notices/notices.repo.ts', columns: { notices: ['user_id', 'read_at'] } }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const rows = await repo.allForUser(db, subject.userId);
      return {
        data: {
          notices: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            about: r.data,
            createdAt: iso(r.created_at),
            readAt: iso(r.read_at),
          })),
        },
        files: [],
      };
    },

    // The same in both modes: see above.
    async erase(db: Queryable, subject: Subject): Promise<ErasureStep[]> {
      const rows = await repo.deleteAllForUser(db, subject.userId);
      return [{ table: 'notices', action: 'deleted', rows }];
    },
  };
}

import type { Queryable } from '../../db/database.js';
import type {
  ErasureMode,
  ErasureStep,
  PersonalDataPort,
  Subject,
  SubjectExport,
} from '../../privacy/subject-data/ports.js';
import * as repo from './calls.repo.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Who ended the call, from the person's side: themselves, the other participant, or the system. */
function endedBy(c: repo.CallRow, userId: string): 'me' | 'other' | 'system' | null {
  if (c.ended_by === null || c.ended_by === 'system') return c.ended_by;
  return (c.ended_by === 'caller' ? c.caller_id : c.callee_id) === userId ? 'me' : 'other';
}

/**
 * Legal basis for keeping call metadata: a call is part of the consultation's outpatient medical record (when,
 * how long, how it ended), kept as long as the record (at least 15 years, 医疗机构病历管理规定 Art. 29).
 */
export const CALL_RECORD_BASIS =
  'Part of the internet-consultation outpatient medical record (互联网诊疗管理办法（试行）, 医疗机构病历管理规定 ' +
  'Art. 29): call metadata is kept with the consultation, at least 15 years from the last visit';

/**
 * Voice and video calls (issue 10, SEC-2): metadata only — audio and video are never received or stored (CON-2).
 * The export gives the person's own calls with their direction (placed or received) and the consultation they
 * belong to, never the other participant's account id (they are known from the consultation itself).
 */
export function createCallsPort(): PersonalDataPort {
  return {
    describe: () => ({
      owner: 'features/calls/calls.repo.ts',
      columns: {
        calls: [
          'caller_id',
          'callee_id',
          'media',
          'outcome',
          'decline_reason',
          'started_at',
          'answered_at',
          'ended_at',
          'duration_seconds',
        ],
      },
    }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const calls = (await repo.callsOfUser(db, subject.userId)).map((c) => ({
        id: c.id,
        consultationId: c.consultation_id,
        direction: c.caller_id === subject.userId ? 'placed' : 'received',
        media: c.media,
        state: c.state,
        outcome: c.outcome,
        declineReason: c.decline_reason,
        endedBy: endedBy(c, subject.userId),
        startedAt: iso(c.started_at),
        answeredAt: iso(c.answered_at),
        endedAt: iso(c.ended_at),
        durationSeconds: c.duration_seconds,
      }));
      return { data: { calls }, files: [] };
    },

    async erase(db: Queryable, subject: Subject, mode: ErasureMode): Promise<ErasureStep[]> {
      void mode; // Kept in both modes: the caller/callee link is what makes it part of the patient's record.
      const calls = await repo.callsOfUser(db, subject.userId);
      return [{ table: 'calls', action: 'kept', rows: calls.length, basis: CALL_RECORD_BASIS }];
    },
  };
}

import type { Queryable } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import { AppError } from '../../platform/errors.js';
import type {
  ErasureMode,
  ErasureStep,
  PersonalDataPort,
  Subject,
  SubjectExport,
} from '../../privacy/subject-data/ports.js';
import * as repo from './crisis.repo.js';

/** Where each sealed column is bound (as crisis.service.ts seals it, under the consultation's key). */
const ref = (column: 'signal_enc' | 'close_note_enc' | 'handover_note_enc', rowId: string) => ({
  table: 'crisis_escalations',
  column,
  rowId,
});
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Legal basis for keeping escalations: each is part of its consultation's outpatient medical record (at least
 * 15 years, 医疗机构病历管理规定 Art. 29) and the record of how a risk to the patient's life was handled
 * (vital interests; accountability of the doctor and support staff who acted). Its data is sealed with the
 * consultation's key and goes when that key is destroyed at the end of the record's retention.
 */
export const CRISIS_RECORD_BASIS =
  'Part of the consultation’s outpatient medical record (医疗机构病历管理规定 Art. 29, at least 15 years) and the ' +
  'record of how a risk to the patient’s life was handled (vital interests); kept and erased with the consultation';
/** Why the doctor's and support staff's links (acknowledged_by, handed_over_by, closed_by) stay. */
export const CRISIS_ACTOR_BASIS =
  'The medical record must show who acted on a crisis alert (the responsible doctor, for licensing; the support ' +
  'staff member, for accountability); kept with the consultation’s record, at least 15 years';

/**
 * Crisis escalations (issue 10, SEC-2, CON-4).
 * A patient's export holds the escalations of their consultations: status, times, the signal record (severity,
 * categories, which of their messages; never message text) and the doctor's hand-over and support's closing notes,
 * as parts of their health record. Who acted is given only as a role and a time, never a staff or doctor id.
 * NOTE: the apps deliberately do not tell a patient whether anything was detected; this export does (right of
 * access to one's health record). Whether to withhold it where disclosure would seriously harm the patient is a
 * product/legal decision left open.
 * A doctor's or staff member's export holds only their own acts: when they acknowledged, handed over or closed an
 * escalation, and the notes they wrote — not the patient's signal.
 */
export function createCrisisPort(deps: { keys: KeyStore }): PersonalDataPort {
  const { keys } = deps;
  const open = async (db: Queryable, consultationId: string, r: ReturnType<typeof ref>, blob: Buffer | null) => {
    if (!blob) return null;
    try {
      return await keys.decryptText(db, consultationId, r, blob);
    } catch (err) {
      if (err instanceof AppError && err.code === 'DATA_ERASED') return undefined;
      throw err;
    }
  };

  return {
    describe: () => ({
      owner: 'features/crisis/crisis.repo.ts',
      columns: {
        crisis_escalations: [
          'signal_enc',
          'acknowledged_by',
          'closed_by',
          'close_note_enc',
          'handed_over_by',
          'handover_note_enc',
        ],
      },
    }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const aboutMe: unknown[] = [];
      for (const e of await repo.escalationsOfPatient(db, subject.userId)) {
        const signal = await open(db, e.consultation_id, ref('signal_enc', e.id), e.signal_enc);
        // The consultation's key was destroyed (end of its retention): nothing readable is left.
        if (signal === undefined) continue;
        const s = JSON.parse(signal!) as Record<string, unknown>;
        aboutMe.push({
          id: e.id,
          consultationId: e.consultation_id,
          status: e.status,
          openedAt: iso(e.created_at),
          lastSignalAt: iso(e.last_signal_at),
          signal: {
            severity: s.severity,
            categories: s.categories,
            hitCount: s.hitCount,
            firstMessageSeq: s.firstSeq,
            lastMessageSeq: s.lastSeq,
            hits: s.hits,
          },
          acknowledgedByDoctorAt: iso(e.acknowledged_at),
          handedOverToSupportAt: iso(e.handed_over_at),
          handoverNote: await open(db, e.consultation_id, ref('handover_note_enc', e.id), e.handover_note_enc),
          closedBySupportAt: iso(e.closed_at),
          closingNote: await open(db, e.consultation_id, ref('close_note_enc', e.id), e.close_note_enc),
        });
      }
      const myActions: unknown[] = [];
      for (const e of await repo.escalationsActedOnBy(db, subject.userId)) {
        const item: Record<string, unknown> = { id: e.id, consultationId: e.consultation_id, status: e.status };
        if (e.acknowledged_by === subject.userId) item.acknowledgedAt = iso(e.acknowledged_at);
        if (e.handed_over_by === subject.userId) {
          item.handedOverAt = iso(e.handed_over_at);
          item.handoverNote = await open(db, e.consultation_id, ref('handover_note_enc', e.id), e.handover_note_enc);
        }
        if (e.closed_by === subject.userId) {
          item.closedAt = iso(e.closed_at);
          item.closingNote = await open(db, e.consultation_id, ref('close_note_enc', e.id), e.close_note_enc);
        }
        myActions.push(item);
      }
      return { data: { crisisEscalations: { aboutMe, myActions } }, files: [] };
    },

    async erase(db: Queryable, subject: Subject, mode: ErasureMode): Promise<ErasureStep[]> {
      void mode; // Kept in both modes, see the bases.
      const aboutMe = await repo.escalationsOfPatient(db, subject.userId);
      const acted = await repo.escalationsActedOnBy(db, subject.userId);
      return [
        { table: 'crisis_escalations', action: 'kept', rows: aboutMe.length, basis: CRISIS_RECORD_BASIS },
        ...(acted.length > 0
          ? [
              {
                table: 'crisis_escalations' as const,
                action: 'kept' as const,
                rows: acted.length,
                basis: CRISIS_ACTOR_BASIS,
              },
            ]
          : []),
      ];
    },
  };
}

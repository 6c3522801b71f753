import crypto from 'node:crypto';
import { caseCode } from '@anxin/domain';
import type { Db, Queryable } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import { AppError } from '../../platform/errors.js';
import type {
  ErasureMode,
  ErasureStep,
  ExportFile,
  PersonalDataPort,
  Subject,
  SubjectExport,
} from '../../privacy/subject-data/ports.js';
import type { DirectoryService } from '../directory/directory.service.js';
import * as repo from './consultations.repo.js';
import type { MediaStore } from './media.store.js';
import { messageField } from './message-writer.js';

/** Where the ciphertext of a consultation's own columns is bound (as consultations.service.ts seals it). */
const field = (column: string, rowId: string) => ({ table: 'consultations', column, rowId });
/** The patient's case code for this doctor, derived as consultations.service.ts does (nothing about the person). */
const caseCodeOf = (doctorId: string, patientId: string) =>
  caseCode(crypto.createHash('sha256').update(`anxin:case-code:v1:${doctorId}:${patientId}`).digest());
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
};

/**
 * Legal basis for keeping a consultation after its patient or doctor asked to be erased: it is an internet
 * consultation's outpatient medical record (互联网诊疗管理办法（试行）; 医疗机构病历管理规定 Art. 29: outpatient
 * records are kept at least 15 years from the last visit; 电子病历应用管理规范（试行）), which must also show the
 * responsible doctor. Each consultation is its own data subject: its key is destroyed at the end of that period.
 */
export const MEDICAL_RECORD_BASIS =
  'Internet-consultation outpatient medical record (互联网诊疗管理办法（试行）, 医疗机构病历管理规定 Art. 29): kept at ' +
  'least 15 years from the last visit, then its key is destroyed; the record names the responsible doctor';

const isErased = (err: unknown) => err instanceof AppError && err.code === 'DATA_ERASED';

/**
 * The consultations' personal data (issue 10, SEC-2): consultations, messages, read positions and message files.
 *
 * A patient's export: each consultation they requested — concern, follow-up flag, status and times, the doctor's
 * public name, the doctor's decline reason — and the messages of BOTH sides with their files. The conversation is
 * the patient's health record, and the doctor's messages in it are part of that record (what was advised to
 * them), so they belong in the patient's copy; the doctor appears only by role and public profile name, never by
 * account id.
 * A doctor's export: the consultations they conducted, as a doctor sees them — the patient only by the
 * pseudonymous case code (not the patient's id, chosen name, age band or sex: those are the patient's data),
 * status and times, their own decline reasons, and only their own messages and files (the patient's messages and
 * concern are the patient's data, not the doctor's).
 */
export function createConsultationsPort(deps: {
  db: Db;
  keys: KeyStore;
  media: MediaStore;
  doctors?: Pick<DirectoryService, 'nameAndType'>;
}): PersonalDataPort {
  const { keys } = deps;
  const text = (db: Queryable, id: string, ref: { table: string; column: string; rowId: string }, blob: Buffer) =>
    keys.decryptText(db, id, ref, blob);

  const fileOf = (consultationId: string, f: { id: string; seq: number; variant: string; content_type: string }) =>
    ({
      name: `consultations/${consultationId}/${f.seq}-${f.variant}.${EXTENSIONS[f.content_type] ?? 'bin'}`,
      contentType: f.content_type,
      // Opened when the export is written, possibly after the rights engine's transaction: read through the pool.
      open: () => deps.media.read(deps.db, consultationId, f.id),
    }) satisfies ExportFile;

  async function messagesFor(
    db: Queryable,
    ids: string[],
    onlySender: string | null,
    roleOf: (consultationId: string, senderId: string) => 'patient' | 'doctor',
  ) {
    const rows = (await repo.messagesOf(db, ids)).filter((m) => onlySender === null || m.sender_id === onlySender);
    const wanted = new Set(rows.map((m) => `${m.consultation_id}:${m.seq}`));
    const media = (await repo.mainMediaOf(db, ids)).filter((f) => wanted.has(`${f.consultation_id}:${f.seq}`));
    const fileName = new Map(media.map((f) => [`${f.consultation_id}:${f.seq}`, fileOf(f.consultation_id, f)]));
    const byConsultation = new Map<string, unknown[]>();
    for (const m of rows) {
      const file = fileName.get(`${m.consultation_id}:${m.seq}`);
      const list = byConsultation.get(m.consultation_id) ?? [];
      list.push({
        seq: m.seq,
        from: roleOf(m.consultation_id, m.sender_id),
        kind: m.kind,
        text:
          m.kind === 'text'
            ? await text(db, m.consultation_id, messageField(m.consultation_id, m.seq), m.body_enc)
            : null,
        file: file?.name ?? null,
        sentAt: iso(m.created_at),
      });
      byConsultation.set(m.consultation_id, list);
    }
    return { byConsultation, files: [...fileName.values()] };
  }

  return {
    describe: () => ({
      owner: 'features/consultations/consultations.repo.ts',
      columns: {
        consultations: ['patient_id', 'doctor_id', 'concern_enc', 'follow_up_enc', 'decline_reason_enc'],
        messages: ['sender_id', 'body_enc'],
        consultation_reads: ['user_id'],
        consultation_media: ['id'],
      },
    }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const files: ExportFile[] = [];
      const reads = new Map(
        (await repo.readsOf(db, subject.userId)).map((r) => [r.consultation_id, r.last_read_seq] as const),
      );

      // As the patient: the whole conversation (see above).
      const asPatient: unknown[] = [];
      const mine = await repo.consultationsOfPatient(db, subject.userId);
      const readable: typeof mine = [];
      for (const c of mine) {
        try {
          await text(db, c.id, field('concern_enc', c.id), c.concern_enc);
          readable.push(c);
        } catch (err) {
          // A consultation whose key was destroyed (end of its retention) has nothing readable left to export.
          if (!isErased(err)) throw err;
        }
      }
      const patientMessages = await messagesFor(
        db,
        readable.map((c) => c.id),
        null,
        (_id, sender) => (sender === subject.userId ? 'patient' : 'doctor'),
      );
      files.push(...patientMessages.files);
      for (const c of readable) {
        const doctor = deps.doctors ? await deps.doctors.nameAndType(c.doctor_id) : undefined;
        asPatient.push({
          id: c.id,
          doctor: doctor ? { name: doctor.name, practitionerType: doctor.practitioner_type } : null,
          concern: await text(db, c.id, field('concern_enc', c.id), c.concern_enc),
          isFollowUp: (await text(db, c.id, field('follow_up_enc', c.id), c.follow_up_enc)) === '1',
          counselling: c.counselling,
          status: c.status,
          requestedAt: iso(c.created_at),
          acceptedAt: iso(c.accepted_at),
          endedAt: iso(c.ended_at),
          endedReason: c.ended_reason,
          declineReason: c.decline_reason_enc
            ? await text(db, c.id, field('decline_reason_enc', c.id), c.decline_reason_enc)
            : null,
          followUpOf: c.follow_up_of,
          myLastReadSeq: reads.get(c.id) ?? 0,
          messages: patientMessages.byConsultation.get(c.id) ?? [],
        });
      }

      // As the doctor: metadata and their own messages, the patient only by case code (see above).
      const asDoctor: unknown[] = [];
      const conducted: Awaited<ReturnType<typeof repo.consultationsOfDoctor>> = [];
      for (const c of await repo.consultationsOfDoctor(db, subject.userId)) {
        try {
          await text(db, c.id, field('follow_up_enc', c.id), c.follow_up_enc);
          conducted.push(c);
        } catch (err) {
          if (!isErased(err)) throw err;
        }
      }
      const doctorMessages = await messagesFor(
        db,
        conducted.map((c) => c.id),
        subject.userId,
        () => 'doctor',
      );
      files.push(...doctorMessages.files);
      for (const c of conducted)
        asDoctor.push({
          id: c.id,
          patientCaseCode: caseCodeOf(c.doctor_id, c.patient_id),
          counselling: c.counselling,
          status: c.status,
          requestedAt: iso(c.created_at),
          acceptedAt: iso(c.accepted_at),
          endedAt: iso(c.ended_at),
          endedReason: c.ended_reason,
          myDeclineReason: c.decline_reason_enc
            ? await text(db, c.id, field('decline_reason_enc', c.id), c.decline_reason_enc)
            : null,
          messageCount: c.last_seq,
          myLastReadSeq: reads.get(c.id) ?? 0,
          myMessages: doctorMessages.byConsultation.get(c.id) ?? [],
        });

      return { data: { consultations: { asPatient, asDoctor } }, files };
    },

    async erase(db: Queryable, subject: Subject, mode: ErasureMode): Promise<ErasureStep[]> {
      void mode; // The same in both modes: what is not the record goes, the record is kept by law.
      // Read positions are not part of the record: they go, whichever side the person was on.
      const reads = await repo.deleteReadsOf(db, subject.userId);
      // A request that was never accepted (waiting, or declined) never became a consultation: no diagnosis or
      // advice was given, so it is no medical record. Its row goes and its key is destroyed (crypto-shredding,
      // which also covers backups); it cannot hold messages, files, calls or escalations.
      const dropped = await repo.deleteNeverAcceptedOfPatient(db, subject.userId);
      for (const id of dropped) await keys.destroy(db, id, 'erasure_request');
      const kept = [
        ...(await repo.consultationsOfPatient(db, subject.userId)),
        ...(await repo.consultationsOfDoctor(db, subject.userId)),
      ];
      const size = await repo.recordSizeOf(
        db,
        kept.map((c) => c.id),
      );
      const steps: ErasureStep[] = [
        { table: 'consultation_reads', action: 'deleted', rows: reads },
        ...(dropped.length > 0
          ? [{ table: 'consultations' as const, action: 'deleted' as const, rows: dropped.length }]
          : []),
        {
          table: 'consultations',
          action: 'kept',
          rows: kept.length,
          // For a doctor: doctor_id stays, the record must name the practitioner responsible (licensing).
          basis: MEDICAL_RECORD_BASIS,
        },
        { table: 'messages', action: 'kept', rows: size.messages, basis: MEDICAL_RECORD_BASIS },
        { table: 'consultation_media', action: 'kept', rows: size.media, basis: MEDICAL_RECORD_BASIS },
      ];
      return steps;
    },
  };
}

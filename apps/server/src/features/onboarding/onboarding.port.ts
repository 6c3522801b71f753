import { ApplicationForm, PHOTO_SLOTS, type PhotoSlot } from '@anxin/contracts';
import type { Selectable } from 'kysely';
import { Compile } from 'typebox/compile';
import type { Db, Queryable } from '../../db/database.js';
import type { BlobsTable } from '../../db/schema.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { TABLE_OWNERS } from '../../privacy/inventory/owners.js';
import type {
  ErasureMode,
  ErasureStep,
  ExportFile,
  PersonalDataPort,
  Subject,
  SubjectExport,
} from '../../privacy/subject-data/ports.js';
import * as profiles from '../directory/directory.repo.js';
import { biographyOf } from './onboarding.service.js';
import type { PhotoStore } from './photo.store.js';
import { reasonLabel } from './review-reasons.js';
import * as repo from './onboarding.repo.js';

export interface OnboardingPortDeps {
  /** The pool: export files are opened when the export is written, after the caller's transaction has ended. */
  db: Db;
  keys: KeyStore;
  photos: PhotoStore;
  clock: Clock;
}

/** The personal columns of onboarding's tables (privacy/inventory/inventory.ts), each answered for below. */
const COLUMNS = {
  doctor_applications: [
    'user_id',
    'basic_enc',
    'id_number_enc',
    'id_number_bidx',
    'practice_cert_enc',
    'practice_cert_bidx',
    'qualification_cert_enc',
    'qualification_cert_bidx',
    'professional_enc',
    'photo_avatar',
    'photo_id_front',
    'photo_id_back',
    'photo_practice_cert_cover',
    'photo_practice_cert_personal',
    'photo_qualification_cert_cover',
    'photo_qualification_cert_personal',
  ],
  automated_decisions: ['subject_id', 'outcome', 'rules'],
  application_events: ['actor_id', 'reason_text_enc'],
  reveal_grants: ['staff_id'],
  blobs: ['owner_id'],
} as const;

/** ONB-6: what a doctor may change on a live profile without a new review; title, hospital and the rest are credentials. */
const BIOGRAPHY_PARTS = ['education', 'practice', 'academic', 'cases'] as const;
const CORRECTABLE = ['expertise', ...BIOGRAPHY_PARTS.map((p) => `biography.${p}`)] as const;

/** The schema the draft route validates the application with (PUT /api/onboarding/application). */
const formSchema = Compile(ApplicationForm);

const enc = (column: string, rowId: string) => ({ table: 'doctor_applications', column, rowId });

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

type Professional = NonNullable<ApplicationForm['professional']>;

/**
 * The onboarding port (SEC-2). Two kinds of person appear in these tables:
 * - the applicant (doctor_applications.user_id, automated_decisions.subject_id, blobs.owner_id, and the review
 *   events and reveal grants on their application): export gives them all of it, decrypted, with their photos;
 *   erase removes it (the inventory keeps every onboarding column for the account's lifetime only).
 * - staff who acted (application_events.actor_id, reveal_grants.staff_id): export lists what they did, erase cuts
 *   their link to the review record, which stays on the applicant's timeline.
 */
export function createOnboardingPort(deps: OnboardingPortDeps): PersonalDataPort {
  const { keys, photos } = deps;

  /** Decrypted text, or null when there is none or the subject's key is already destroyed (nothing readable left). */
  const open = (db: Queryable, subjectId: string, ref: ReturnType<typeof enc>, blob: Buffer | null) =>
    keys.decryptTextIfKept(db, subjectId, ref, blob);
  const json = (text: string | null) => (text ? (JSON.parse(text) as Record<string, unknown>) : null);

  function photoFiles(blobs: Selectable<BlobsTable>[], slots: Map<string, PhotoSlot>): ExportFile[] {
    const full = blobs.filter((b) => b.variant === 'full');
    return full.flatMap((b) => {
      const base = `onboarding/photos/${slots.get(b.id) ?? `earlier-${b.id}`}`;
      const ext = EXTENSIONS[b.content_type] ?? 'bin';
      const thumb = blobs.find((t) => t.parent_id === b.id);
      const file = (variant: 'full' | 'thumb', row: Selectable<BlobsTable>): ExportFile => ({
        name: variant === 'full' ? `${base}.${ext}` : `${base}-thumbnail.${EXTENSIONS[row.content_type] ?? 'bin'}`,
        contentType: row.content_type,
        open: async () => (await photos.read(deps.db, b.id, variant)).bytes,
      });
      return thumb ? [file('full', b), file('thumb', thumb)] : [file('full', b)];
    });
  }

  async function exportAsApplicant(db: Queryable, userId: string) {
    const row = await repo.findApplicationByUser(db, userId);
    const blobs = await repo.blobsOwnedBy(db, userId);
    const slots = new Map<string, PhotoSlot>();
    for (const slot of PHOTO_SLOTS) {
      const id = row?.[repo.photoColumn(slot)];
      if (id) slots.set(id, slot);
    }
    const decisions = (await repo.decisionsAbout(db, userId)).map((d) => ({
      id: d.id,
      kind: d.kind,
      ruleSetVersion: d.rule_set_version,
      outcome: d.outcome,
      rules: d.rules,
      inputsHash: d.inputs_sha256,
      decidedAt: new Date(d.created_at).toISOString(),
    }));
    const photoList = blobs
      .filter((b) => b.variant === 'full')
      .map((b) => ({
        slot: slots.get(b.id) ?? null,
        contentType: b.content_type,
        width: b.width,
        height: b.height,
        bytes: b.byte_size,
        uploadedAt: new Date(b.created_at).toISOString(),
      }));
    if (!row) return { data: { automatedDecisions: decisions, photos: photoList }, files: photoFiles(blobs, slots) };

    const text = (column: keyof typeof row & string) => open(db, userId, enc(column, row.id), row[column] as Buffer);
    // The review timeline of the person's own application. Who reviewed it is another person's data: the event
    // says a reviewer acted, not which one; the reviewer's words are written to the applicant and are theirs.
    const events = await Promise.all(
      (await repo.listEvents(db, row.id)).map(async (e) => ({
        at: new Date(e.at).toISOString(),
        kind: e.kind,
        by: e.kind === 'prechecked' ? 'automated pre-check' : e.actor_id === userId ? 'you' : 'reviewer',
        reasonCode: e.reason_code,
        reasonLabel: e.reason_code ? reasonLabel(e.reason_code) : null,
        reasonText: await open(
          db,
          userId,
          { table: 'application_events', column: 'reason_text_enc', rowId: e.id },
          e.reason_text_enc,
        ),
        automatedDecisionId: e.decision_id,
      })),
    );
    // Which of their details staff revealed, when and why (the staff member is not named, as above).
    const reveals = (await repo.grantsOn(db, row.id)).map((g) => ({
      fields: g.fields,
      purpose: g.purpose,
      at: new Date(g.created_at).toISOString(),
      until: new Date(g.expires_at).toISOString(),
    }));
    return {
      data: {
        application: {
          status: row.status,
          basic: json(await text('basic_enc')),
          idNumber: await text('id_number_enc'),
          practiceCertificateNumber: await text('practice_cert_enc'),
          qualificationCertificateNumber: await text('qualification_cert_enc'),
          professional: json(await text('professional_enc')),
          practitionerType: row.practitioner_type,
          // The blind indexes are keyed hashes of the numbers above, kept only to find duplicate applications.
          duplicateCheckIndexes: [
            row.id_number_bidx ? 'idNumber' : null,
            row.practice_cert_bidx ? 'practiceCertificateNumber' : null,
            row.qualification_cert_bidx ? 'qualificationCertificateNumber' : null,
          ].filter(Boolean),
          submissions: row.submission_count,
          createdAt: new Date(row.created_at).toISOString(),
          updatedAt: new Date(row.updated_at).toISOString(),
          submittedAt: row.submitted_at ? new Date(row.submitted_at).toISOString() : null,
          decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
        },
        timeline: events,
        revealsByStaff: reveals,
        automatedDecisions: decisions,
        photos: photoList,
      },
      files: photoFiles(blobs, slots),
    };
  }

  /**
   * What a staff member did: the kind, time and reason template of each review decision and each reveal. Not the
   * application, its applicant or the reason text (encrypted under the applicant's key, written to them): those
   * are the applicant's data.
   */
  async function exportAsStaff(db: Queryable, userId: string) {
    const actions = (await repo.eventsActedBy(db, userId)).map((e) => ({
      at: new Date(e.at).toISOString(),
      action: e.kind,
      reasonCode: e.reason_code,
      reasonLabel: e.reason_code ? reasonLabel(e.reason_code) : null,
    }));
    const reveals = (await repo.grantsTakenBy(db, userId)).map((g) => ({
      fields: g.fields,
      purpose: g.purpose,
      at: new Date(g.created_at).toISOString(),
      until: new Date(g.expires_at).toISOString(),
    }));
    return actions.length + reveals.length > 0 ? { reviewDecisions: actions, reveals } : null;
  }

  return {
    describe: () => ({ owner: TABLE_OWNERS.doctor_applications, columns: COLUMNS }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const applicant = await exportAsApplicant(db, subject.userId);
      const staff = await exportAsStaff(db, subject.userId);
      return { data: { ...applicant.data, ...(staff ? { asReviewer: staff } : {}) }, files: applicant.files };
    },

    /**
     * Both modes do the same: nobody else needs an application, its photos or its pre-check, so they go (the
     * inventory keeps them for the account's lifetime, with no retention after it); the accountability record of
     * the review (who decided, who viewed what) stays in audit_log under its own retention. A staff member's
     * review events stay on the applicant's timeline with the link to them cut; their reveal grants (ten-minute
     * access tokens, staff_id not nullable) are deleted, the views themselves being in audit_log.
     *
     * The photo files are deleted here, before the caller commits: the port has no after-commit hook, and leaving
     * files readable is worse than losing them when an erasure rolls back.
     */
    async erase(db: Queryable, subject: Subject, _mode: ErasureMode): Promise<ErasureStep[]> {
      const userId = subject.userId;
      const row = await repo.lockApplicationByUser(db, userId);
      const events = row ? await repo.deleteEventsOf(db, row.id) : 0;
      const grants = row ? await repo.deleteGrantsOn(db, row.id) : 0;
      const applications = row ? await repo.deleteApplication(db, row.id) : 0;
      const decisions = await repo.deleteDecisionsAbout(db, userId);
      const blobIds = await repo.deleteBlobsOwnedBy(db, userId);
      await photos.deleteFiles(blobIds);
      const acted = await repo.anonymiseActor(db, userId);
      const granted = await repo.deleteGrantsTakenBy(db, userId);
      return [
        { table: 'doctor_applications', action: 'deleted', rows: applications },
        { table: 'automated_decisions', action: 'deleted', rows: decisions },
        { table: 'application_events', action: 'deleted', rows: events },
        { table: 'application_events', action: 'anonymised', rows: acted },
        { table: 'reveal_grants', action: 'deleted', rows: grants + granted },
        { table: 'blobs', action: 'deleted', rows: blobIds.length },
      ];
    },

    correctable: CORRECTABLE,

    /**
     * ONB-6: expertise (a JSON array of tags) and the four parts of the biography, the fields a doctor edits without
     * a new review. As on the draft route: validated with the same schema, refused while the application is under
     * review, sealed under the doctor's key, and put on the live profile at once. It is a correction, not a new
     * try: the application's status does not change.
     */
    async correct(db: Queryable, subject: Subject, field: string, value: string): Promise<void> {
      if (!(CORRECTABLE as readonly string[]).includes(field))
        throw new AppError('VALIDATION_FAILED', { field, detail: 'not correctable here' });
      const row = await repo.lockApplicationByUser(db, subject.userId);
      if (!row) throw new AppError('APPLICATION_NOT_FOUND');
      if (row.status === 'submitted') throw new AppError('APPLICATION_NOT_EDITABLE');
      const current = (json(await open(db, subject.userId, enc('professional_enc', row.id), row.professional_enc)) ??
        {}) as Professional;
      const next: Professional = { ...current };
      if (field === 'expertise') {
        let tags: unknown;
        try {
          tags = JSON.parse(value);
        } catch {
          throw new AppError('VALIDATION_FAILED', { field, detail: 'a JSON array of tags' });
        }
        next.expertise = tags as string[];
      } else {
        const part = field.slice('biography.'.length) as (typeof BIOGRAPHY_PARTS)[number];
        const biography = { ...(current.biography ?? {}) };
        if (value === '') delete biography[part];
        else biography[part] = value;
        next.biography = biography;
      }
      if (!formSchema.Check({ professional: next }))
        throw new AppError('VALIDATION_FAILED', { field, detail: 'too long or wrong format' });
      const now = deps.clock.now();
      const sealed = await keys.encrypt(db, subject.userId, enc('professional_enc', row.id), JSON.stringify(next));
      await repo.saveProfessional(db, row.id, sealed, now);
      await profiles.updateProfileText(db, subject.userId, {
        expertise: next.expertise ?? [],
        biography: JSON.stringify(biographyOf({ professional: next })),
        updated_at: now,
      });
    },
  };
}

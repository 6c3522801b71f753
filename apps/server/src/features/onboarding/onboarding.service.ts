import crypto from 'node:crypto';
import type { ApplicationForm, MyApplication, PhotoSlot, Precheck, TimelineEvent } from '@anxin/contracts';
import { PHOTO_SLOTS } from '@anxin/contracts';
import {
  missingItems,
  normalizeResidentId,
  PRECHECK_RULE_SET_VERSION,
  runPrecheck,
  validateForm,
  labelOf,
} from '@anxin/domain';
import type { Db, Queryable } from '../../db/database.js';
import type { DoctorApplicationsTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { blindIndex } from '../../crypto/blind-index.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { DerivedKeys } from '../../crypto/master-key.js';
import { appendAudit, auditBy, canonicalJson } from '../../privacy/audit/audit.js';
import type { PolicyService, RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Actor } from '../identity/identity.service.js';
import { processPhoto } from './photo-pipeline.js';
import type { PhotoStore } from './photo.store.js';
import { reasonLabel } from './review-reasons.js';
import * as repo from './onboarding.repo.js';
import * as profiles from '../directory/directory.repo.js';

export type ApplicationRow = Selectable<DoctorApplicationsTable>;
type Row = ApplicationRow;

export interface OnboardingDeps {
  db: Db;
  keys: KeyStore;
  derived: DerivedKeys;
  clock: Clock;
  policy: PolicyService;
  photos: PhotoStore;
}

/** Fields a doctor may change on a live profile without a new review (ONB-6); everything else is a credential. */
const PROFILE_ONLY_FIELDS = ['expertise', 'biography'] as const;

const enc = (column: string, rowId: string) => ({ table: 'doctor_applications', column, rowId });

/** Beijing calendar day: date rules (age, future birthdays) follow the mainland calendar, not the server's zone. */
export function beijingToday(now: Date): Date {
  const shifted = new Date(now.getTime() + 8 * 3600_000);
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

export class OnboardingService {
  constructor(private readonly deps: OnboardingDeps) {}

  /**
   * Runs a transaction that adds and removes photo files: files written are deleted again if it rolls back, files
   * of removed photos are deleted only once it has committed.
   */
  private async withPhotoFiles(
    work: (trx: Queryable, files: { written: string[]; removed: string[] }) => Promise<void>,
  ) {
    const files = { written: [] as string[], removed: [] as string[] };
    try {
      await this.deps.db.transaction().execute((trx) => work(trx, files));
    } catch (err) {
      await this.deps.photos.deleteFiles(files.written);
      throw err;
    }
    await this.deps.photos.deleteFiles(files.removed);
  }

  // ---- reading ---------------------------------------------------------------------------------------------

  /** The stored form, decrypted (owner or reviewer use; callers decide what leaves the server). */
  /**
   * The stored form, decrypted. `withNumbers: false` leaves the ID and certificate numbers encrypted, for views
   * (like the review queue) that never show them.
   */
  async readForm(db: Queryable, row: Row, opts: { withNumbers?: boolean } = {}): Promise<ApplicationForm> {
    const { keys } = this.deps;
    const numbers = new Set(['id_number_enc', 'practice_cert_enc', 'qualification_cert_enc']);
    const text = async (column: keyof Row & string) => {
      if (opts.withNumbers === false && numbers.has(column)) return undefined;
      const blob = row[column] as Buffer | null;
      return blob ? keys.decryptText(db, row.user_id, enc(column, row.id), blob) : undefined;
    };
    const basicJson = await text('basic_enc');
    const professionalJson = await text('professional_enc');
    const basic = basicJson ? (JSON.parse(basicJson) as NonNullable<ApplicationForm['basic']>) : {};
    const idNumber = await text('id_number_enc');
    const practiceCertNo = await text('practice_cert_enc');
    const qualificationCertNo = await text('qualification_cert_enc');
    const professional = professionalJson
      ? (JSON.parse(professionalJson) as NonNullable<ApplicationForm['professional']>)
      : {};
    return {
      basic: { ...basic, ...(idNumber ? { idNumber } : {}) },
      credentials: {
        ...(practiceCertNo ? { practiceCertNo } : {}),
        ...(qualificationCertNo ? { qualificationCertNo } : {}),
      },
      professional: { ...professional, ...(row.practitioner_type ? { practitionerType: row.practitioner_type } : {}) },
    };
  }

  async photoInfo(db: Queryable, row: Row | undefined) {
    const present = PHOTO_SLOTS.map((slot) => [slot, row?.[repo.photoColumn(slot)] ?? null] as const);
    const blobs = await repo.findBlobs(
      db,
      present.flatMap(([, id]) => (id ? [id] : [])),
    );
    const byId = new Map(blobs.map((b) => [b.id, b]));
    const info = new Map<PhotoSlot, { width: number; height: number; bytes: number; uploadedAt: string }>();
    for (const [slot, id] of present) {
      const b = id ? byId.get(id) : undefined;
      if (b)
        info.set(slot, {
          width: b.width,
          height: b.height,
          bytes: b.byte_size,
          uploadedAt: new Date(b.created_at).toISOString(),
        });
    }
    return info;
  }

  async timeline(db: Queryable, row: Row): Promise<TimelineEvent[]> {
    const events = await repo.listEvents(db, row.id);
    return Promise.all(
      events.map(async (e) => ({
        at: new Date(e.at).toISOString(),
        kind: e.kind,
        reasonCode: e.reason_code,
        reasonText: e.reason_text_enc
          ? await this.deps.keys.decryptText(
              db,
              row.user_id,
              { table: 'application_events', column: 'reason_text_enc', rowId: e.id },
              e.reason_text_enc,
            )
          : null,
        reasonLabel: e.reason_code ? reasonLabel(e.reason_code) : null,
      })),
    );
  }

  async precheckOf(db: Queryable, applicationId: string): Promise<Precheck | null> {
    const d = await repo.latestPrecheck(db, applicationId);
    if (!d) return null;
    return {
      id: d.id,
      ruleSetVersion: d.rule_set_version,
      inputsSha256: d.inputs_sha256,
      outcome: d.outcome,
      rules: d.rules as Precheck['rules'],
      decidedAt: new Date(d.created_at).toISOString(),
      humanReviewRequired: true,
    };
  }

  async mine(actor: Actor): Promise<MyApplication> {
    const { db } = this.deps;
    const row = await repo.findApplicationByUser(db, actor.userId);
    const user = await repo.userCreatedAt(db, actor.userId);
    const consent = await this.deps.policy.hasSensitiveConsent(actor.userId, 'onboarding');
    const profile = await profiles.findProfile(db, actor.userId);
    const form: ApplicationForm = row ? await this.readForm(db, row) : {};
    const photos = await this.photoInfo(db, row);
    const { errors, derived } = validateForm(form, beijingToday(this.deps.clock.now()));
    return {
      status: row?.status ?? 'draft',
      form,
      derived: derived ? { birthday: derived.birthday, gender: derived.gender, age: derived.age } : null,
      photos: Object.fromEntries(PHOTO_SLOTS.map((s) => [s, photos.get(s) ?? null])),
      missing: missingItems(form, new Set(photos.keys())).map((m) => ({
        field: m.field,
        label: m.label,
        purpose: m.purpose,
      })),
      precheck: row ? await this.precheckOf(db, row.id) : null,
      timeline: row ? await this.timeline(db, row) : [],
      registeredAt: new Date(user.created_at).toISOString(),
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      profileLive: Boolean(profile),
      sensitiveConsentGiven: consent,
      fieldErrors: errors,
    };
  }

  // ---- writing ---------------------------------------------------------------------------------------------

  /** Get (and lock) the doctor's application row, creating the draft on first use. */
  private async lockOrCreate(trx: Queryable, userId: string): Promise<Row> {
    const existing = await repo.lockApplicationByUser(trx, userId);
    if (existing) return existing;
    await repo.insertDraft(trx, crypto.randomUUID(), userId, this.deps.clock.now());
    return (await repo.lockApplicationByUser(trx, userId))!;
  }

  private assertEditable(row: Row) {
    if (row.status === 'submitted') throw new AppError('APPLICATION_NOT_EDITABLE');
  }

  /** The status after an edit: an approved doctor changing credentials goes back to review; the profile stays live. */
  private statusAfterEdit(row: Row, credentialsChanged: boolean): Row['status'] {
    if (row.status === 'approved') return credentialsChanged ? 'draft' : 'approved';
    if (row.status === 'rejected') return 'draft';
    return row.status;
  }

  /** PIPL art. 29: nothing of the application (ID numbers, certificates, their photos) is stored without the separate consent. */
  private async requireConsent(userId: string) {
    if (!(await this.deps.policy.hasSensitiveConsent(userId, 'onboarding')))
      throw new AppError('SENSITIVE_CONSENT_REQUIRED');
  }

  /** Every move back to draft (re-review of an approved profile, or a new try after rejection) is on record. */
  private async auditReopened(trx: Queryable, actor: Actor, row: Row, status: Row['status'], meta: RequestMeta) {
    if (status !== 'draft' || row.status === 'draft') return;
    await auditBy(
      trx,
      actor,
      meta,
      'onboarding.reopened',
      { subjectId: actor.userId, details: { applicationId: row.id, from: row.status } },
      this.deps.clock.now(),
    );
  }

  async saveDraft(actor: Actor, form: ApplicationForm, meta: RequestMeta): Promise<MyApplication> {
    const { db, keys, clock } = this.deps;
    await this.requireConsent(actor.userId);
    await db.transaction().execute(async (trx) => {
      const row = await this.lockOrCreate(trx, actor.userId);
      this.assertEditable(row);
      const before = await this.readForm(trx, row);
      const basic = { ...(form.basic ?? {}) };
      const idNumber = basic.idNumber?.trim() ? normalizeResidentId(basic.idNumber) : undefined;
      delete basic.idNumber;
      const professional = { ...(form.professional ?? {}) };
      const practitionerType = professional.practitionerType ?? null;
      delete professional.practitionerType;
      const practiceCertNo = form.credentials?.practiceCertNo?.replace(/\s/g, '').toUpperCase() || undefined;
      const qualificationCertNo = form.credentials?.qualificationCertNo?.replace(/\s/g, '').toUpperCase() || undefined;
      const seal = async (column: string, value: string | undefined) =>
        value ? keys.encrypt(trx, actor.userId, enc(column, row.id), value) : null;
      const index = (kind: 'practice_certificate' | 'qualification_certificate', value: string | undefined) =>
        value ? blindIndex(this.deps.derived.blindIndex, kind, value) : null;

      const after: ApplicationForm = {
        basic: { ...basic, ...(idNumber ? { idNumber } : {}) },
        credentials: { practiceCertNo, qualificationCertNo },
        professional: { ...professional, ...(practitionerType ? { practitionerType } : {}) },
      };
      const credentialsChanged = !sameCredentials(before, after);
      const status = this.statusAfterEdit(row, credentialsChanged);
      await repo.saveDraftFields(trx, row.id, {
        basic_enc: await seal('basic_enc', JSON.stringify(basic)),
        id_number_enc: await seal('id_number_enc', idNumber),
        id_number_bidx: idNumber ? blindIndex(this.deps.derived.blindIndex, 'resident_id', idNumber) : null,
        practice_cert_enc: await seal('practice_cert_enc', practiceCertNo),
        practice_cert_bidx: index('practice_certificate', practiceCertNo),
        qualification_cert_enc: await seal('qualification_cert_enc', qualificationCertNo),
        qualification_cert_bidx: index('qualification_certificate', qualificationCertNo),
        professional_enc: await seal('professional_enc', JSON.stringify(professional)),
        practitioner_type: practitionerType,
        status,
        updated_at: clock.now(),
      });
      await this.auditReopened(trx, actor, row, status, meta);
      // ONB-6: expertise and biography go live at once on a published profile, even while changed credentials
      // are being re-reviewed.
      await this.updateLiveProfile(trx, actor, before, after, meta);
    });
    return this.mine(actor);
  }

  /** ONB-6: non-credential edits (expertise, biography) go live at once on a published profile. */
  private async updateLiveProfile(
    trx: Queryable,
    actor: Actor,
    before: ApplicationForm,
    after: ApplicationForm,
    meta: RequestMeta,
  ) {
    const expertise = after.professional?.expertise ?? [];
    const biography = biographyOf(after);
    const unchanged =
      canonicalJson(before.professional?.expertise ?? []) === canonicalJson(expertise) &&
      canonicalJson(biographyOf(before)) === canonicalJson(biography);
    if (unchanged) return;
    const updated = await profiles.updateProfileText(trx, actor.userId, {
      expertise,
      biography: JSON.stringify(biography),
      updated_at: this.deps.clock.now(),
    });
    if (updated === 0) return;
    await auditBy(
      trx,
      actor,
      meta,
      'profile.updated',
      { subjectId: actor.userId, details: { fields: [...PROFILE_ONLY_FIELDS] } },
      this.deps.clock.now(),
    );
  }

  async uploadPhoto(actor: Actor, slot: PhotoSlot, bytes: Buffer, meta: RequestMeta): Promise<MyApplication> {
    await this.requireConsent(actor.userId);
    const processed = await processPhoto(bytes);
    const { clock } = this.deps;
    await this.withPhotoFiles(async (trx, files) => {
      const row = await this.lockOrCreate(trx, actor.userId);
      this.assertEditable(row);
      const column = repo.photoColumn(slot);
      const previous = row[column];
      const saved = await this.deps.photos.save(trx, actor.userId, processed.full, processed.thumb);
      files.written.push(...saved.files);
      const blobId = saved.id;
      const status = slot === 'avatar' ? row.status : this.statusAfterEdit(row, true);
      await repo.setPhoto(trx, row.id, column, blobId, status, clock.now());
      if (previous) files.removed.push(...(await this.deps.photos.removeRows(trx, previous)));
      if (slot === 'avatar') await profiles.setProfileAvatar(trx, actor.userId, blobId, clock.now());
      await auditBy(
        trx,
        actor,
        meta,
        'onboarding.photo_uploaded',
        { subjectId: actor.userId, details: { slot, width: processed.full.width, height: processed.full.height } },
        clock.now(),
      );
      await this.auditReopened(trx, actor, row, status, meta);
    });
    return this.mine(actor);
  }

  async deletePhoto(actor: Actor, slot: PhotoSlot, meta: RequestMeta): Promise<MyApplication> {
    const { clock } = this.deps;
    await this.withPhotoFiles(async (trx, files) => {
      const row = await repo.lockApplicationByUser(trx, actor.userId);
      const column = repo.photoColumn(slot);
      if (!row || !row[column]) throw new AppError('PHOTO_NOT_FOUND');
      this.assertEditable(row);
      const status = this.statusAfterEdit(row, slot !== 'avatar');
      await repo.setPhoto(trx, row.id, column, null, status, clock.now());
      files.removed.push(...(await this.deps.photos.removeRows(trx, row[column]!)));
      await auditBy(
        trx,
        actor,
        meta,
        'onboarding.photo_deleted',
        { subjectId: actor.userId, details: { slot } },
        clock.now(),
      );
      await this.auditReopened(trx, actor, row, status, meta);
    });
    return this.mine(actor);
  }

  async ownPhoto(actor: Actor, slot: PhotoSlot, variant: 'full' | 'thumb') {
    const row = await repo.findApplicationByUser(this.deps.db, actor.userId);
    const id = row?.[repo.photoColumn(slot)];
    if (!id) throw new AppError('PHOTO_NOT_FOUND');
    return this.deps.photos.read(this.deps.db, id, variant);
  }

  /** ONB-2/ONB-3: completeness and field rules, then the automated pre-check, recorded as an automated decision. */
  async submit(actor: Actor, meta: RequestMeta): Promise<MyApplication> {
    const { db, clock } = this.deps;
    await this.requireConsent(actor.userId);
    await db.transaction().execute(async (trx) => {
      const row = await repo.lockApplicationByUser(trx, actor.userId);
      if (!row) {
        const first = missingItems({}, new Set())[0]!;
        throw new AppError('APPLICATION_INCOMPLETE', { field: first.field, ...localised(first) });
      }
      this.assertEditable(row);
      // Approved and rejected applications are resubmitted only after an edit has moved them back to draft.
      if (row.status !== 'draft' && row.status !== 'changes_requested')
        throw new AppError('APPLICATION_NOTHING_TO_SUBMIT');
      const form = await this.readForm(trx, row);
      const photos = await this.photoInfo(trx, row);
      const missing = missingItems(form, new Set(photos.keys()));
      if (missing.length > 0)
        throw new AppError('APPLICATION_INCOMPLETE', { field: missing[0]!.field, ...localised(missing[0]!) });
      const today = beijingToday(clock.now());
      const invalid = validateForm(form, today).errors[0];
      if (invalid) {
        const label = labelOf(invalid.field);
        throw new AppError('APPLICATION_INVALID', {
          field: invalid.field,
          label: label.zh,
          labelEn: label.en,
          detail: invalid.message.zh,
          detailEn: invalid.message.en,
        });
      }
      const now = clock.now();
      const rules = runPrecheck({
        form,
        photos,
        duplicateIdNumber: await repo.hasOtherWithIndex(trx, actor.userId, 'id_number_bidx', row.id_number_bidx),
        duplicateCertificate:
          (await repo.hasOtherWithIndex(trx, actor.userId, 'practice_cert_bidx', row.practice_cert_bidx)) ||
          (await repo.hasOtherWithIndex(trx, actor.userId, 'qualification_cert_bidx', row.qualification_cert_bidx)),
        today,
      });
      const outcome = rules.some((r) => r.outcome === 'flag') ? 'flags' : 'pass';
      const decisionId = crypto.randomUUID();
      // A keyed hash of exactly what the rules saw: provable later ("these inputs gave this result"), useless for guessing them.
      const inputsSha256 = crypto
        .createHmac('sha256', this.deps.derived.decisionInputs)
        .update(canonicalJson({ form, photos: Object.fromEntries(photos) }))
        .digest('hex');
      await repo.insertDecision(trx, {
        id: decisionId,
        subject_id: actor.userId,
        kind: 'onboarding_precheck',
        ref_id: row.id,
        rule_set_version: PRECHECK_RULE_SET_VERSION,
        inputs_sha256: inputsSha256,
        outcome,
        rules: JSON.stringify(rules),
        created_at: now,
      });
      await repo.markSubmitted(trx, row.id, now, row.submission_count + 1);
      await repo.insertEvents(trx, [
        { id: crypto.randomUUID(), application_id: row.id, at: now, kind: 'submitted', actor_id: actor.userId },
        {
          id: crypto.randomUUID(),
          application_id: row.id,
          at: new Date(now.getTime() + 1),
          kind: 'prechecked',
          decision_id: decisionId,
        },
      ]);
      await auditBy(
        trx,
        actor,
        meta,
        'onboarding.submitted',
        { subjectId: actor.userId, details: { applicationId: row.id, submission: row.submission_count + 1 } },
        now,
      );
      await appendAudit(
        trx,
        {
          action: 'onboarding.prechecked',
          actorId: null,
          actorRole: 'system',
          subjectId: actor.userId,
          requestId: meta.requestId,
          details: {
            decisionId,
            outcome,
            flags: rules.filter((r) => r.outcome === 'flag').map((r) => r.rule),
            ruleSet: PRECHECK_RULE_SET_VERSION,
          },
        },
        now,
      );
    });
    return this.mine(actor);
  }
}

function localised(item: { label: { zh: string; en: string }; purpose: { zh: string; en: string } }) {
  return { label: item.label.zh, labelEn: item.label.en, purpose: item.purpose.zh, purposeEn: item.purpose.en };
}

export function biographyOf(form: ApplicationForm) {
  const b = form.professional?.biography ?? {};
  return {
    education: b.education ?? null,
    practice: b.practice ?? null,
    academic: b.academic ?? null,
    cases: b.cases ?? null,
  };
}

/** Everything except expertise and biography counts as a credential: changing it needs a new review. */
function sameCredentials(a: ApplicationForm, b: ApplicationForm): boolean {
  const strip = (f: ApplicationForm) => {
    const professional = { ...(f.professional ?? {}) } as Record<string, unknown>;
    for (const k of PROFILE_ONLY_FIELDS) delete professional[k];
    return canonicalJson({
      basic: f.basic ?? {},
      credentials: stripEmpty(f.credentials ?? {}),
      professional: stripEmpty(professional),
    });
  };
  return strip(a) === strip(b);
}

function stripEmpty(o: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== null));
}

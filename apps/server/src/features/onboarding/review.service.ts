import crypto from 'node:crypto';
import type {
  DecisionBody,
  PhotoSlot,
  ReasonTemplates,
  RevealBody,
  RevealReply,
  ReviewDetail,
  ReviewQueue,
} from '@anxin/contracts';
import { PHOTO_SLOTS } from '@anxin/contracts';
import { maskCertificate, maskResidentId, validateForm } from '@anxin/domain';
import type { Db } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import { auditBy } from '../../privacy/audit/audit.js';
import type { PolicyService, RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Actor } from '../identity/identity.service.js';
import type { NoticeService } from '../notices/notices.service.js';
import { blurredPreview } from './photo-pipeline.js';
import type { PhotoStore } from './photo.store.js';
import { beijingToday, biographyOf, type OnboardingService } from './onboarding.service.js';
import { REVIEW_REASONS } from './review-reasons.js';
import * as repo from './onboarding.repo.js';
import * as profiles from '../directory/directory.repo.js';

const REVEAL_MINUTES = 10;

/**
 * Credential review (ONB-4). Reviewers see numbers masked and photos blurred; seeing more needs a stated purpose,
 * which grants ten minutes and is written to the audit log with who, why and which fields.
 */
export class ReviewService {
  constructor(
    private readonly deps: {
      db: Db;
      keys: KeyStore;
      clock: Clock;
      onboarding: OnboardingService;
      photos: PhotoStore;
      notices: NoticeService;
      policy: PolicyService;
    },
  ) {}

  reasons(): ReasonTemplates {
    return {
      templates: REVIEW_REASONS.map((r) => ({
        code: r.code,
        decision: r.decision,
        label: { ...r.label },
        suggestedText: { ...r.suggestedText },
      })),
    };
  }

  async queue(filter: {
    status: 'pending' | 'changes_requested' | 'approved' | 'rejected' | 'all';
    flagged?: boolean;
  }): Promise<ReviewQueue> {
    const { db, clock, onboarding } = this.deps;
    const statuses =
      filter.status === 'pending'
        ? ['submitted']
        : filter.status === 'all'
          ? ['submitted', 'changes_requested', 'approved', 'rejected']
          : [filter.status];
    const rows = await repo.listQueue(db, statuses);
    const now = clock.now().getTime();
    const items = await Promise.all(
      rows.map(async (row) => {
        const form = await onboarding.readForm(db, row, { withNumbers: false });
        const precheck = await onboarding.precheckOf(db, row.id);
        const submittedAt = row.submitted_at ? new Date(row.submitted_at) : new Date(row.updated_at);
        return {
          id: row.id,
          status: row.status,
          name: form.basic?.name ?? '',
          practitionerType: row.practitioner_type,
          hospital: form.professional?.hospital ?? null,
          submittedAt: submittedAt.toISOString(),
          waitingHours: Math.round(((now - submittedAt.getTime()) / 3600_000) * 10) / 10,
          flags: precheck?.rules.filter((r) => r.outcome === 'flag').length ?? 0,
          resubmission: row.submission_count > 1,
        };
      }),
    );
    return { items: filter.flagged ? items.filter((i) => i.flags > 0) : items };
  }

  /** A reviewer opening an application reads personal data (name, contact details): that read is audited too. */
  async detailForStaff(staff: Actor, id: string, meta: RequestMeta): Promise<ReviewDetail> {
    const detail = await this.detail(id);
    const row = (await repo.findApplicationById(this.deps.db, id))!;
    await this.deps.db.transaction().execute((trx) =>
      auditBy(
        trx,
        staff,
        meta,
        'staff.viewed_personal_data',
        {
          subjectId: row.user_id,
          purpose: 'application_review',
          details: { applicationId: id, fields: ['basic', 'professional', 'masked_numbers'], via: 'detail' },
        },
        this.deps.clock.now(),
      ),
    );
    return detail;
  }

  async detail(id: string): Promise<ReviewDetail> {
    const { db, onboarding, clock } = this.deps;
    const row = await repo.findApplicationById(db, id);
    if (!row || row.status === 'draft') throw new AppError('APPLICATION_NOT_FOUND');
    const form = await onboarding.readForm(db, row);
    const { derived } = validateForm(form, beijingToday(clock.now()));
    const photos = await onboarding.photoInfo(db, row);
    // The detail never carries full numbers: masked here, revealed only through reveal().
    const masked = {
      idNumber: form.basic?.idNumber ? maskResidentId(form.basic.idNumber) : null,
      practiceCertNo: form.credentials?.practiceCertNo ? maskCertificate(form.credentials.practiceCertNo) : null,
      qualificationCertNo: form.credentials?.qualificationCertNo
        ? maskCertificate(form.credentials.qualificationCertNo)
        : null,
    };
    const safeForm = {
      basic: { ...form.basic, idNumber: masked.idNumber ?? undefined, birthday: undefined, gender: undefined },
      credentials: {
        practiceCertNo: masked.practiceCertNo ?? undefined,
        qualificationCertNo: masked.qualificationCertNo ?? undefined,
      },
      professional: form.professional,
    };
    return {
      id: row.id,
      status: row.status,
      form: safeForm,
      masked,
      derived: derived ? { gender: derived.gender, age: derived.age } : null,
      photoSlots: PHOTO_SLOTS.filter((s) => photos.has(s)),
      precheck: await onboarding.precheckOf(db, row.id),
      timeline: await onboarding.timeline(db, row),
      submittedAt: row.submitted_at ? new Date(row.submitted_at).toISOString() : null,
    };
  }

  /** RIG-4: once the applicant withdraws the separate consent, their documents are no longer processed. */
  private async requireApplicantConsent(userId: string) {
    if (!(await this.deps.policy.hasSensitiveConsent(userId, 'onboarding')))
      throw new AppError('APPLICANT_CONSENT_WITHDRAWN');
  }

  async reveal(staff: Actor, id: string, body: RevealBody, meta: RequestMeta): Promise<RevealReply> {
    const { db, clock, onboarding } = this.deps;
    const row = await repo.findApplicationById(db, id);
    if (!row || row.status === 'draft') throw new AppError('APPLICATION_NOT_FOUND');
    await this.requireApplicantConsent(row.user_id);
    const form = await onboarding.readForm(db, row);
    const fields = [...new Set(body.fields)];
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + REVEAL_MINUTES * 60_000);
    await db.transaction().execute(async (trx) => {
      await repo.insertRevealGrant(trx, {
        id: crypto.randomUUID(),
        staff_id: staff.userId,
        application_id: row.id,
        fields,
        purpose: body.purpose,
        expires_at: expiresAt,
        created_at: now,
      });
      await auditBy(
        trx,
        staff,
        meta,
        'staff.viewed_personal_data',
        { subjectId: row.user_id, purpose: body.purpose, details: { applicationId: row.id, fields, via: 'reveal' } },
        now,
      );
    });
    const photoSlots = fields.filter((f) => f.startsWith('photo:')).map((f) => f.slice(6) as PhotoSlot);
    return {
      ...(fields.includes('id_number') && form.basic?.idNumber ? { idNumber: form.basic.idNumber } : {}),
      ...(fields.includes('practice_cert_no') && form.credentials?.practiceCertNo
        ? { practiceCertNo: form.credentials.practiceCertNo }
        : {}),
      ...(fields.includes('qualification_cert_no') && form.credentials?.qualificationCertNo
        ? { qualificationCertNo: form.credentials.qualificationCertNo }
        : {}),
      photoSlots,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Blurred previews need no reveal; full photos need a live grant for that slot, and each view is audited. */
  async photo(staff: Actor, id: string, slot: PhotoSlot, variant: 'blurred' | 'full', meta: RequestMeta) {
    const { db, clock, photos } = this.deps;
    const row = await repo.findApplicationById(db, id);
    if (!row || row.status === 'draft') throw new AppError('APPLICATION_NOT_FOUND');
    const blobId = row[repo.photoColumn(slot)];
    if (!blobId) throw new AppError('PHOTO_NOT_FOUND');
    if (slot !== 'avatar') await this.requireApplicantConsent(row.user_id);
    if (variant === 'blurred') {
      const thumb = await photos.read(db, blobId, 'thumb');
      return { bytes: await blurredPreview(thumb.bytes), contentType: 'image/jpeg' };
    }
    // The avatar is shown publicly once approved; every other slot is an identity document.
    const grant =
      slot === 'avatar'
        ? { purpose: 'application_review' }
        : await repo.liveGrantFor(db, staff.userId, row.id, `photo:${slot}`, clock.now());
    if (!grant) throw new AppError('REVEAL_REQUIRED');
    await db.transaction().execute((trx) =>
      auditBy(
        trx,
        staff,
        meta,
        'staff.viewed_personal_data',
        {
          subjectId: row.user_id,
          purpose: grant.purpose,
          details: { applicationId: row.id, fields: [`photo:${slot}`], via: 'photo' },
        },
        clock.now(),
      ),
    );
    return photos.read(db, blobId, 'full');
  }

  async decide(staff: Actor, id: string, body: DecisionBody, meta: RequestMeta): Promise<ReviewDetail> {
    const { db, clock, onboarding, keys, notices } = this.deps;
    const template = REVIEW_REASONS.find((r) => r.code === body.reasonCode && r.decision === body.decision);
    if (!template) throw new AppError('REASON_TEMPLATE_UNKNOWN');
    await db.transaction().execute(async (trx) => {
      const row = await repo.lockApplicationById(trx, id);
      if (!row) throw new AppError('APPLICATION_NOT_FOUND');
      if (row.status !== 'submitted') throw new AppError('APPLICATION_NOT_PENDING');
      // Nobody decides on their own application: a staff account with the applicant's phone number is refused.
      const same = await repo.samePhoneAs(trx, staff.userId, row.user_id);
      if (same) throw new AppError('REVIEW_CONFLICT_OF_INTEREST');
      if (body.decision === 'approve') await this.requireApplicantConsent(row.user_id);
      const now = clock.now();
      const status =
        body.decision === 'approve' ? 'approved' : body.decision === 'reject' ? 'rejected' : 'changes_requested';
      const eventId = crypto.randomUUID();
      await repo.markDecided(trx, row.id, status, now);
      await repo.insertEvents(trx, {
        id: eventId,
        application_id: row.id,
        at: now,
        kind: status,
        actor_id: staff.userId,
        reason_code: body.reasonCode,
        reason_text_enc: await keys.encrypt(
          trx,
          row.user_id,
          { table: 'application_events', column: 'reason_text_enc', rowId: eventId },
          body.reasonText.trim(),
        ),
      });
      if (status === 'approved') {
        const form = await onboarding.readForm(trx, row);
        const p = form.professional ?? {};
        const profile = {
          name: form.basic?.name ?? '',
          avatar_blob_id: row.photo_avatar,
          title: p.title ?? null,
          hospital: p.hospital ?? null,
          department: p.department ?? null,
          practitioner_type: row.practitioner_type!,
          expertise: p.expertise ?? [],
          biography: JSON.stringify(biographyOf(form)),
          updated_at: now,
        };
        await profiles.upsertProfile(trx, row.user_id, profile, now);
        await auditBy(
          trx,
          staff,
          meta,
          'profile.published',
          { subjectId: row.user_id, details: { applicationId: row.id } },
          now,
        );
      }
      if (status === 'rejected') {
        // A rejected re-review means the platform can no longer vouch for this doctor's current credentials.
        const removed = await profiles.deleteProfile(trx, row.user_id);
        if (removed > 0) {
          await auditBy(
            trx,
            staff,
            meta,
            'profile.unpublished',
            { subjectId: row.user_id, details: { applicationId: row.id } },
            now,
          );
        }
      }
      await notices.create(trx, row.user_id, `onboarding.${status}` as 'onboarding.approved', {
        applicationId: row.id,
      });
      await auditBy(
        trx,
        staff,
        meta,
        'onboarding.decided',
        {
          subjectId: row.user_id,
          details: { applicationId: row.id, decision: body.decision, reasonCode: body.reasonCode },
        },
        now,
      );
    });
    return this.detail(id);
  }
}

import crypto from 'node:crypto';
import type {
  ConsentProof,
  Locale,
  PolicyDocument,
  PrivacyOverview,
  SensitiveConsentDocument,
  SensitivePurpose,
} from '@anxin/contracts';
import type { Db, Queryable } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import { appendAudit, auditBySystem } from '../audit/audit.js';
import { generatePolicy, sha256Hex, type OperatorInfo } from './policy-text.js';
import { SENSITIVE_CONSENTS } from './sensitive-consents.js';
import { generateTerms, TERMS } from './terms-text.js';
import * as repo from './policy.repo.js';

/** Changes take effect 7 days after notice (POL-2); the very first version takes effect at once. */
export const POLICY_NOTICE_DAYS = 7;

export type { RequestMeta } from '../../platform/actor.js';
import type { RequestMeta } from '../../platform/actor.js';

export interface PolicyStatus {
  acceptedVersion: number | null;
  currentVersion: number;
  needsAcceptance: boolean;
}

export class PolicyService {
  constructor(private readonly deps: { db: Db; keys: KeyStore; clock: Clock; operator: OperatorInfo }) {}

  /** Retention (SEC-2): consent records of accounts erased more than 3 years ago are deleted. */
  async purgeConsentsOf(db: Queryable, userIds: string[]): Promise<number> {
    return repo.deleteConsentsOfUsers(db, userIds);
  }

  /**
   * Called at start-up: publishes the policy generated from the inventory if it differs from the latest version.
   * Serialised with an advisory lock so that several instances starting together publish once.
   */
  async ensurePublished(): Promise<{ version: number; published: boolean }> {
    const draft = generatePolicy(this.deps.operator);
    return this.deps.db.transaction().execute(async (trx) => {
      await repo.lockPublishing(trx);
      const latest = await repo.findLatestPolicy(trx);
      if (latest && latest.sha256_zh === sha256Hex(draft.zh.text) && latest.sha256_en === sha256Hex(draft.en.text)) {
        return { version: latest.version, published: false };
      }
      const now = this.deps.clock.now();
      const version = (latest?.version ?? 0) + 1;
      const effectiveAt = latest ? new Date(now.getTime() + POLICY_NOTICE_DAYS * 86_400_000) : now;
      await repo.insertPolicyVersion(trx, {
        version,
        published_at: now,
        effective_at: effectiveAt,
        title_zh: draft.zh.title,
        title_en: draft.en.title,
        summary_zh: draft.zh.summary,
        summary_en: draft.en.summary,
        text_zh: draft.zh.text,
        text_en: draft.en.text,
        sha256_zh: sha256Hex(draft.zh.text),
        sha256_en: sha256Hex(draft.en.text),
        published_by: null,
      });
      this.cached = null;
      await auditBySystem(trx, 'policy.published', { details: { version } }, now);
      return { version, published: true };
    });
  }

  private cached: { policy: NonNullable<Awaited<ReturnType<typeof repo.findEffectivePolicy>>>; until: number } | null =
    null;

  /**
   * The version in effect. Read on every signed-in request (policy gate), so it is cached for 30 s: a new
   * version takes effect days after it is published, so the cache can never hide one that is in effect.
   */
  async currentPolicy(db: Queryable = this.deps.db) {
    const now = this.deps.clock.now();
    if (db === this.deps.db && this.cached && now.getTime() < this.cached.until) return this.cached.policy;
    const policy = await repo.findEffectivePolicy(db, now);
    if (!policy) throw new Error('no policy version is in effect; ensurePublished() must run at start-up');
    const next = await repo.findNextPolicyEffectiveAt(db, now);
    this.cached = { policy, until: Math.min(now.getTime() + 30_000, next ? new Date(next).getTime() : Infinity) };
    return policy;
  }

  async document(locale: Locale): Promise<PolicyDocument> {
    const p = await this.currentPolicy();
    const zh = locale === 'zh-CN';
    return {
      version: p.version,
      locale,
      title: zh ? p.title_zh : p.title_en,
      summary: zh ? p.summary_zh : p.summary_en,
      text: zh ? p.text_zh : p.text_en,
      textSha256: zh ? p.sha256_zh : p.sha256_en,
      publishedAt: new Date(p.published_at).toISOString(),
      effectiveAt: new Date(p.effective_at).toISOString(),
      operator: this.deps.operator,
    };
  }

  /** The user agreement (《用户协议》): its own document, in the same shape so the apps read it like the policy. */
  terms(locale: Locale): PolicyDocument {
    const text = generateTerms(this.deps.operator)[locale === 'zh-CN' ? 'zh' : 'en'];
    const effectiveAt = new Date(TERMS.effectiveAt).toISOString();
    return {
      version: TERMS.version,
      locale,
      ...text,
      textSha256: sha256Hex(text.text),
      publishedAt: effectiveAt,
      effectiveAt,
      operator: this.deps.operator,
    };
  }

  /** The proof must name the version in effect and the hash of exactly the text we showed in that language. */
  async checkPolicyProof(db: Queryable, proof: ConsentProof | undefined): Promise<void> {
    if (!proof) throw new AppError('POLICY_CONSENT_REQUIRED');
    const p = await this.currentPolicy(db);
    if (proof.version !== p.version) throw new AppError('POLICY_VERSION_OUTDATED');
    const expected = proof.locale === 'zh-CN' ? p.sha256_zh : p.sha256_en;
    if (proof.textSha256 !== expected) throw new AppError('CONSENT_TEXT_MISMATCH');
  }

  async recordPolicyConsent(
    trx: Queryable,
    userId: string,
    proof: ConsentProof | undefined,
    meta: RequestMeta,
  ): Promise<void> {
    await this.checkPolicyProof(trx, proof);
    await this.insertConsent(trx, userId, { kind: 'policy', purpose: null }, proof!, meta);
  }

  /** One consent record (with encrypted IP and user agent) and its audit entry, in the caller's transaction. */
  private async insertConsent(
    trx: Queryable,
    userId: string,
    what: { kind: 'policy'; purpose: null } | { kind: 'sensitive'; purpose: SensitivePurpose },
    proof: ConsentProof,
    meta: RequestMeta,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const id = crypto.randomUUID();
    const encrypt = (column: 'ip_enc' | 'user_agent_enc', value: string) =>
      this.deps.keys.encrypt(trx, userId, { table: 'consents', column, rowId: id }, value);
    await repo.insertConsent(trx, {
      id,
      user_id: userId,
      kind: what.kind,
      purpose: what.purpose,
      version: proof.version,
      locale: proof.locale,
      text_sha256: proof.textSha256,
      accepted_at: now,
      ip_enc: await encrypt('ip_enc', meta.ip),
      user_agent_enc: await encrypt('user_agent_enc', meta.userAgent),
    });
    await appendAudit(
      trx,
      {
        action: what.kind === 'policy' ? 'consent.policy_accepted' : 'consent.sensitive_given',
        actorId: userId,
        actorRole: null,
        subjectId: userId,
        requestId: meta.requestId,
        // The consent step asks for the policy and the user agreement together: the agreement in force is recorded with it.
        details: {
          version: proof.version,
          consentId: id,
          purpose: what.purpose,
          ...(what.kind === 'policy' ? { termsVersion: TERMS.version } : {}),
        },
      },
      now,
    );
  }

  sensitiveDocument(purpose: SensitivePurpose, locale: Locale, given: boolean): SensitiveConsentDocument {
    const spec = SENSITIVE_CONSENTS[purpose];
    const text = locale === 'zh-CN' ? spec.zh : spec.en;
    return {
      purpose,
      version: spec.version,
      locale,
      title: text.title,
      text: text.text,
      textSha256: sha256Hex(text.text),
      given,
    };
  }

  async hasSensitiveConsent(userId: string, purpose: SensitivePurpose, db: Queryable = this.deps.db): Promise<boolean> {
    const active = await repo.listActiveSensitivePurposes(db, userId);
    return active.some((c) => c.purpose === purpose && c.version === SENSITIVE_CONSENTS[purpose].version);
  }

  /**
   * The purposes the user has an active (not withdrawn) sensitive-information consent for, whatever text version it
   * was given for (what the account overview shows; `hasSensitiveConsent` is the check for processing).
   */
  async sensitiveConsentPurposes(db: Queryable, userId: string): Promise<SensitivePurpose[]> {
    const active = await repo.listActiveSensitivePurposes(db, userId);
    return active.flatMap((c) => (c.purpose ? [c.purpose] : []));
  }

  async recordSensitiveConsent(
    userId: string,
    purpose: SensitivePurpose,
    proof: ConsentProof,
    meta: RequestMeta,
  ): Promise<void> {
    const spec = SENSITIVE_CONSENTS[purpose];
    if (proof.version !== spec.version) throw new AppError('POLICY_VERSION_OUTDATED');
    const text = proof.locale === 'zh-CN' ? spec.zh.text : spec.en.text;
    if (proof.textSha256 !== sha256Hex(text)) throw new AppError('CONSENT_TEXT_MISMATCH');
    await this.deps.db.transaction().execute(async (trx) => {
      if (await this.hasSensitiveConsent(userId, purpose, trx)) return;
      await this.insertConsent(trx, userId, { kind: 'sensitive', purpose }, proof, meta);
    });
  }

  /**
   * RIG-4: withdrawing stops processing from now on; the earlier consent record stays (marked withdrawn), because
   * it is the proof that what happened before was lawful.
   */
  async withdrawSensitiveConsent(userId: string, purpose: SensitivePurpose, meta: RequestMeta): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      const withdrawn = await repo.withdrawSensitiveConsents(trx, userId, purpose, now);
      if (withdrawn === 0) throw new AppError('CONSENT_NOT_GIVEN');
      await appendAudit(
        trx,
        {
          action: 'consent.sensitive_withdrawn',
          actorId: userId,
          actorRole: null,
          subjectId: userId,
          requestId: meta.requestId,
          details: { purpose },
        },
        now,
      );
    });
  }

  async acceptNewPolicy(userId: string, proof: ConsentProof, meta: RequestMeta): Promise<void> {
    await this.deps.db.transaction().execute((trx) => this.recordPolicyConsent(trx, userId, proof, meta));
  }

  async status(db: Queryable, userId: string): Promise<PolicyStatus> {
    const [current, accepted] = await Promise.all([this.currentPolicy(db), repo.findLatestPolicyConsent(db, userId)]);
    const acceptedVersion = accepted?.version ?? null;
    return {
      acceptedVersion,
      currentVersion: current.version,
      needsAcceptance: acceptedVersion === null || acceptedVersion < current.version,
    };
  }

  statusOf(userId: string): Promise<PolicyStatus> {
    return this.status(this.deps.db, userId);
  }

  async overview(userId: string): Promise<PrivacyOverview> {
    const [consents, current] = await Promise.all([
      repo.listConsentsForUser(this.deps.db, userId),
      this.currentPolicy(),
    ]);
    return {
      consents: consents.map((c) => ({
        id: c.id,
        kind: c.kind,
        purpose: c.purpose,
        version: c.version,
        locale: c.locale,
        textSha256: c.text_sha256,
        acceptedAt: new Date(c.accepted_at).toISOString(),
        withdrawnAt: c.withdrawn_at ? new Date(c.withdrawn_at).toISOString() : null,
        policyEffectiveAt: c.policy_effective_at ? new Date(c.policy_effective_at).toISOString() : null,
      })),
      currentPolicyVersion: current.version,
      operator: this.deps.operator,
    };
  }
}

import crypto from 'node:crypto';
import type {
  AppKind,
  ConsentProof,
  Me,
  RequestCodeReply,
  SessionInfo,
  StepUpCodeReply,
  UpdateMeBody,
} from '@anxin/contracts';
import { decideOtpSend, describeUserAgent, maskIp, maskPhone, normalizeMainlandMobile, OTP_RULES } from '@anxin/domain';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/database.js';
import { blindIndex } from '../../crypto/blind-index.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { DerivedKeys } from '../../crypto/master-key.js';
import { appendAudit, auditBy } from '../../privacy/audit/audit.js';
import type { PolicyService, RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { SmsProvider } from './sms/sms-provider.js';
import { sessionTopic, type MessageBus } from '../../realtime/bus.js';
import { hashOtp, hashToken, newOtpCode, newToken } from './tokens.js';
import * as repo from './identity.repo.js';

/** Who is calling, resolved from the session cookie before any handler runs. */
export type { Actor } from '../../platform/actor.js';
import type { Actor } from '../../platform/actor.js';

export interface IdentityDeps {
  db: Db;
  keys: KeyStore;
  derived: DerivedKeys;
  sms: SmsProvider;
  clock: Clock;
  policy: PolicyService;
  session: Config['session'];
  /** Announces ended sessions so open sockets close at once. */
  bus?: MessageBus;
}

export interface IssuedSession {
  token: string;
  /** Cookie lifetime: persistent only for "keep me signed in". */
  maxAgeSeconds: number | null;
}

const phoneRef = (userId: string) => ({ table: 'users', column: 'phone_enc', rowId: userId });

function requirePhone(input: string): string {
  const check = normalizeMainlandMobile(input);
  if (!check.ok) throw new AppError(check.code);
  return check.phone;
}

export class IdentityService {
  constructor(private readonly deps: IdentityDeps) {}

  private phoneIndex(phone: string) {
    return blindIndex(this.deps.derived.blindIndex, 'phone', phone);
  }

  /**
   * Issues a one-time code within every limit and sends it by SMS. Requests for the same number and the same
   * network are serialised (always in this order, so no deadlock), so parallel requests cannot slip under a limit
   * together; sign-in and step-up codes share those limits. `inTrx` adds the caller's audit entry.
   */
  private async sendCode(
    c: { app: AppKind; purpose: 'sign_in' | 'step_up'; phone: string; phoneBidx: Buffer; ipBidx: Buffer },
    inTrx?: (trx: Queryable, now: Date) => Promise<unknown>,
  ): Promise<void> {
    const { db, clock } = this.deps;
    const code = newOtpCode();
    await db.transaction().execute(async (trx) => {
      await repo.lockCodeRequests(trx, c.phoneBidx, c.ipBidx);
      const now = clock.now();
      const history = await repo.recentCodeSends(trx, c.phoneBidx, c.ipBidx, new Date(now.getTime() - 86_400_000));
      const verdict = decideOtpSend(history, now.getTime());
      if (!verdict.allowed) throw new AppError(verdict.code, { seconds: verdict.retryAfterSeconds });
      const id = crypto.randomUUID();
      await repo.insertChallenge(trx, {
        id,
        app: c.app,
        purpose: c.purpose,
        phone_bidx: c.phoneBidx,
        ip_bidx: c.ipBidx,
        code_hash: hashOtp(this.deps.derived.otp, id, code),
        created_at: now,
        expires_at: new Date(now.getTime() + OTP_RULES.ttlSeconds * 1000),
      });
      await inTrx?.(trx, now);
    });
    try {
      await this.deps.sms.send({ to: c.phone, purpose: c.purpose, code });
    } catch {
      throw new AppError('SMS_DELIVERY_FAILED');
    }
  }

  /**
   * The verdict on a code for the latest challenge (locked by the caller): null when it matches (then used up),
   * else the error to answer with; a wrong code is counted first, and `attempts` is the new count.
   */
  private async checkChallenge(
    trx: Queryable,
    challenge: Awaited<ReturnType<typeof repo.latestChallengeForUpdate>>,
    code: string,
    now: Date,
  ): Promise<{ error: AppError; attempts?: number } | null> {
    if (!challenge) return { error: new AppError('OTP_NOT_REQUESTED') };
    if (challenge.consumed_at || new Date(challenge.expires_at) <= now) return { error: new AppError('OTP_EXPIRED') };
    if (challenge.wrong_attempts >= OTP_RULES.maxWrongAttempts) return { error: new AppError('OTP_LOCKED') };
    const given = hashOtp(this.deps.derived.otp, challenge.id, code.trim());
    if (!crypto.timingSafeEqual(challenge.code_hash, given)) {
      const attempts = challenge.wrong_attempts + 1;
      await repo.setWrongAttempts(trx, challenge.id, attempts);
      const left = OTP_RULES.maxWrongAttempts - attempts;
      return {
        error: left > 0 ? new AppError('OTP_INVALID', { attemptsLeft: left }) : new AppError('OTP_LOCKED'),
        attempts,
      };
    }
    await repo.consumeChallenge(trx, challenge.id, now);
    return null;
  }

  /** ACC-1: send a sign-in code, after the policy box was ticked (doctor/patient) and within every limit. */
  async requestCode(
    input: { phone: string; app: AppKind; policyConsent?: ConsentProof },
    meta: RequestMeta,
  ): Promise<RequestCodeReply> {
    const { db } = this.deps;
    const phone = requirePhone(input.phone);
    if (input.app !== 'staff') await this.deps.policy.checkPolicyProof(db, input.policyConsent);
    const phoneBidx = this.phoneIndex(phone);
    const ipBidx = blindIndex(this.deps.derived.blindIndex, 'ip', meta.ip);
    if (input.app === 'staff') {
      const staff = await repo.findUserByPhone(db, 'staff', phoneBidx);
      if (!staff || staff.status !== 'active') throw new AppError('STAFF_NOT_FOUND');
    }
    await this.sendCode({ app: input.app, purpose: 'sign_in', phone, phoneBidx, ipBidx });
    return {
      resendAfterSeconds: OTP_RULES.resendAfterSeconds,
      expiresInSeconds: OTP_RULES.ttlSeconds,
      devOutbox: this.deps.sms.isLocalOnly,
    };
  }

  /**
   * ACC-1/ACC-3: check the code; on the first verified sign-in create the account (phone only, encrypted, with a
   * blind index) together with the policy consent record, in one transaction with the audit entries.
   */
  async verifyCode(
    input: { phone: string; code: string; app: AppKind; keepSignedIn?: boolean; policyConsent?: ConsentProof },
    meta: RequestMeta,
  ): Promise<IssuedSession & { userId: string }> {
    const { db, clock } = this.deps;
    const phone = requirePhone(input.phone);
    if (input.app !== 'staff') await this.deps.policy.checkPolicyProof(db, input.policyConsent);
    const phoneBidx = this.phoneIndex(phone);
    const result = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const challenge = await repo.latestChallengeForUpdate(trx, input.app, phoneBidx);
      const refused = await this.checkChallenge(trx, challenge, input.code, now);
      if (refused) {
        if (refused.attempts !== undefined) {
          const existing = await repo.findUserByPhone(trx, input.app, phoneBidx);
          await appendAudit(
            trx,
            {
              action: 'auth.sign_in_failed',
              actorId: null,
              actorRole: null,
              subjectId: existing?.id ?? null,
              requestId: meta.requestId,
              details: { app: input.app, reason: 'wrong_code', attempts: refused.attempts },
            },
            now,
          );
        }
        return { error: refused.error } as const;
      }

      let user = await repo.findUserByPhone(trx, input.app, phoneBidx);
      if (input.app === 'staff' && !user) return { error: new AppError('STAFF_NOT_FOUND') } as const;
      if (user && user.status !== 'active') return { error: new AppError('ACCOUNT_DISABLED') } as const;
      let userId: string;
      if (!user) {
        userId = crypto.randomUUID();
        await repo.insertUser(trx, {
          id: userId,
          app: input.app,
          phone_bidx: phoneBidx,
          phone_enc: await this.deps.keys.encrypt(trx, userId, phoneRef(userId), phone),
          created_at: now,
        });
        await appendAudit(
          trx,
          {
            action: 'account.created',
            actorId: userId,
            actorRole: input.app,
            subjectId: userId,
            requestId: meta.requestId,
            details: { app: input.app },
          },
          now,
        );
      } else {
        userId = user.id;
      }
      if (input.app !== 'staff') {
        const status = await this.deps.policy.status(trx, userId);
        // Ticking the box on the sign-in form is consent to the version shown; record it if it is newer.
        if (status.needsAcceptance) await this.deps.policy.recordPolicyConsent(trx, userId, input.policyConsent, meta);
      }
      user = user ?? (await repo.findUserById(trx, userId))!;
      const stage =
        input.app !== 'staff' ? 'active' : user.totp_enrolled_at ? 'totp_required' : 'totp_enrolment_required';
      // Staff never stay signed in, whatever the request asks for (createSession enforces it too).
      const keepSignedIn = input.app !== 'staff' && Boolean(input.keepSignedIn);
      const issued = await this.createSession(trx, userId, input.app, stage, keepSignedIn, meta);
      await appendAudit(
        trx,
        {
          action: 'auth.sign_in',
          actorId: userId,
          actorRole: input.app,
          subjectId: userId,
          requestId: meta.requestId,
          details: { app: input.app, stage, keepSignedIn },
        },
        now,
      );
      return { ok: { ...issued, userId } } as const;
    });
    if ('error' in result) throw result.error;
    return result.ok;
  }

  /**
   * RIG-7: a fresh code to the signed-in person's own number (step-up verification) before a rights request is
   * accepted. Same limits as sign-in codes (they share the phone's and the network's counters).
   */
  async requestStepUpCode(actor: Actor, meta: RequestMeta): Promise<StepUpCodeReply> {
    const { db, keys } = this.deps;
    const user = await repo.findUserById(db, actor.userId);
    if (!user || user.status !== 'active' || user.app === 'staff') throw new AppError('FORBIDDEN');
    const phone = await keys.decryptText(db, user.id, phoneRef(user.id), user.phone_enc);
    const ipBidx = blindIndex(this.deps.derived.blindIndex, 'ip', meta.ip);
    const c = { app: user.app, purpose: 'step_up' as const, phone, phoneBidx: user.phone_bidx, ipBidx };
    await this.sendCode(c, (trx, now) =>
      auditBy(trx, actor, meta, 'rights.step_up_sent', { subjectId: actor.userId }, now),
    );
    return {
      resendAfterSeconds: OTP_RULES.resendAfterSeconds,
      expiresInSeconds: OTP_RULES.ttlSeconds,
      sentTo: maskPhone(phone),
      devOutbox: this.deps.sms.isLocalOnly,
    };
  }

  /**
   * Checks and uses up the person's latest step-up code, in a transaction of its own so a wrong attempt is counted
   * even when the caller's work fails. Throws the sign-in code errors (OTP_INVALID with attempts left, …).
   */
  async verifyStepUpCode(actor: Actor, code: string, meta: RequestMeta): Promise<void> {
    const { db, clock } = this.deps;
    const error = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const user = await repo.findUserById(trx, actor.userId);
      if (!user || user.status !== 'active') return new AppError('FORBIDDEN');
      const challenge = await repo.latestChallengeForUpdate(trx, user.app, user.phone_bidx, 'step_up');
      const refused = await this.checkChallenge(trx, challenge, code, now);
      if (refused?.attempts !== undefined)
        await auditBy(
          trx,
          actor,
          meta,
          'rights.step_up_failed',
          { subjectId: actor.userId, details: { attempts: refused.attempts } },
          now,
        );
      return refused?.error ?? null;
    });
    if (error) throw error;
  }

  /**
   * Ends every session of the account in the caller's transaction (account cancellation). Returns what to call
   * after the commit: it closes the open sockets of those sessions on every instance.
   */
  async endAllSessionsOf(trx: Queryable, userId: string, reason: string): Promise<() => Promise<void>> {
    const ids = await repo.revokeAllOwnSessions(trx, userId, this.deps.clock.now(), null, reason);
    return () => this.endSockets(ids);
  }

  /** Active staff holding a role (the rights engine's reminders go to privacy officers). */
  staffWithRole(db: Queryable, role: 'privacy_officer'): Promise<string[]> {
    return repo.activeStaffWithRole(db, role);
  }

  /** The account's app and status, for the rights engine (null: no such account). */
  async accountOf(db: Queryable, userId: string): Promise<{ app: AppKind; status: string } | null> {
    const user = await repo.findUserById(db, userId);
    return user ? { app: user.app, status: user.status } : null;
  }

  /** The doctor or patient account that uses this phone number, for support entering a request on its behalf. */
  async findAccountByPhone(db: Queryable, app: 'doctor' | 'patient', phoneInput: string): Promise<string | null> {
    const user = await repo.findUserByPhone(db, app, this.phoneIndex(requirePhone(phoneInput)));
    return user && user.status === 'active' ? user.id : null;
  }

  private lifetimes(app: AppKind, stage: Actor['stage'], keep: boolean) {
    const s = this.deps.session;
    if (stage !== 'active') return { idle: 10 * 60, absolute: 10 * 60 };
    if (app === 'staff') return { idle: s.staffIdleMinutes * 60, absolute: s.staffAbsoluteHours * 3600 };
    if (keep) return { idle: s.keepSignedInDays * 86_400, absolute: s.keepSignedInDays * 86_400 };
    return { idle: s.idleMinutes * 60, absolute: s.absoluteHours * 3600 };
  }

  async createSession(
    trx: Queryable,
    userId: string,
    app: AppKind,
    stage: Actor['stage'],
    keep: boolean,
    meta: RequestMeta,
  ): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const { token, hash } = newToken();
    const id = crypto.randomUUID();
    const life = this.lifetimes(app, stage, keep && app !== 'staff');
    const ref = (column: string) => ({ table: 'sessions', column, rowId: id });
    await repo.insertSession(trx, {
      id,
      user_id: userId,
      token_hash: hash,
      stage,
      keep_signed_in: keep && app !== 'staff',
      created_at: now,
      last_seen_at: now,
      idle_timeout_seconds: life.idle,
      absolute_expires_at: new Date(now.getTime() + life.absolute * 1000),
      user_agent_enc: await this.deps.keys.encrypt(trx, userId, ref('user_agent_enc'), meta.userAgent.slice(0, 512)),
      ip_enc: await this.deps.keys.encrypt(trx, userId, ref('ip_enc'), meta.ip),
    });
    return { token, maxAgeSeconds: keep && app !== 'staff' && stage === 'active' ? life.absolute : null };
  }

  /** ACC-4: resolve a cookie to an actor, enforcing revocation, idle and absolute expiry. */
  async authenticate(token: string): Promise<Actor | 'expired' | null> {
    const { db, clock } = this.deps;
    const row = await repo.findSessionByTokenHash(db, hashToken(token));
    if (!row) return null;
    const now = clock.now();
    const idleDeadline = new Date(row.last_seen_at).getTime() + row.idle_timeout_seconds * 1000;
    if (row.revoked_at || row.status !== 'active') return 'expired';
    if (now.getTime() >= idleDeadline || now >= new Date(row.absolute_expires_at)) {
      await repo.expireSession(db, row.sessionId, now);
      return 'expired';
    }
    // Touch at most once a minute: idle expiry needs no finer grain, and it keeps reads cheap.
    if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
      await repo.touchSession(db, row.sessionId, now);
    }
    const roles = row.app === 'staff' ? (await repo.listRoles(db, row.userId)).map((r) => r.role) : [];
    return { userId: row.userId, app: row.app, roles, sessionId: row.sessionId, stage: row.stage, locale: row.locale };
  }

  async signOut(actor: Actor, meta: RequestMeta): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      await repo.revokeSessionById(trx, actor.sessionId, 'signed_out', now);
      await auditBy(
        trx,
        actor,
        meta,
        'auth.sign_out',
        { subjectId: actor.userId, details: { sessionId: actor.sessionId } },
        now,
      );
    });
    await this.endSockets([actor.sessionId]);
  }

  private async endSockets(sessionIds: string[]) {
    for (const id of sessionIds) await this.deps.bus?.publish(sessionTopic(id), { type: 'session.ended' });
  }

  async listSessions(actor: Actor): Promise<SessionInfo[]> {
    const { db, keys, clock } = this.deps;
    const now = clock.now();
    const rows = await repo.listLiveSessions(db, actor.userId, now);
    const live = rows.filter((r) => new Date(r.last_seen_at).getTime() + r.idle_timeout_seconds * 1000 > now.getTime());
    return Promise.all(
      live.map(async (r) => {
        const ref = (column: string) => ({ table: 'sessions', column, rowId: r.id });
        const ua = r.user_agent_enc
          ? await keys.decryptText(db, actor.userId, ref('user_agent_enc'), r.user_agent_enc)
          : '';
        const ip = r.ip_enc ? await keys.decryptText(db, actor.userId, ref('ip_enc'), r.ip_enc) : '';
        const idleEnd = new Date(r.last_seen_at).getTime() + r.idle_timeout_seconds * 1000;
        return {
          id: r.id,
          current: r.id === actor.sessionId,
          device: describeUserAgent(ua),
          ipMasked: maskIp(ip),
          createdAt: new Date(r.created_at).toISOString(),
          lastSeenAt: new Date(r.last_seen_at).toISOString(),
          expiresAt: new Date(Math.min(idleEnd, new Date(r.absolute_expires_at).getTime())).toISOString(),
        };
      }),
    );
  }

  async revokeSession(actor: Actor, sessionId: string, meta: RequestMeta): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      // Ownership is part of the WHERE: a user can only ever revoke their own sessions.
      if (!(await repo.revokeOwnSession(trx, sessionId, actor.userId, now))) throw new AppError('SESSION_NOT_FOUND');
      await auditBy(trx, actor, meta, 'auth.session_revoked', { subjectId: actor.userId, details: { sessionId } }, now);
    });
    await this.endSockets([sessionId]);
  }

  async revokeAllSessions(actor: Actor, includeCurrent: boolean, meta: RequestMeta): Promise<number> {
    const ids: string[] = [];
    const count = await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      const revoked = await repo.revokeAllOwnSessions(trx, actor.userId, now, includeCurrent ? null : actor.sessionId);
      const count = revoked.length;
      await auditBy(
        trx,
        actor,
        meta,
        'auth.sessions_revoked_all',
        { subjectId: actor.userId, details: { count, includeCurrent } },
        now,
      );
      ids.push(...revoked);
      return count;
    });
    await this.endSockets(ids);
    return count;
  }

  async me(actor: Actor): Promise<Me> {
    const { db, keys } = this.deps;
    const user = await repo.findUserById(db, actor.userId);
    if (!user) throw new AppError('AUTH_REQUIRED');
    const phone = await keys.decryptText(db, user.id, phoneRef(user.id), user.phone_enc);
    const displayName = user.display_name_enc
      ? await keys.decryptText(
          db,
          user.id,
          { table: 'users', column: 'display_name_enc', rowId: user.id },
          user.display_name_enc,
        )
      : null;
    // What a patient chose to share with their doctors, under their own key like the display name.
    const shared = async (column: 'age_band_enc' | 'sex_enc') => {
      const blob = user[column];
      return blob ? keys.decryptText(db, user.id, { table: 'users', column, rowId: user.id }, blob) : null;
    };
    const doctorProfile = actor.app === 'doctor' ? ((await repo.findOwnDoctorProfile(db, user.id)) ?? null) : null;
    const policy = actor.app === 'staff' ? null : await this.deps.policy.status(db, user.id);
    const current = policy ?? {
      acceptedVersion: null,
      currentVersion: (await this.deps.policy.currentPolicy()).version,
      needsAcceptance: false,
    };
    const sensitiveConsents = await this.deps.policy.sensitiveConsentPurposes(db, user.id);
    return {
      id: user.id,
      app: user.app,
      roles: actor.roles,
      phoneMasked: maskPhone(phone),
      displayName,
      locale: user.locale,
      createdAt: new Date(user.created_at).toISOString(),
      stage: actor.stage,
      policy: current,
      sensitiveConsents,
      ageBand: (await shared('age_band_enc')) as Me['ageBand'],
      sex: (await shared('sex_enc')) as Me['sex'],
      doctorProfile,
    };
  }

  async updateMe(actor: Actor, body: UpdateMeBody, meta: RequestMeta): Promise<Me> {
    await this.deps.db.transaction().execute(async (trx) => {
      const changes: {
        locale?: 'zh-CN' | 'en';
        display_name_enc?: Buffer;
        age_band_enc?: Buffer | null;
        sex_enc?: Buffer | null;
      } = {};
      if (body.locale) changes.locale = body.locale;
      // Only a patient has an age band or sex to share (with the doctors they consult); null stops sharing it.
      if ((body.ageBand !== undefined || body.sex !== undefined) && actor.app !== 'patient')
        throw new AppError('FORBIDDEN');
      for (const [column, value] of [
        ['age_band_enc', body.ageBand],
        ['sex_enc', body.sex],
      ] as const) {
        if (value === undefined) continue;
        changes[column] =
          value === null
            ? null
            : await this.deps.keys.encrypt(trx, actor.userId, { table: 'users', column, rowId: actor.userId }, value);
      }
      if (body.displayName !== undefined) {
        changes.display_name_enc = await this.deps.keys.encrypt(
          trx,
          actor.userId,
          { table: 'users', column: 'display_name_enc', rowId: actor.userId },
          body.displayName.trim(),
        );
      }
      if (Object.keys(changes).length === 0) return;
      await repo.updateUser(trx, actor.userId, changes);
      await auditBy(
        trx,
        actor,
        meta,
        'account.updated',
        { subjectId: actor.userId, details: { fields: Object.keys(body) } },
        this.deps.clock.now(),
      );
    });
    return this.me({ ...actor, locale: body.locale ?? actor.locale });
  }
}

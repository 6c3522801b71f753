import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { StaffRole } from '@anxin/contracts';
import { maskPhone, normalizeMainlandMobile } from '@anxin/domain';
import type { Db } from '../../db/database.js';
import { blindIndex } from '../../crypto/blind-index.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { DerivedKeys } from '../../crypto/master-key.js';
import { appendAudit, auditBy } from '../../privacy/audit/audit.js';
import type { RequestMeta } from '../../privacy/policy/policy.service.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Actor, IdentityService, IssuedSession } from './identity.service.js';
import { hashToken, newToken } from './tokens.js';
import * as repo from './identity.repo.js';

const ENROLMENT_HOURS = 24;
const MAX_TOTP_FAILURES = 5;
const ISSUER = 'Anxin 安心';

/**
 * The 30-second time step a code belongs to (accepting one step either side for clock drift), or null.
 * Authenticator apps run on wall-clock time, so this uses the real clock, not the injected one.
 */
function acceptedStep(secretBase32: string, code: string): number | null {
  const now = Date.now();
  const delta = totpFor(secretBase32, 'x').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

function totpFor(secretBase32: string, label: string) {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

/**
 * Staff accounts: created by an admin (or `npm run admin:create`), second factor by TOTP, enrolled through a
 * one-time link whose token lives in the URL fragment (never sent in a query string or logged).
 */
export class StaffService {
  constructor(
    private readonly deps: {
      db: Db;
      keys: KeyStore;
      derived: DerivedKeys;
      clock: Clock;
      identity: IdentityService;
      publicUrl: string;
    },
  ) {}

  async createStaff(input: {
    phone: string;
    roles: StaffRole[];
    grantedBy: string | null;
  }): Promise<{ userId: string; enrolmentLink: string; created: boolean }> {
    const check = normalizeMainlandMobile(input.phone);
    if (!check.ok) throw new AppError(check.code);
    const { db, keys, clock } = this.deps;
    const phoneBidx = blindIndex(this.deps.derived.blindIndex, 'phone', check.phone);
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const actor = { actorId: input.grantedBy, actorRole: input.grantedBy ? 'admin' : 'system' };
      let user = await repo.findUserByPhone(trx, 'staff', phoneBidx);
      const created = !user;
      if (!user) {
        const id = crypto.randomUUID();
        await repo.insertUser(trx, {
          id,
          app: 'staff',
          phone_bidx: phoneBidx,
          phone_enc: await keys.encrypt(trx, id, { table: 'users', column: 'phone_enc', rowId: id }, check.phone),
          created_at: now,
        });
        await appendAudit(trx, { action: 'staff.created', ...actor, subjectId: id }, now);
        user = (await repo.findUserById(trx, id))!;
      }
      for (const role of input.roles) {
        if (await repo.grantRole(trx, user.id, role, input.grantedBy))
          await appendAudit(
            trx,
            { action: 'staff.role_granted', ...actor, subjectId: user.id, details: { role } },
            now,
          );
      }
      const { token, hash } = newToken();
      await repo.insertEnrolment(trx, {
        user_id: user.id,
        token_hash: hash,
        expires_at: new Date(now.getTime() + ENROLMENT_HOURS * 3600_000),
      });
      await appendAudit(trx, { action: 'staff.enrolment_issued', ...actor, subjectId: user.id }, now);
      return { userId: user.id, created, enrolmentLink: `${this.deps.publicUrl}/admin/enrol#token=${token}` };
    });
  }

  private async findEnrolment(token: string) {
    const row = await repo.findEnrolmentByTokenHash(this.deps.db, hashToken(token));
    if (!row || row.used_at || new Date(row.expires_at) <= this.deps.clock.now())
      throw new AppError('ENROLMENT_INVALID');
    return row;
  }

  async startEnrolment(token: string): Promise<{ otpauthUri: string; secretBase32: string; phoneMasked: string }> {
    const { db, keys } = this.deps;
    const row = await this.findEnrolment(token);
    const ref = { table: 'staff_enrolments', column: 'pending_secret_enc', rowId: row.id };
    let secret: string;
    if (row.pending_secret_enc) {
      secret = await keys.decryptText(db, row.user_id, ref, row.pending_secret_enc);
    } else {
      secret = new OTPAuth.Secret({ size: 20 }).base32;
      await repo.setPendingSecret(db, row.id, await keys.encrypt(db, row.user_id, ref, secret));
    }
    const phone = await keys.decryptText(
      db,
      row.user_id,
      { table: 'users', column: 'phone_enc', rowId: row.user_id },
      row.phone_enc,
    );
    return {
      otpauthUri: totpFor(secret, maskPhone(phone)).toString(),
      secretBase32: secret,
      phoneMasked: maskPhone(phone),
    };
  }

  async finishEnrolment(token: string, code: string, meta: RequestMeta): Promise<void> {
    const { db, keys, clock } = this.deps;
    const row = await this.findEnrolment(token);
    if (!row.pending_secret_enc) throw new AppError('ENROLMENT_INVALID');
    const secret = await keys.decryptText(
      db,
      row.user_id,
      { table: 'staff_enrolments', column: 'pending_secret_enc', rowId: row.id },
      row.pending_secret_enc,
    );
    const step = acceptedStep(secret, code);
    if (step === null) throw new AppError('TOTP_INVALID');
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const enc = await keys.encrypt(
        trx,
        row.user_id,
        { table: 'users', column: 'totp_secret_enc', rowId: row.user_id },
        secret,
      );
      await repo.setTotpSecret(trx, row.user_id, enc, now, step);
      await repo.markEnrolmentUsed(trx, row.id, now);
      // Any half-signed-in session from before enrolment must sign in again with the new factor.
      await repo.revokePendingSessions(trx, row.user_id, 'totp_enrolled', now);
      await appendAudit(
        trx,
        {
          action: 'auth.totp_enrolled',
          actorId: row.user_id,
          actorRole: 'staff',
          subjectId: row.user_id,
          requestId: meta.requestId,
        },
        now,
      );
    });
  }

  /** Second factor. On success the half-authenticated session is replaced by a new one (new token: no fixation). */
  async verifyTotp(actor: Actor, code: string, meta: RequestMeta): Promise<IssuedSession> {
    if (actor.stage !== 'totp_required') throw new AppError('TOTP_NOT_PENDING');
    const { db, keys, clock } = this.deps;
    const user = await repo.findUserById(db, actor.userId);
    if (!user?.totp_secret_enc) throw new AppError('TOTP_NOT_PENDING');
    const secret = await keys.decryptText(
      db,
      user.id,
      { table: 'users', column: 'totp_secret_enc', rowId: user.id },
      user.totp_secret_enc,
    );
    const step = acceptedStep(secret, code);
    // Each code works once: the step is recorded atomically, so a replayed (or concurrently reused) code fails.
    const fresh = step !== null && (await repo.claimTotpStep(db, user.id, step));
    if (!fresh) {
      // Committed on its own: a failed second factor must stay on record even though the request fails.
      const failures = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        await auditBy(
          trx,
          actor,
          meta,
          'auth.totp_failed',
          { subjectId: actor.userId, details: { sessionId: actor.sessionId } },
          now,
        );
        // The audit entry records the miss; this session's own counter (migration 0013) decides the lock-out.
        const count = await repo.recordTotpFailure(trx, actor.sessionId, now);
        // Six digits can be guessed: after five misses this half-signed-in session is ended.
        if (count >= MAX_TOTP_FAILURES) await repo.revokeSessionById(trx, actor.sessionId, 'totp_failures', now);
        return count;
      });
      throw new AppError(failures >= MAX_TOTP_FAILURES ? 'SESSION_EXPIRED' : 'TOTP_INVALID');
    }
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      await repo.revokeSessionById(trx, actor.sessionId, 'second_factor_passed', now);
      const issued = await this.deps.identity.createSession(trx, actor.userId, 'staff', 'active', false, meta);
      await auditBy(trx, actor, meta, 'auth.totp_verified', { subjectId: actor.userId }, now);
      return issued;
    });
  }
}

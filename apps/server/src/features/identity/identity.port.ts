import crypto from 'node:crypto';
import { AGE_BANDS } from '@anxin/contracts';
import { describeUserAgent } from '@anxin/domain';
import type { Queryable } from '../../db/database.js';
import type { FieldRef, KeyStore } from '../../crypto/key-store.js';
import { AppError } from '../../platform/errors.js';
import { RETENTION } from '../../privacy/inventory/purposes.js';
import type { ErasureStep, PersonalDataPort, Subject, SubjectExport } from '../../privacy/subject-data/ports.js';
import * as repo from './identity.repo.js';

const OWNER = 'features/identity/identity.repo.ts';

/** The personal columns of identity's tables (privacy/inventory/inventory.ts), all answered for here. */
const COLUMNS = {
  users: ['phone_bidx', 'phone_enc', 'display_name_enc', 'age_band_enc', 'sex_enc', 'locale', 'totp_secret_enc'],
  sessions: ['user_id', 'user_agent_enc', 'ip_enc'],
  otp_challenges: ['phone_bidx', 'ip_bidx'],
  staff_roles: ['user_id', 'granted_by'],
  staff_enrolments: ['user_id', 'pending_secret_enc'],
} as const;

const CORRECTABLE = ['displayName', 'locale', 'ageBand', 'sex'] as const;
type Correctable = (typeof CORRECTABLE)[number];

const LOCALES = ['zh-CN', 'en'] as const;
const SEXES = ['female', 'male'] as const;
/** The same limit as UpdateMeBody.displayName (contracts/auth.ts). */
const DISPLAY_NAME_MAX = 40;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Identity's personal-data port: the account (users), its sign-in sessions, sign-in code challenges, staff roles
 * and staff enrolment links. Everything encrypted here is under the person's own key (subject id = user id).
 */
export function createIdentityPort(deps: { keys: KeyStore }): PersonalDataPort {
  const { keys } = deps;

  /** Decrypts a column; null when empty, or when the person's key is already destroyed (erased earlier). */
  const text = (db: Queryable, userId: string, ref: FieldRef, blob: Buffer | null) =>
    keys.decryptTextIfKept(db, userId, ref, blob);

  async function exportSubject(db: Queryable, { userId }: Subject): Promise<SubjectExport> {
    const user = await repo.findUserById(db, userId);
    if (!user) return { data: {}, files: [] };
    const userField = (column: string): FieldRef => ({ table: 'users', column, rowId: userId });
    const [sessions, challenges, rolesHeld, rolesGranted, enrolments] = await Promise.all([
      repo.listAllSessionsOfUser(db, userId),
      repo.listChallengesForPhone(db, user.app, user.phone_bidx),
      repo.listRolesHeld(db, userId),
      repo.listRolesGrantedBy(db, userId),
      repo.listEnrolmentsOfUser(db, userId),
    ]);
    const account = {
      id: user.id,
      app: user.app,
      status: user.status,
      createdAt: iso(user.created_at),
      phone: await text(db, userId, userField('phone_enc'), user.phone_enc),
      displayName: await text(db, userId, userField('display_name_enc'), user.display_name_enc),
      // What a patient chose to share with the doctors they consult (null: not shared).
      ageBand: await text(db, userId, userField('age_band_enc'), user.age_band_enc),
      sex: await text(db, userId, userField('sex_enc'), user.sex_enc),
      locale: user.locale,
      // The authenticator secret is a credential: its existence is exported, never the secret itself.
      authenticator: user.totp_secret_enc
        ? {
            enrolled: true,
            enrolledAt: iso(user.totp_enrolled_at),
            note: 'An authenticator secret is stored, encrypted; it is a sign-in credential and is not exported.',
          }
        : { enrolled: false },
    };
    const sessionRows = await Promise.all(
      sessions.map(async (s) => {
        const ref = (column: string): FieldRef => ({ table: 'sessions', column, rowId: s.id });
        const userAgent = await text(db, userId, ref('user_agent_enc'), s.user_agent_enc);
        return {
          id: s.id,
          stage: s.stage,
          keepSignedIn: s.keep_signed_in,
          createdAt: iso(s.created_at),
          lastSeenAt: iso(s.last_seen_at),
          absoluteExpiresAt: iso(s.absolute_expires_at),
          revokedAt: iso(s.revoked_at),
          revokeReason: s.revoke_reason,
          ipAddress: await text(db, userId, ref('ip_enc'), s.ip_enc),
          userAgent,
          device: userAgent === null ? null : describeUserAgent(userAgent),
        };
      }),
    );
    return {
      data: {
        account,
        sessions: sessionRows,
        // Matched by the account's app and phone blind index. The phone and network address are stored only as keyed
        // hashes (blind indexes) that cannot be turned back into the number or the address, so none is shown.
        signInCodes: challenges.map((c) => ({
          createdAt: iso(c.created_at),
          expiresAt: iso(c.expires_at),
          usedAt: iso(c.consumed_at),
          wrongAttempts: c.wrong_attempts,
        })),
        // Who granted a role is another staff member: only whether it was one (or the system) is shown.
        staffRoles: rolesHeld.map((r) => ({
          role: r.role,
          grantedAt: iso(r.granted_at),
          grantedBy: r.granted_by === null ? 'system' : r.granted_by === userId ? 'you' : 'another staff member',
        })),
        // Roles this person granted: what and when, not to whom (that is the other staff member's data).
        rolesYouGranted: rolesGranted.map((r) => ({ role: r.role, grantedAt: iso(r.granted_at) })),
        staffEnrolments: enrolments.map((e) => ({
          id: e.id,
          createdAt: iso(e.created_at),
          expiresAt: iso(e.expires_at),
          usedAt: iso(e.used_at),
          // A pending authenticator secret is a credential: whether there is one, never the secret.
          pendingAuthenticatorSecret: e.pending_secret_enc !== null,
        })),
      },
      files: [],
    };
  }

  async function erase(db: Queryable, { userId }: Subject): Promise<ErasureStep[]> {
    const user = await repo.findUserById(db, userId);
    // Challenges are matched by the phone blind index, so they go before the index is replaced.
    const challenges = user ? await repo.deleteChallengesForPhone(db, user.app, user.phone_bidx) : 0;
    const sessions = await repo.deleteSessionsOfUser(db, userId);
    const enrolments = await repo.deleteEnrolmentsOfUser(db, userId);
    const roles = await repo.deleteRolesOfUser(db, userId);
    // Other staff members keep the roles this person granted them; only the link to the granter is cut.
    const grants = await repo.clearGrantedBy(db, userId);
    const users = await repo.eraseUser(db, userId, crypto.randomBytes(32));
    // Crypto-shredding: the phone ciphertext that must stay in the tombstone row (NOT NULL), and every other copy of
    // anything under the person's key (backups included), becomes unreadable. Done in both modes: the account ends.
    await keys.destroy(db, userId, 'subject_erasure');
    return [
      {
        table: 'users',
        action: 'anonymised',
        rows: users,
        basis:
          'The account row stays as a cancelled tombstone under its random id, because consultation records ' +
          `(retention "${RETENTION.medical_record.en}") and consent records refer to it. Its optional personal ` +
          "columns are cleared, the phone's blind index is replaced by random bytes and the phone's ciphertext can " +
          "no longer be decrypted (the person's key is destroyed).",
      },
      { table: 'sessions', action: 'deleted', rows: sessions },
      { table: 'otp_challenges', action: 'deleted', rows: challenges },
      { table: 'staff_enrolments', action: 'deleted', rows: enrolments },
      { table: 'staff_roles', action: 'deleted', rows: roles },
      { table: 'staff_roles', action: 'anonymised', rows: grants },
    ];
  }

  async function correct(db: Queryable, { userId }: Subject, field: string, value: string): Promise<void> {
    if (!(CORRECTABLE as readonly string[]).includes(field)) throw new AppError('VALIDATION_FAILED', { field });
    const user = await repo.findUserById(db, userId);
    if (!user || user.status !== 'active') throw new AppError('NOT_FOUND');
    const seal = (column: 'display_name_enc' | 'age_band_enc' | 'sex_enc', plain: string) =>
      keys.encrypt(db, userId, { table: 'users', column, rowId: userId }, plain);
    switch (field as Correctable) {
      case 'displayName': {
        // As updateMe stores it: trimmed, 1 to 40 characters.
        const name = value.trim();
        if (name.length < 1 || value.length > DISPLAY_NAME_MAX)
          throw new AppError('VALIDATION_FAILED', { field, detail: `1 to ${DISPLAY_NAME_MAX} characters` });
        await repo.updateUser(db, userId, { display_name_enc: await seal('display_name_enc', name) });
        return;
      }
      case 'locale': {
        const locale = LOCALES.find((l) => l === value);
        if (!locale) throw new AppError('VALIDATION_FAILED', { field, detail: LOCALES.join(' | ') });
        await repo.updateUser(db, userId, { locale });
        return;
      }
      case 'ageBand':
      case 'sex': {
        // As updateMe: only a patient has an age band or sex (shared with their doctors); '' stops sharing it.
        if (user.app !== 'patient') throw new AppError('FORBIDDEN');
        const allowed: readonly string[] = field === 'ageBand' ? AGE_BANDS : SEXES;
        if (value !== '' && !allowed.includes(value))
          throw new AppError('VALIDATION_FAILED', { field, detail: allowed.join(' | ') });
        const column = field === 'ageBand' ? 'age_band_enc' : 'sex_enc';
        await repo.updateUser(db, userId, { [column]: value === '' ? null : await seal(column, value) });
        return;
      }
    }
  }

  return {
    describe: () => ({ owner: OWNER, columns: COLUMNS }),
    export: exportSubject,
    erase: (db, subject) => erase(db, subject),
    correctable: CORRECTABLE,
    correct,
  };
}

import type { Queryable } from '../../db/database.js';
import type { FieldRef, KeyStore } from '../../crypto/key-store.js';
import { RETENTION } from '../inventory/purposes.js';
import type { ErasureStep, PersonalDataPort, Subject, SubjectExport } from '../subject-data/ports.js';
import * as repo from './policy.repo.js';

const OWNER = 'privacy/policy/policy.repo.ts';

/** The personal columns of the policy tables (privacy/inventory/inventory.ts), all answered for here. */
const COLUMNS = {
  consents: ['user_id', 'accepted_at', 'ip_enc', 'user_agent_enc'],
  policy_versions: ['published_by'],
} as const;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * The policy's personal-data port: the person's consent records (policy and sensitive-information consents, with
 * the network address and browser they were given from) and the policy versions a staff member published.
 * Nothing here is correctable: a consent record is proof of what was agreed, and the policy text is public history.
 */
export function createPolicyPort(deps: { keys: KeyStore }): PersonalDataPort {
  const { keys } = deps;

  /** Decrypts a column; null when empty, or when the person's key is already destroyed (erased earlier). */
  const text = (db: Queryable, userId: string, ref: FieldRef, blob: Buffer | null) =>
    keys.decryptTextIfKept(db, userId, ref, blob);

  async function exportSubject(db: Queryable, { userId }: Subject): Promise<SubjectExport> {
    const [consents, published] = await Promise.all([
      repo.listConsentRecords(db, userId),
      repo.listVersionsPublishedBy(db, userId),
    ]);
    return {
      data: {
        consents: await Promise.all(
          consents.map(async (c) => {
            const ref = (column: string): FieldRef => ({ table: 'consents', column, rowId: c.id });
            return {
              id: c.id,
              kind: c.kind,
              purpose: c.purpose,
              version: c.version,
              locale: c.locale,
              textSha256: c.text_sha256,
              acceptedAt: iso(c.accepted_at),
              withdrawnAt: iso(c.withdrawn_at),
              ipAddress: await text(db, userId, ref('ip_enc'), c.ip_enc),
              userAgent: await text(db, userId, ref('user_agent_enc'), c.user_agent_enc),
            };
          }),
        ),
        // The texts themselves are public (/api/policy); only which versions this person published is theirs.
        policyVersionsPublished: published.map((p) => ({
          version: p.version,
          publishedAt: iso(p.published_at),
          effectiveAt: iso(p.effective_at),
        })),
      },
      files: [],
    };
  }

  async function erase(db: Queryable, { userId }: Subject): Promise<ErasureStep[]> {
    // Same in both modes: the records are proof for the operator, tied to nothing but the account's random id.
    const consents = await repo.clearConsentDevices(db, userId);
    const published = await repo.clearPublishedBy(db, userId);
    return [
      {
        table: 'consents',
        action: 'kept',
        rows: consents,
        basis:
          'Proof that processing rested on consent (PIPL art. 13-14; legal obligation), retention ' +
          `"${RETENTION.consent_account_plus_3y.en}": what was agreed (kind, purpose, text version and hash, ` +
          'language), when, and when it was withdrawn, under the random account id only. The network address and ' +
          'browser recorded with each consent were removed.',
      },
      {
        table: 'policy_versions',
        action: 'anonymised',
        rows: published,
        basis:
          `The published versions stay public history (retention "${RETENTION.policy_forever.en}"); only the ` +
          'link to the person who published them is cut.',
      },
    ];
  }

  return {
    describe: () => ({ owner: OWNER, columns: COLUMNS }),
    export: exportSubject,
    erase: (db, subject) => erase(db, subject),
  };
}

import type { Queryable } from '../db/database.js';
import type {
  ErasureMode,
  ErasureStep,
  PersonalDataPort,
  Subject,
  SubjectExport,
} from '../privacy/subject-data/ports.js';
import type { KeyStore } from './key-store.js';
import * as repo from './key-store.repo.js';

const iso = (t: Date | string) => new Date(t).toISOString();

/** Why the tombstone is written: read back by restores and the export, so a person can see how keys ended. */
const REASON: Record<ErasureMode, string> = { delete: 'subject_erasure', anonymise: 'subject_anonymisation' };

/**
 * The person's data keys (SEC-2, crypto-shredding). The person's subject id is their user id: every column a
 * feature encrypts "under the person's key" uses it. Consultations have their own subjects (the consultation id)
 * for the medical record that must outlive the account; those keys are not the person's and are never touched
 * here.
 *
 * Export says which keys exist (version, when made, which key-encryption key wraps it) and, once destroyed, when
 * and why; never the key material: a data key would open every encrypted field of the person to whoever holds the
 * export file, and the wrapped form is useless outside this server.
 *
 * Erasure destroys every key of the person through KeyStore.destroy and leaves a tombstone, in either mode:
 * anonymising cuts every link to the person, and a key that still opens their fields is one. From then on every
 * column sealed under it (in live rows, replicas and backups) is ciphertext without a key, and a restore of an
 * older backup destroys the key again from the tombstone. That includes columns another port keeps under a legal
 * basis while they are sealed under the person's key (consents.ip_enc and user_agent_enc, proof of consent):
 * their owner must re-seal them under another subject before this port runs if they are to stay readable.
 * Register this port last: other ports may still decrypt or re-seal the person's fields while they erase.
 * Nothing to correct: keys are made by the server.
 */
export function createKeyStorePort(deps: { keys: KeyStore }): PersonalDataPort {
  return {
    describe: () => ({ owner: 'crypto/key-store.repo.ts', columns: { subject_keys: ['wrapped_key'] } }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const versions = await repo.keyVersions(db, subject.userId);
      const tombstone = await repo.findTombstone(db, subject.userId);
      return {
        data: {
          dataKeys: versions.map((k) => ({
            version: k.version,
            createdAt: iso(k.created_at),
            wrappedByKeyEncryptionKeyVersion: k.kek_version,
            keyMaterial: 'not exported: it would open every field encrypted under it',
          })),
          destroyed: tombstone ? { at: iso(tombstone.destroyed_at), reason: tombstone.reason } : null,
        },
        files: [],
      };
    },

    async erase(db: Queryable, subject: Subject, mode: ErasureMode): Promise<ErasureStep[]> {
      const versions = await repo.keyVersions(db, subject.userId);
      await deps.keys.destroy(db, subject.userId, REASON[mode]);
      return [
        { table: 'subject_keys', action: 'deleted', rows: versions.length },
        {
          table: 'key_tombstones',
          action: 'kept',
          rows: 1,
          basis:
            'Crypto-shredding ledger: the subject id, time and reason only (no other personal data), kept with no ' +
            'end date so that restoring any backup made before the erasure destroys the key again',
        },
      ];
    },
  };
}

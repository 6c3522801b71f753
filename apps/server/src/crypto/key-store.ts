import crypto from 'node:crypto';
import { AppError } from '../platform/errors.js';
import type { Queryable } from '../db/database.js';
import { open, seal } from './aead.js';
import * as repo from './key-store.repo.js';

const FORMAT_V1 = 0x01;

/** Binds a ciphertext to where it lives, so a value copied into another row or column fails to decrypt. */
export interface FieldRef {
  table: string;
  column: string;
  rowId: string;
}

function fieldAad(ref: FieldRef): string {
  return `anxin:field:v1:${ref.table}.${ref.column}:${ref.rowId}`;
}

function wrapAad(subjectId: string, version: number): string {
  return `anxin:datakey:v1:${subjectId}:${version}`;
}

/** A row of subject_keys as a caller read it in its own statement (to spare the key lookup's round trip). */
export interface WrappedKey {
  version: number;
  wrapped_key: Buffer;
}

/** How many unwrapped data keys stay in memory (about 100 bytes each). */
const UNWRAPPED_CACHE_SIZE = 10_000;

/**
 * Envelope encryption with one data key per data subject (a person, or later a consultation).
 * Ciphertext = 0x01 | key version (uint32 BE) | AES-256-GCM(iv | tag | body), AAD = table.column:rowId.
 * Destroying a subject's keys (crypto-shredding) makes every copy of their data unreadable: live rows,
 * replicas and database backups alike, because the backups hold only ciphertext and wrapped keys that are gone.
 */
export class KeyStore {
  /**
   * Unwrapped data keys by subject and version, each with the wrapped bytes it came from. A hit still needs those
   * wrapped bytes, freshly read from subject_keys by the caller: the cache saves the unwrapping, never the check
   * that the key still exists, so crypto-shredding takes effect at once in every process.
   */
  private readonly unwrapped = new Map<string, { wrapped: Buffer; key: Buffer }>();

  constructor(private readonly kek: Buffer) {}

  private unwrap(subjectId: string, version: number, wrapped: Buffer): Buffer {
    const id = `${subjectId}:${version}`;
    const hit = this.unwrapped.get(id);
    if (hit && hit.wrapped.equals(wrapped)) return hit.key;
    const key = open(this.kek, wrapped, wrapAad(subjectId, version));
    if (this.unwrapped.size >= UNWRAPPED_CACHE_SIZE) this.unwrapped.delete(this.unwrapped.keys().next().value!);
    this.unwrapped.set(id, { wrapped: Buffer.from(wrapped), key });
    return key;
  }

  private sealField(version: number, key: Buffer, ref: FieldRef, plaintext: string | Buffer): Buffer {
    const header = Buffer.alloc(5);
    header.writeUInt8(FORMAT_V1, 0);
    header.writeUInt32BE(version, 1);
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    return Buffer.concat([header, seal(key, data, fieldAad(ref))]);
  }

  /** The key version a ciphertext was sealed with. */
  static versionOf(blob: Buffer): number {
    if (blob.readUInt8(0) !== FORMAT_V1) throw new Error('unknown ciphertext format');
    return blob.readUInt32BE(1);
  }

  /**
   * Encrypt with the subject's current key as the caller just read it (`current`, the highest version, in the same
   * transaction). No query: for hot paths that fetch the key together with rows they need anyway.
   */
  encryptWith(subjectId: string, current: WrappedKey, ref: FieldRef, plaintext: string | Buffer): Buffer {
    return this.sealField(
      current.version,
      this.unwrap(subjectId, current.version, current.wrapped_key),
      ref,
      plaintext,
    );
  }

  /** Decrypt with the subject's keys as the caller just read them; a missing version means the data was erased. */
  decryptWith(subjectId: string, keys: WrappedKey[], ref: FieldRef, blob: Buffer): Buffer {
    const version = KeyStore.versionOf(blob);
    const row = keys.find((k) => k.version === version);
    if (!row) throw new AppError('DATA_ERASED');
    return open(this.unwrap(subjectId, version, row.wrapped_key), blob.subarray(5), fieldAad(ref));
  }

  /** The subject's current data key, creating version 1 on first use (inside the caller's transaction). */
  async currentKey(db: Queryable, subjectId: string): Promise<{ version: number; key: Buffer }> {
    const row = await repo.findCurrentKey(db, subjectId);
    if (row) return { version: row.version, key: this.unwrap(subjectId, row.version, row.wrapped_key) };
    if (await repo.hasTombstone(db, subjectId)) throw new AppError('DATA_ERASED');
    const key = crypto.randomBytes(32);
    const inserted = await repo.insertFirstKey(db, subjectId, seal(this.kek, key, wrapAad(subjectId, 1)));
    // Someone else created it concurrently: use theirs.
    return inserted ? { version: 1, key } : this.currentKey(db, subjectId);
  }

  async encrypt(db: Queryable, subjectId: string, ref: FieldRef, plaintext: string | Buffer): Promise<Buffer> {
    const { version, key } = await this.currentKey(db, subjectId);
    return this.sealField(version, key, ref, plaintext);
  }

  async decrypt(db: Queryable, subjectId: string, ref: FieldRef, blob: Buffer): Promise<Buffer> {
    if (blob.readUInt8(0) !== FORMAT_V1) throw new Error('unknown ciphertext format');
    const version = blob.readUInt32BE(1);
    const row = await repo.findWrappedKey(db, subjectId, version);
    if (!row) throw new AppError('DATA_ERASED');
    return open(this.unwrap(subjectId, version, row.wrapped_key), blob.subarray(5), fieldAad(ref));
  }

  async decryptText(db: Queryable, subjectId: string, ref: FieldRef, blob: Buffer): Promise<string> {
    return (await this.decrypt(db, subjectId, ref, blob)).toString('utf8');
  }

  /** For exports: the text, or null when there is none or the subject's key is destroyed (nothing readable left). */
  async decryptTextIfKept(
    db: Queryable,
    subjectId: string,
    ref: FieldRef,
    blob: Buffer | null,
  ): Promise<string | null> {
    if (!blob) return null;
    try {
      return await this.decryptText(db, subjectId, ref, blob);
    } catch (err) {
      if (err instanceof AppError && err.code === 'DATA_ERASED') return null;
      throw err;
    }
  }

  /** Subjects erased (keys destroyed for `reason`) before the cutoff: the retention job's input. */
  destroyedBefore(db: Queryable, reason: string, cutoff: Date, limit = 1000): Promise<string[]> {
    return repo.destroyedBefore(db, reason, cutoff, limit);
  }

  /** Crypto-shredding: remove every key of the subject and remember that we did (re-applied after restores). */
  async destroy(db: Queryable, subjectId: string, reason: string): Promise<void> {
    for (const id of [...this.unwrapped.keys()]) if (id.startsWith(`${subjectId}:`)) this.unwrapped.delete(id);
    await repo.destroyKeys(db, subjectId, reason);
  }
}

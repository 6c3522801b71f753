import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seal } from './aead.js';
import { KeyStore } from './key-store.js';

/** A subject_keys row as the database holds it: the data key wrapped under the KEK, bound to subject and version. */
const wrapped = (kek: Buffer, subjectId: string, version: number, key = crypto.randomBytes(32)) => ({
  version,
  wrapped_key: seal(kek, key, `anxin:datakey:v1:${subjectId}:${version}`),
});

describe('KeyStore with keys read by the caller (the message hot path)', () => {
  const kek = crypto.randomBytes(32);
  const store = new KeyStore(kek);
  const subject = crypto.randomUUID();
  const ref = { table: 'messages', column: 'body_enc', rowId: `${subject}:1` };

  it('SEC-1: encryptWith/decryptWith round-trip, and the ciphertext names the key version', () => {
    const v2 = wrapped(kek, subject, 2);
    const blob = store.encryptWith(subject, v2, ref, '医生，我今晚还是睡不着');
    expect(KeyStore.versionOf(blob)).toBe(2);
    expect(blob.includes(Buffer.from('睡不着'))).toBe(false);
    expect(store.decryptWith(subject, [wrapped(kek, subject, 1), v2], ref, blob).toString('utf8')).toBe(
      '医生，我今晚还是睡不着',
    );
    // Bound to where it lives: another row's ciphertext does not open here.
    expect(() => store.decryptWith(subject, [v2], { ...ref, rowId: `${subject}:2` }, blob)).toThrow();
  });

  it('RIG-3: without the key version in the rows the caller read (destroyed keys), the data is reported erased, cache or not', () => {
    const v1 = wrapped(kek, subject, 1);
    const blob = store.encryptWith(subject, v1, ref, 'x');
    expect(store.decryptWith(subject, [v1], ref, blob).toString()).toBe('x');
    expect(() => store.decryptWith(subject, [], ref, blob)).toThrow(expect.objectContaining({ code: 'DATA_ERASED' }));
  });

  it('SEC-1: the unwrapped-key cache is keyed by the wrapped bytes too: a different or forged wrapped key is never answered from it', () => {
    const other = crypto.randomUUID();
    const v1 = wrapped(kek, other, 1);
    const blob = store.encryptWith(other, v1, { ...ref, rowId: `${other}:1` }, 'secret');
    // Same subject and version, other key material (e.g. a restored backup after re-keying): no stale hit.
    const replaced = wrapped(kek, other, 1);
    expect(() => store.decryptWith(other, [replaced], { ...ref, rowId: `${other}:1` }, blob)).toThrow();
    // A wrapped key sealed under another KEK does not unwrap at all.
    const foreign = wrapped(crypto.randomBytes(32), other, 1);
    expect(() => store.encryptWith(other, foreign, ref, 'y')).toThrow();
  });
});

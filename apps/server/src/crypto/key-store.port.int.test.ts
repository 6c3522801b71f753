import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../test/harness.js';
import { personalColumns } from '../privacy/inventory/inventory.js';
import { TABLE_OWNERS } from '../privacy/inventory/owners.js';
import { KeyStore, type FieldRef } from './key-store.js';
import { createKeyStorePort } from './key-store.port.js';
import { deriveKeys } from './master-key.js';

let t: TestApp;
let port: ReturnType<typeof createKeyStorePort>;
beforeAll(async () => {
  t = await createTestApp();
  port = createKeyStorePort({ keys: t.app.services.keys });
});
afterAll(async () => t.close());

const canaryRef = (userId: string): FieldRef => ({ table: 'canary', column: 'canary_enc', rowId: userId });
const phoneRef = (userId: string): FieldRef => ({ table: 'users', column: 'phone_enc', rowId: userId });

/** A signed-up person (their phone is sealed under their key at sign-up) with a canary sealed under it too. */
async function personWithCanary(label: string) {
  const user = await signIn(t, 'patient');
  const id = user.me.id as string;
  const canary = `CANARY-KEY-${label}-${id}`;
  const sealed = await t.app.services.keys.encrypt(t.db, id, canaryRef(id), canary);
  const [row] = await t.db.selectFrom('users').select('phone_enc').where('id', '=', id).execute();
  return { ...user, id, canary, sealed, phoneEnc: row!.phone_enc };
}

const keysOf = (subjectId: string) =>
  t.db.selectFrom('subject_keys').selectAll().where('subject_id', '=', subjectId).execute();

describe('key store personal-data port', () => {
  it('SEC-2: the key store port answers for exactly the personal columns of its tables, as their owner', () => {
    const { owner, columns } = port.describe();
    expect(owner).toBe(TABLE_OWNERS.subject_keys);
    expect(owner).toBe(TABLE_OWNERS.key_tombstones);
    const personal = personalColumns().filter((c) => c.table === 'subject_keys' || c.table === 'key_tombstones');
    expect(personal.map((c) => `${c.table}.${c.column}`)).toEqual(['subject_keys.wrapped_key']);
    expect(columns).toEqual({ subject_keys: ['wrapped_key'] });
    expect(port.correct).toBeUndefined();
  });

  it('SEC-2: export names the keys without their material; erase shreds them, so the canary no longer decrypts', async () => {
    const a = await personWithCanary('A');
    const b = await personWithCanary('B');
    const keys = t.app.services.keys;
    expect(await keys.decryptText(t.db, a.id, canaryRef(a.id), a.sealed)).toBe(a.canary);
    const aKeys = await keysOf(a.id);
    expect(aKeys).toHaveLength(1);

    const exported = await port.export(t.db, { userId: a.id });
    expect(exported.files).toEqual([]);
    expect(exported.data).toMatchObject({
      dataKeys: [
        { version: 1, createdAt: new Date(aKeys[0]!.created_at).toISOString(), wrappedByKeyEncryptionKeyVersion: 1 },
      ],
      destroyed: null,
    });
    // Never the key material, wrapped or not, of the person or of anyone else.
    const text = JSON.stringify(exported.data);
    for (const k of [...aKeys, ...(await keysOf(b.id))]) {
      expect(text).not.toContain(k.wrapped_key.toString('hex'));
      expect(text).not.toContain(k.wrapped_key.toString('base64'));
    }
    expect(text).not.toContain(b.id);

    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.id }, 'delete'));
    expect(steps).toEqual([
      { table: 'subject_keys', action: 'deleted', rows: 1 },
      { table: 'key_tombstones', action: 'kept', rows: 1, basis: expect.stringMatching(/backup/) },
    ]);

    // Raw rows: the key is gone and a tombstone says so; everything sealed under it stays ciphertext for good,
    // in this process (whose cache was cleared) and in a fresh one with the same master key alike.
    expect(await keysOf(a.id)).toEqual([]);
    const tombstones = await t.db.selectFrom('key_tombstones').selectAll().where('subject_id', '=', a.id).execute();
    expect(tombstones).toMatchObject([{ subject_id: a.id, reason: 'subject_erasure' }]);
    const fresh = new KeyStore(deriveKeys(t.masterKey).kek);
    for (const store of [keys, fresh]) {
      await expect(store.decryptText(t.db, a.id, canaryRef(a.id), a.sealed)).rejects.toMatchObject({
        code: 'DATA_ERASED',
      });
      await expect(store.decryptText(t.db, a.id, phoneRef(a.id), a.phoneEnc)).rejects.toMatchObject({
        code: 'DATA_ERASED',
      });
    }
    // No new key can be made for the person either: nothing is ever sealed under them again.
    await expect(keys.encrypt(t.db, a.id, canaryRef(a.id), 'again')).rejects.toMatchObject({ code: 'DATA_ERASED' });
    expect(await port.export(t.db, { userId: a.id })).toMatchObject({
      data: { dataKeys: [], destroyed: { reason: 'subject_erasure' } },
    });

    // A backup taken before the erasure brings the key back; the tombstone destroys it again, as restore does.
    await t.db.insertInto('subject_keys').values(aKeys).execute();
    expect(await fresh.decryptText(t.db, a.id, canaryRef(a.id), a.sealed)).toBe(a.canary);
    for (const { subject_id } of await t.db.selectFrom('key_tombstones').select('subject_id').execute())
      await fresh.destroy(t.db, subject_id, 'reapplied_after_restore');
    await expect(fresh.decryptText(t.db, a.id, canaryRef(a.id), a.sealed)).rejects.toMatchObject({
      code: 'DATA_ERASED',
    });

    // The second person's key and data are untouched.
    expect(await keysOf(b.id)).toHaveLength(1);
    expect(await keys.decryptText(t.db, b.id, canaryRef(b.id), b.sealed)).toBe(b.canary);
    expect(await fresh.decryptText(t.db, b.id, phoneRef(b.id), b.phoneEnc)).toBe(b.phone);
  });

  it("SEC-2: anonymising shreds the key too, and leaves a consultation's own key alone", async () => {
    const a = await personWithCanary('C');
    const keys = t.app.services.keys;
    // A consultation is its own subject (its medical record outlives the account): not the person's key.
    const consultationId = crypto.randomUUID();
    const record = await keys.encrypt(t.db, consultationId, canaryRef(consultationId), 'record');
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.id }, 'anonymise'));
    expect(steps[0]).toEqual({ table: 'subject_keys', action: 'deleted', rows: 1 });
    await expect(keys.decryptText(t.db, a.id, canaryRef(a.id), a.sealed)).rejects.toMatchObject({
      code: 'DATA_ERASED',
    });
    expect(await keys.decryptText(t.db, consultationId, canaryRef(consultationId), record)).toBe('record');
    const again = await port.erase(t.db, { userId: a.id }, 'delete');
    expect(again[0]).toEqual({ table: 'subject_keys', action: 'deleted', rows: 0 });
    const [tomb] = await t.db.selectFrom('key_tombstones').selectAll().where('subject_id', '=', a.id).execute();
    // The first erasure's reason stays.
    expect(tomb!.reason).toBe('subject_anonymisation');
  });
});

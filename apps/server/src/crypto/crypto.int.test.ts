import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, signIn, type TestApp } from '../../test/harness.js';
import { findPgTool, serverMajor } from '../db/pg-tools.js';
import { giveOnboardingConsent, photoWithGps, uploadPhoto } from '../../test/onboarding-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function pgDump(): Promise<string> {
  const bin = findPgTool('pg_dump', await serverMajor(t.db));
  const out = spawnSync(bin, ['--data-only', '--inserts', `--dbname=${t.dbUrl}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout;
}

describe('encryption at rest', () => {
  it('SEC-1: a pg_dump of the database contains no plaintext phone number of a signed-up user', async () => {
    const people = [await signIn(t, 'doctor', '13511112222'), await signIn(t, 'patient', '18633334444')];
    const dump = await pgDump();
    expect(dump).toContain('INSERT INTO public.users');
    for (const p of people) {
      expect(dump).not.toContain(p.phone);
      expect(dump).not.toContain(Buffer.from(p.phone).toString('hex'));
      expect(dump).not.toContain(Buffer.from(p.phone).toString('base64'));
    }
  });

  it('SEC-1: each person has their own data key, wrapped (never stored in clear)', async () => {
    const a = await signIn(t);
    const b = await signIn(t);
    const keys = await t.db
      .selectFrom('subject_keys')
      .selectAll()
      .where('subject_id', 'in', [a.me.id, b.me.id])
      .execute();
    expect(keys).toHaveLength(2);
    expect(keys[0]!.wrapped_key.equals(keys[1]!.wrapped_key)).toBe(false);
    // 12-byte IV + 16-byte tag + 32-byte key: a wrapped key, not a bare one.
    expect(keys[0]!.wrapped_key.length).toBe(60);
  });

  it('SEC-1: a ciphertext copied into another person’s row does not decrypt (AAD binds table, column and row)', async () => {
    const a = await signIn(t);
    const b = await signIn(t);
    const rowA = await t.db.selectFrom('users').select('phone_enc').where('id', '=', a.me.id).executeTakeFirstOrThrow();
    await expect(
      t.app.services.keys.decrypt(
        t.db,
        b.me.id,
        { table: 'users', column: 'phone_enc', rowId: b.me.id },
        rowA.phone_enc,
      ),
    ).rejects.toThrow();
    await expect(
      t.app.services.keys.decrypt(
        t.db,
        a.me.id,
        { table: 'users', column: 'display_name_enc', rowId: a.me.id },
        rowA.phone_enc,
      ),
    ).rejects.toThrow();
    const ok = await t.app.services.keys.decryptText(
      t.db,
      a.me.id,
      { table: 'users', column: 'phone_enc', rowId: a.me.id },
      rowA.phone_enc,
    );
    expect(ok).toBe(a.phone);
  });

  it('SEC-1: destroying a person’s key (crypto-shredding) makes their data unreadable, and only theirs', async () => {
    const gone = await signIn(t);
    const kept = await signIn(t);
    await t.app.services.keys.destroy(t.db, gone.me.id, 'test');
    const res = await get(t, '/api/me', gone.cookie);
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('DATA_ERASED');
    expect((await get(t, '/api/me', kept.cookie)).statusCode).toBe(200);
    // Nothing can bring a new key into being for a shredded subject.
    await expect(
      t.app.services.keys.encrypt(
        t.db,
        gone.me.id,
        { table: 'users', column: 'display_name_enc', rowId: gone.me.id },
        'x',
      ),
    ).rejects.toThrow();
  });
});

describe('backup and restore', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-backup-test-'));
  // The embedded server runs as the postgres user when we are root; it must be able to reach the folder.
  fs.chmodSync(root, 0o755);
  const repoRoot = new URL('../../../../', import.meta.url).pathname;
  const cli = (script: string, args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', `apps/server/src/cli/${script}`, ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
    });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('SEC-1: npm run backup / restore bring every account back on a fresh data folder, and a destroyed key stays destroyed', async () => {
    // Source: the database of this test file, used as an "external" server for the backup.
    const alice = await signIn(t, 'doctor', '13700001111');
    const bob = await signIn(t, 'doctor', '13700002222');
    // Alice has a photo: encrypted files in the blob store must travel with the backup.
    await giveOnboardingConsent(t, alice.cookie);
    expect((await uploadPhoto(t, alice.cookie, 'id_front', await photoWithGps())).statusCode).toBe(200);
    const dataA = t.config.dataDir;
    const first = cli('backup.ts', ['--out', path.join(root, 'backups')], {
      DATABASE_URL: t.dbUrl,
      ANXIN_DATA_DIR: dataA,
      ANXIN_MASTER_KEY: t.masterKey.toString('base64'),
    });
    expect(first.status, first.stderr).toBe(0);
    const firstDir = /Backup written to (.*)/.exec(first.stdout)![1]!.trim();
    expect(fs.statSync(path.join(firstDir, 'master.key')).mode & 0o777).toBe(0o600);

    // Bob asks to be erased after the first backup; a second backup records his tombstone.
    await t.app.services.keys.destroy(t.db, bob.me.id, 'erasure_request');
    const second = cli('backup.ts', ['--out', path.join(root, 'backups')], {
      DATABASE_URL: t.dbUrl,
      ANXIN_DATA_DIR: dataA,
      ANXIN_MASTER_KEY: t.masterKey.toString('base64'),
    });
    expect(second.status, second.stderr).toBe(0);
    const secondDir = /Backup written to (.*)/.exec(second.stdout)![1]!.trim();

    // Restore the OLDER backup into a fresh embedded data folder, telling it about newer tombstones.
    const dataB = path.join(root, 'b');
    const restored = cli('restore.ts', [firstDir, '--tombstones-from', secondDir], { ANXIN_DATA_DIR: dataB });
    expect(restored.status, restored.stderr + restored.stdout).toBe(0);
    expect(restored.stdout).toMatch(/1 keys from the backup destroyed again/);

    const { openRuntime } = await import('../runtime.js');
    const { loadConfig } = await import('../config.js');
    const { KeyStore } = await import('./key-store.js');
    const { PhotoStore } = await import('../features/onboarding/photo.store.js');
    const { LocalBlobStore } = await import('../platform/blob-store.js');
    const { deriveKeys } = await import('./master-key.js');
    const runtime = await openRuntime(loadConfig({ ANXIN_DATA_DIR: dataB, NODE_ENV: 'test' }));
    try {
      const keys = new KeyStore(deriveKeys(runtime.masterKey).kek);
      const users = await runtime.db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', [alice.me.id, bob.me.id])
        .execute();
      expect(users).toHaveLength(2);
      const a = users.find((u) => u.id === alice.me.id)!;
      expect(
        await keys.decryptText(runtime.db, a.id, { table: 'users', column: 'phone_enc', rowId: a.id }, a.phone_enc),
      ).toBe('13700001111');
      const b = users.find((u) => u.id === bob.me.id)!;
      await expect(
        keys.decryptText(runtime.db, b.id, { table: 'users', column: 'phone_enc', rowId: b.id }, b.phone_enc),
      ).rejects.toThrow();
      // Alice's photo came back too, and still decrypts with her key.
      const app = await runtime.db
        .selectFrom('doctor_applications')
        .select('photo_id_front')
        .where('user_id', '=', a.id)
        .executeTakeFirstOrThrow();
      const photos = new PhotoStore(keys, new LocalBlobStore(path.join(dataB, 'blobs')));
      const photo = await photos.read(runtime.db, app.photo_id_front!, 'full');
      expect(photo.bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    } finally {
      await runtime.close();
    }
  }, 120_000);
});

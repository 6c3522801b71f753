import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, packagedPostgres, startEmbeddedPostgres } from './embedded.js';

/**
 * Run as root from a folder others cannot enter (a clone under /root, a 0700 temporary folder): PostgreSQL runs as
 * the "postgres" user, which cannot reach the binaries npm installed there.
 */
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('embedded-root.int.test.ts: skipped, only root starts PostgreSQL as another user');

// mkdtemp makes 0700 folders: a private root like /root.
const privateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-private-'));
const open = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-open-'));
fs.chmodSync(open, 0o755);

afterAll(() => {
  fs.rmSync(privateRoot, { recursive: true, force: true });
  fs.rmSync(open, { recursive: true, force: true });
});

async function query(connectionString: string, text: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(text)).rows[0];
  } finally {
    await client.end();
  }
}

describe.skipIf(!isRoot)('embedded PostgreSQL started by root from a private folder', () => {
  const packaged = packagedPostgres();
  // The clone's node_modules: PostgreSQL's files inside the 0700 folder.
  const installed = { dir: path.join(privateRoot, 'node_modules', 'native'), version: packaged.version };

  it('copies the binaries once into the data folder, checks the copy on each start, and runs PostgreSQL as "postgres"', async () => {
    fs.cpSync(packaged.dir, installed.dir, { recursive: true, verbatimSymlinks: true });
    // The situation of the report: as the postgres user the binaries cannot even be started.
    const { uid, gid } = {
      uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    };
    const direct = spawnSync(path.join(installed.dir, 'bin', 'postgres'), ['--version'], { uid, gid });
    expect((direct.error as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');

    const dataDir = path.join(open, 'data');
    const first = await startEmbeddedPostgres(dataDir, { postgres: installed });
    try {
      const row = await query(first.connectionString, "select current_user as who, current_setting('fsync') as fsync");
      expect(row).toEqual({ who: 'postgres', fsync: 'on' });
    } finally {
      await first.stop();
    }
    const runtime = path.join(dataDir, 'postgres-runtime');
    const manifest = JSON.parse(fs.readFileSync(path.join(runtime, 'manifest.json'), 'utf8')) as {
      version: string;
      files: Array<[string, number, string]>;
    };
    expect(manifest.version).toBe(packaged.version);
    expect(manifest.files.map(([rel]) => rel)).toEqual(expect.arrayContaining(['bin/postgres', 'bin/initdb']));
    expect(fs.statSync(runtime).mode & 0o777).toBe(0o755);
    const postgresPid = path.join(dataDir, 'postgres', 'postmaster.pid');
    expect(fs.existsSync(postgresPid)).toBe(false);

    // A second start reuses the copy as it is.
    const copied = fs.statSync(path.join(runtime, 'bin', 'postgres')).ino;
    const second = await startEmbeddedPostgres(dataDir, { postgres: installed });
    await second.stop();
    expect(fs.statSync(path.join(runtime, 'bin', 'postgres')).ino).toBe(copied);

    // A damaged copy (a file of another size) is replaced before PostgreSQL starts from it.
    fs.truncateSync(path.join(runtime, 'bin', 'initdb'), 10);
    const third = await startEmbeddedPostgres(dataDir, { postgres: installed });
    try {
      expect((await query(third.connectionString, 'select 1 as one')).one).toBe(1);
    } finally {
      await third.stop();
    }
    expect(fs.statSync(path.join(runtime, 'bin', 'initdb')).size).toBe(
      fs.statSync(path.join(packaged.dir, 'bin', 'initdb')).size,
    );
  }, 120_000);

  it('refuses a data folder inside the private folder with a message saying what to do', async () => {
    const dataDir = path.join(privateRoot, 'data');
    const refused = startEmbeddedPostgres(dataDir, { postgres: installed });
    await expect(refused).rejects.toThrow(EmbeddedPostgresError);
    await expect(refused).rejects.toThrow(new RegExp(`cannot enter ${privateRoot}.*ANXIN_DATA_DIR=/var/lib/anxin`));
    expect(fs.existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });
});

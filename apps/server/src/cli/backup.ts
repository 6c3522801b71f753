import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../config.js';
import { openToolRuntime } from '../runtime.js';
import { MASTER_KEY_FILE } from '../crypto/master-key.js';
import { PgToolMissingError, findPgTool, serverMajor } from '../db/pg-tools.js';
import { parseArgs } from './args.js';

/**
 * npm run backup [-- --out DIR]
 * Writes DIR/anxin-<time>/ with database.dump (pg_dump custom format: one consistent snapshot), blobs/ (the
 * encrypted photo files), master.key
 * (without it the dump is unreadable), key-tombstones.json and manifest.json with checksums. Backups older
 * than ANXIN_BACKUP_RETENTION_DAYS (default 30) in DIR are deleted, so erased people leave the backups too.
 */
function countFiles(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);
}

const { flags } = parseArgs(process.argv.slice(2));
const config = loadConfig();
const outRoot = path.resolve(typeof flags.out === 'string' ? flags.out : path.join(config.dataDir, '..', 'backups'));
const retentionDays = Number(process.env.ANXIN_BACKUP_RETENTION_DAYS ?? 30);
const runtime = await openToolRuntime(config);
try {
  const major = await serverMajor(runtime.db);
  const pgDump = findPgTool('pg_dump', major);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(outRoot, `anxin-${stamp}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dumpFile = path.join(dir, 'database.dump');
  const res = spawnSync(
    pgDump,
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${dumpFile}`, `--dbname=${runtime.connectionString}`],
    { encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`pg_dump failed: ${res.stderr}`);
  fs.chmodSync(dumpFile, 0o600);
  // Encrypted photo files, copied after the dump: every file written before the snapshot is there. A photo
  // replaced while the backup runs can be missing (its row is in the snapshot, its file already removed); restore
  // counts such rows and says so.
  const blobsDir = path.join(config.dataDir, 'blobs');
  const blobCount = fs.existsSync(blobsDir) ? countFiles(blobsDir) : 0;
  if (blobCount > 0) fs.cpSync(blobsDir, path.join(dir, 'blobs'), { recursive: true });
  const keyFile = path.join(dir, MASTER_KEY_FILE);
  fs.writeFileSync(keyFile, runtime.masterKey.toString('base64') + '\n', { mode: 0o600 });
  const tombstones = await runtime.db.selectFrom('key_tombstones').select(['subject_id', 'destroyed_at']).execute();
  fs.writeFileSync(path.join(dir, 'key-tombstones.json'), JSON.stringify(tombstones, null, 2), { mode: 0o600 });
  const migrations = await runtime.db
    .selectFrom('schema_migrations' as never)
    .select('name' as never)
    .execute();
  const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify(
      {
        format: 'anxin-backup/1',
        createdAt: new Date().toISOString(),
        postgresMajor: major,
        migrations: migrations.map((m) => (m as { name: string }).name),
        files: { 'database.dump': sha(dumpFile), [MASTER_KEY_FILE]: sha(keyFile) },
        blobFiles: blobCount,
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );
  console.log(`Backup written to ${dir}`);
  console.log(
    'It contains the master key: keep it as safe as the database itself (encrypted storage, restricted access).',
  );
  const cutoff = Date.now() - retentionDays * 86_400_000;
  for (const entry of fs.readdirSync(outRoot)) {
    const full = path.join(outRoot, entry);
    if (!entry.startsWith('anxin-') || full === dir) continue;
    const manifest = path.join(full, 'manifest.json');
    if (fs.existsSync(manifest) && Date.parse(JSON.parse(fs.readFileSync(manifest, 'utf8')).createdAt) < cutoff) {
      fs.rmSync(full, { recursive: true, force: true });
      console.log(`Removed backup older than ${retentionDays} days: ${entry}`);
    }
  }
} catch (err) {
  if (err instanceof PgToolMissingError) {
    console.error(err.message);
    process.exitCode = 2;
  } else throw err;
} finally {
  await runtime.close();
}
// Exit with our own code now, whatever handles (pool sockets, timers) are still open.
process.exit(process.exitCode ?? 0);

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { loadConfig } from '../config.js';
import { openRuntime } from '../runtime.js';
import { MASTER_KEY_FILE } from '../crypto/master-key.js';
import { PgToolMissingError, findPgTool, serverMajor } from '../db/pg-tools.js';
import { KeyStore } from '../crypto/key-store.js';
import { deriveKeys } from '../crypto/master-key.js';
import { migrate } from '../db/migrate.js';
import { parseArgs } from './args.js';
import { createServices } from '../services.js';
import { ConsoleSmsProvider } from '../features/identity/sms/console-sms.js';
import { systemClock } from '../platform/clock.js';

/**
 * npm run restore -- BACKUP_DIR [--tombstones-from NEWER_BACKUP_DIR_OR_FILE] [--force]
 * Restores a backup into ANXIN_DATA_DIR (a fresh folder, or an empty DATABASE_URL database). Afterwards every
 * key tombstone known to the backup, to the target, or to --tombstones-from is applied again, so that restoring
 * an older backup can never bring back the data of someone who was erased after it was taken.
 */
const { flags, positional } = parseArgs(process.argv.slice(2));
const source = positional[0];
if (!source) {
  console.error('Usage: npm run restore -- BACKUP_DIR [--tombstones-from NEWER_BACKUP] [--force]');
  process.exit(2);
}
const backupDir = path.resolve(source);
const dumpFile = path.join(backupDir, 'database.dump');
const keyFile = path.join(backupDir, MASTER_KEY_FILE);
if (!fs.existsSync(dumpFile) || !fs.existsSync(keyFile)) {
  console.error(`${backupDir} is not an Anxin backup (database.dump and master.key are required).`);
  process.exit(2);
}
const config = loadConfig();
if (!config.databaseUrl && fs.existsSync(path.join(config.dataDir, 'postgres', 'PG_VERSION')) && flags.force !== true) {
  console.error(
    `The data folder ${config.dataDir} already holds a database. Restore into a new folder (ANXIN_DATA_DIR=…) or pass --force to replace it.`,
  );
  process.exit(2);
}
const backupKey = fs.readFileSync(keyFile, 'utf8').trim();
const targetKeyFile = path.join(config.dataDir, MASTER_KEY_FILE);
if (!config.masterKey) {
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (
    fs.existsSync(targetKeyFile) &&
    fs.readFileSync(targetKeyFile, 'utf8').trim() !== backupKey &&
    flags.force !== true
  ) {
    console.error(`${targetKeyFile} holds a different master key. Pass --force to replace it with the backup's key.`);
    process.exit(2);
  }
  fs.writeFileSync(targetKeyFile, backupKey + '\n', { mode: 0o600 });
}

const runtime = await openRuntime({ ...config, masterKey: backupKey });
try {
  const tombstones = new Set<string>();
  for (const row of await runtime.db.selectFrom('key_tombstones').select('subject_id').execute())
    tombstones.add(row.subject_id);
  const extra = typeof flags['tombstones-from'] === 'string' ? path.resolve(flags['tombstones-from']) : null;
  if (extra) {
    const file = fs.statSync(extra).isDirectory() ? path.join(extra, 'key-tombstones.json') : extra;
    for (const t of JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ subject_id: string }>)
      tombstones.add(t.subject_id);
  }
  const pgRestore = findPgTool('pg_restore', await serverMajor(runtime.db));
  // Replace our schema with the backup's: drop public (and pg-boss's schema) and restore both from the dump.
  await sql`drop schema if exists pgboss cascade`.execute(runtime.db);
  await sql`drop schema public cascade`.execute(runtime.db);
  await sql`create schema public`.execute(runtime.db);
  const res = spawnSync(
    pgRestore,
    ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${runtime.connectionString}`, dumpFile],
    { encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`pg_restore failed: ${res.stderr}`);
  await migrate(runtime.db);
  const backupBlobs = path.join(backupDir, 'blobs');
  if (fs.existsSync(backupBlobs)) fs.cpSync(backupBlobs, path.join(config.dataDir, 'blobs'), { recursive: true });
  const keys = new KeyStore(deriveKeys(runtime.masterKey).kek);
  for (const row of await runtime.db.selectFrom('key_tombstones').select('subject_id').execute())
    tombstones.add(row.subject_id);
  let shredded = 0;
  for (const subject of tombstones) {
    const had = await runtime.db
      .selectFrom('subject_keys')
      .select('subject_id')
      .where('subject_id', '=', subject)
      .executeTakeFirst();
    await keys.destroy(runtime.db, subject, 'reapplied_after_restore');
    if (had) shredded++;
  }
  // RIG-5: an account cancelled after the backup was taken comes back from the dump with its old blind index and
  // status. Its key is gone again (above); run the erasure of every personal-data port once more so it is a
  // cancelled tombstone, its number free for a new account, exactly as before the restore.
  const services = createServices({
    config,
    db: runtime.db,
    masterKey: runtime.masterKey,
    sms: new ConsoleSmsProvider(() => undefined),
    clock: systemClock,
  });
  let reErased = 0;
  for (const subject of tombstones) {
    const user = await runtime.db
      .selectFrom('users')
      .select(['id', 'status'])
      .where('id', '=', subject)
      .executeTakeFirst();
    if (!user || user.status === 'cancelled') continue;
    await runtime.db.transaction().execute(async (trx) => {
      for (const port of services.personalData.ports()) await port.erase(trx, { userId: subject }, 'delete');
    });
    reErased++;
  }
  const users = await runtime.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const blobRows = await runtime.db.selectFrom('blobs').select('id').execute();
  const missing = blobRows.filter(
    (b) => !fs.existsSync(path.join(config.dataDir, 'blobs', b.id.slice(0, 2), b.id)),
  ).length;
  console.log(
    `Restored ${backupDir} into ${config.databaseUrl ? 'the DATABASE_URL database' : config.dataDir}: ${users.n} accounts.`,
  );
  console.log(
    `Photo files: ${blobRows.length - missing} of ${blobRows.length} present${missing ? ' (the missing ones were replaced while the backup ran; ask those doctors to upload again)' : ''}.`,
  );
  console.log(`Key tombstones re-applied: ${tombstones.size} (${shredded} keys from the backup destroyed again).`);
  console.log(`Accounts cancelled after this backup and erased again: ${reErased}.`);
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

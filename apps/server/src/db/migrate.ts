import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Forward-only SQL migrations, applied in file-name order, each in its own transaction, once.
 * An advisory lock lets several server instances start at the same time against one database.
 * A landed migration is never edited: the checksum check refuses to start if one was.
 */
export async function migrate(db: Db): Promise<string[]> {
  // Usually everything is applied already: one query, no lock, tells (a missing table means a new database).
  const files = migrationFiles();
  const done = await sql<{ name: string; checksum: string }>`select name, checksum from schema_migrations`
    .execute(db)
    .catch(() => null);
  const known = new Map(done?.rows.map((r) => [r.name, r.checksum]));
  if (done && files.every((f) => known.get(f.name) === f.checksum)) return [];
  return migrateLocked(db, files);
}

function migrationFiles(): Array<{ name: string; text: string; checksum: string }> {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
      return { name, text, checksum: crypto.createHash('sha256').update(text).digest('hex') };
    });
}

async function migrateLocked(db: Db, files: ReturnType<typeof migrationFiles>): Promise<string[]> {
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext('anxin.migrations'))`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        name text primary key, checksum text not null, applied_at timestamptz not null default now())`.execute(conn);
      const done = await sql<{ name: string; checksum: string }>`select name, checksum from schema_migrations`.execute(
        conn,
      );
      const known = new Map(done.rows.map((r) => [r.name, r.checksum]));
      for (const { name: file, text, checksum } of files) {
        const previous = known.get(file);
        if (previous !== undefined) {
          if (previous !== checksum)
            throw new Error(`Migration ${file} was edited after it was applied; add a new migration instead.`);
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(text).execute(trx);
          await sql`insert into schema_migrations (name, checksum) values (${file}, ${checksum})`.execute(trx);
        });
        applied.push(file);
      }
    } finally {
      await sql`select pg_advisory_unlock(hashtext('anxin.migrations'))`.execute(conn);
    }
  });
  return applied;
}

import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

export class PgToolMissingError extends Error {}

/**
 * pg_dump / pg_restore from the operating system. The embedded npm package ships only the server, so backups use
 * the client tools of the same major version (Debian 12: package postgresql-client-15).
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore', serverMajor: number): string {
  const candidates = [
    ...(fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql', { withFileTypes: true }) : [])
      .filter((d) => d.isDirectory())
      .map((d) => `/usr/lib/postgresql/${d.name}/bin/${name}`),
    name,
  ].filter((p) => !p.startsWith('/') || fs.existsSync(p));
  for (const bin of candidates) {
    const out = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    const major = Number(/(\d+)\.\d+/.exec(out.stdout ?? '')?.[1]);
    if (out.status === 0 && major >= serverMajor) return bin;
  }
  throw new PgToolMissingError(
    `${name} ${serverMajor} or newer was not found. Install the PostgreSQL ${serverMajor} client tools, e.g. on Debian/Ubuntu: apt-get install postgresql-client-${serverMajor}`,
  );
}

/** Major version of the PostgreSQL server behind `db` (15 for 15.18). */
export async function serverMajor(db: import('./database.js').Queryable): Promise<number> {
  const { sql } = await import('kysely');
  const res = await sql<{ v: number }>`select current_setting('server_version_num')::int as v`.execute(db);
  return Math.floor(res.rows[0]!.v / 10000);
}

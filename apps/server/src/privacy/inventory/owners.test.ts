import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INVENTORY } from './inventory.js';
import { FOREIGN_READS, TABLE_OWNERS, type TableName } from './owners.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Server sources that may hold SQL (tests and the CLI tools, which back up and restore every table, excepted). */
function sources(dir = src): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    const rel = path.relative(src, full);
    if (e.isDirectory()) return rel === 'cli' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

/** The tables a source file's queries name: Kysely builders and joins, and FROM/JOIN/INTO/UPDATE in raw SQL. */
export function tablesNamedIn(text: string, tables: readonly string[]): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const names = tables.join('|');
  const builder = new RegExp(
    `\\.(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\\(\\s*'(${names})(?: as \\w+)?'`,
    'g',
  );
  const raw = new RegExp(`\\b(?:from|join|into|update)\\s+(${names})\\b(?!['\\w])`, 'gi');
  const found = new Set<string>();
  for (const m of code.matchAll(builder)) found.add(m[1]!);
  for (const m of code.matchAll(raw)) found.add(m[1]!.toLowerCase());
  return [...found].sort();
}

const tables = Object.keys(TABLE_OWNERS) as TableName[];

/** Every (file, table) pair where a file names a table it does not own. */
function foreignReferences() {
  return sources().flatMap((file) =>
    tablesNamedIn(fs.readFileSync(path.join(src, file), 'utf8'), tables)
      .filter((table) => TABLE_OWNERS[table as TableName] !== file)
      .map((table) => ({ repo: file, table })),
  );
}

describe('table ownership (SEC-1)', () => {
  it('SEC-1: every table in the data inventory has exactly one owner, and every owner file exists', () => {
    expect(Object.keys(TABLE_OWNERS).sort()).toEqual(Object.keys(INVENTORY).sort());
    for (const owner of new Set(Object.values(TABLE_OWNERS))) expect(fs.existsSync(path.join(src, owner))).toBe(true);
  });

  it('SEC-1: no module names a table it does not own, except the foreign reads listed in owners.ts', () => {
    const key = (r: { repo: string; table: string }) => `${r.repo} → ${r.table}`;
    const found = foreignReferences().map(key).sort();
    const listed = FOREIGN_READS.map(key).sort();
    // New ones: call a named function of the owner instead. Stale ones: remove them from FOREIGN_READS.
    expect({ new: found.filter((k) => !listed.includes(k)), stale: listed.filter((k) => !found.includes(k)) }).toEqual({
      new: [],
      stale: [],
    });
  });

  it('SEC-1: the scan sees Kysely builders, joins and raw SQL, and ignores comments and plain strings', () => {
    const text = `
      db.selectFrom('users').innerJoin('sessions as s', 's.user_id', 'users.id');
      sql\`insert into notices (id) values (1)\`; sql\`update consultations set x = 1\`;
      sql\`select 1 from audit_log a join consents c on true\`;
      // from messages
      /* delete from calls */
      const label = 'users';`;
    expect(tablesNamedIn(text, tables)).toEqual([
      'audit_log',
      'consents',
      'consultations',
      'notices',
      'sessions',
      'users',
    ]);
  });
});

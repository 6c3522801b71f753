import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import type { Db } from '../../db/database.js';
import { INVENTORY } from './inventory.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** Columns of our own schema (pg-boss keeps its tables in its own schema and holds no personal data). */
async function unclassifiedColumns(db: Db) {
  const cols = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' order by table_name, ordinal_position`.execute(db);
  return cols.rows
    .filter((c) => !INVENTORY[c.table_name]?.[c.column_name])
    .map((c) => `${c.table_name}.${c.column_name}`);
}

describe('data inventory', () => {
  it('INV-2: every column in the database is classified in the inventory', async () => {
    expect(await unclassifiedColumns(t.db)).toEqual([]);
  });

  it('INV-2: a new column nobody classified fails the check', async () => {
    await sql`alter table users add column favourite_colour text`.execute(t.db);
    expect(await unclassifiedColumns(t.db)).toEqual(['users.favourite_colour']);
    await sql`alter table users drop column favourite_colour`.execute(t.db);
  });

  it('INV-2: the inventory names no column the database does not have', async () => {
    const cols = await sql<{ key: string }>`
      select table_name || '.' || column_name as key from information_schema.columns where table_schema = 'public'`.execute(
      t.db,
    );
    const live = new Set(cols.rows.map((r) => r.key));
    const declared = Object.entries(INVENTORY).flatMap(([table, c]) => Object.keys(c).map((col) => `${table}.${col}`));
    expect(declared.filter((k) => !live.has(k))).toEqual([]);
  });

  it('SEC-1: every sensitive or contact column is stored encrypted, hashed or as a blind index', () => {
    for (const [table, cols] of Object.entries(INVENTORY)) {
      for (const [column, spec] of Object.entries(cols)) {
        if (spec.sensitivity === 'none') continue;
        if (column.endsWith('_enc')) expect(spec.protection, `${table}.${column}`).toBe('encrypted');
        if (column.endsWith('_bidx')) expect(spec.protection, `${table}.${column}`).toBe('blind_index');
        if (spec.category === 'contact.phone' || spec.sensitivity === 'sensitive')
          expect(spec.protection, `${table}.${column}`).not.toBe('clear');
      }
    }
  });
});

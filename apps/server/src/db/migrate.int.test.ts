import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../../test/harness.js';
import { createDb } from './database.js';
import { migrate } from './migrate.js';

const files = fs.readdirSync(new URL('./migrations', import.meta.url)).filter((f) => f.endsWith('.sql'));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('migrations at start', () => {
  it('apply every file once to a new database; an up-to-date one needs no change; an edited migration is refused', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `m_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    cleanups.push(async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const fresh = createDb(url.toString(), 2);
    cleanups.unshift(() => fresh.destroy());
    expect(await migrate(fresh)).toEqual([...files].sort());
    expect(await migrate(fresh)).toEqual([]);

    const migrated = await createTestDatabase();
    const db = createDb(migrated.url, 2);
    cleanups.unshift(async () => {
      await db.destroy();
      await migrated.drop();
    });
    expect(await migrate(db)).toEqual([]);
    const first = [...files].sort()[0]!;
    await sql`update schema_migrations set checksum = 'edited' where name = ${first}`.execute(db);
    await expect(migrate(db)).rejects.toThrow(`Migration ${first} was edited after it was applied`);
  });
});

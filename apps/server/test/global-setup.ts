import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.js';
import { createDb } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A connection string to a database on the test server with rights to CREATE DATABASE. */
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

const TEMPLATE = 'anxin_test_template';

/**
 * One PostgreSQL server per test run: the embedded one in a temporary folder, or the server DATABASE_URL points
 * at (CI runs the suite a second time against Debian's PostgreSQL 15). Migrations run once, into a template
 * database that every test file clones, so each file has its own database.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let tmp: string | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-test-pg-'));
    embedded = await startEmbeddedPostgres(tmp, { database: 'postgres' });
    adminUrl = embedded.connectionString;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE}`);
  await admin.query(`create database ${TEMPLATE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE}`;
  const db = createDb(url.toString(), 1);
  await migrate(db);
  await db.destroy();
  await admin.end();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', TEMPLATE);
  return async () => {
    if (embedded) await embedded.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}

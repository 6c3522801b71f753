import { Kysely, PostgresDialect, sql, Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { preparingPool } from './prepared.js';

// count(*) and bigint ids come back as strings by default; our numbers stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// A calendar date (due dates) stays the ISO string it is, never a Date at local midnight.
pg.types.setTypeParser(1082, (v) => v);

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Anything that can run a query: the pool-backed Db or an open transaction. */
export type Queryable = Db | Tx;

export function createDb(connectionString: string, max = 10, onIdleError?: (err: Error) => void): Db {
  const pool = new pg.Pool({ connectionString, max, application_name: 'anxin' });
  // An idle connection dropped by the server (restart, shutdown) is reported here instead of crashing the
  // process; the pool replaces it on next use.
  pool.on('error', (err) => onIdleError?.(err));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}

/** Nothing: resolves once the database answers a trivial query (the readiness probe), rejects if it cannot. */
export async function ping(db: Queryable): Promise<void> {
  await sql`select 1`.execute(db);
}

import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Queryable } from '../../db/database.js';
import type { AuditAction } from './audit-actions.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  action: AuditAction;
  actorId: string | null;
  actorRole: string | null;
  subjectId?: string | null;
  /** Why this happened or why personal data was accessed (required for staff access). */
  purpose?: string | null;
  requestId?: string | null;
  /** Ids, counts, field names — never personal data in clear. */
  details?: Record<string, string | number | boolean | null | string[]>;
}

/** Deterministic JSON: object keys sorted at every level, so the hash never depends on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

interface ChainFields {
  id: number;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_id: string | null;
  purpose: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
}

export function entryHash(e: ChainFields): string {
  const body = canonicalJson({
    id: e.id,
    at: e.at.toISOString(),
    actorId: e.actor_id,
    actorRole: e.actor_role,
    action: e.action,
    subjectId: e.subject_id,
    purpose: e.purpose,
    requestId: e.request_id,
    details: e.details,
  });
  return crypto.createHash('sha256').update(e.prev_hash).update('\n').update(body).digest('hex');
}

/**
 * Append one entry in the caller's transaction, so the audit record commits or rolls back with the change.
 * A transaction-scoped advisory lock serialises appends: ids are gap-free and each links to the previous hash.
 */
export async function appendAudit(trx: Queryable, event: AuditEvent, now: Date = new Date()): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtext('anxin.audit'))`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const anchor = last ? null : await trx.selectFrom('audit_anchor').selectAll().executeTakeFirst();
  const fields: ChainFields = {
    id: last ? last.id + 1 : anchor ? anchor.last_removed_id + 1 : 1,
    // Millisecond precision so the stored value round-trips exactly through JavaScript dates.
    at: new Date(Math.floor(now.getTime())),
    actor_id: event.actorId,
    actor_role: event.actorRole,
    action: event.action,
    subject_id: event.subjectId ?? null,
    purpose: event.purpose ?? null,
    request_id: event.requestId ?? null,
    details: event.details ?? {},
    prev_hash: last ? last.hash : anchor ? anchor.last_removed_hash : GENESIS_HASH,
  };
  const hash = entryHash(fields);
  await trx
    .insertInto('audit_log')
    .values({ ...fields, details: JSON.stringify(fields.details), hash })
    .execute();
  return fields.id;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: { id: number; reason: string } | null;
}

/** Walk the chain from the retention anchor (or genesis) and name the first entry that does not fit. */
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<ChainVerification> {
  const anchor = await db.selectFrom('audit_anchor').selectAll().executeTakeFirst();
  let expectedId = anchor ? anchor.last_removed_id + 1 : 1;
  let prevHash = anchor ? anchor.last_removed_hash : GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    const first =
      checked === 0 ? await db.selectFrom('audit_log').select('id').orderBy('id').limit(1).executeTakeFirst() : null;
    if (first && first.id < expectedId)
      return { ok: false, checked, firstBroken: { id: first.id, reason: 'entry before the retention anchor' } };
    if (first && first.id > expectedId)
      return { ok: false, checked, firstBroken: { id: first.id, reason: `entries before ${first.id} are missing` } };
    for (const row of rows) {
      if (row.id !== expectedId)
        return { ok: false, checked, firstBroken: { id: row.id, reason: `entry ${expectedId} is missing` } };
      if (row.prev_hash !== prevHash)
        return { ok: false, checked, firstBroken: { id: row.id, reason: 'link to the previous entry does not match' } };
      if (entryHash(row) !== row.hash)
        return { ok: false, checked, firstBroken: { id: row.id, reason: 'contents do not match the stored hash' } };
      prevHash = row.hash;
      expectedId++;
      checked++;
    }
    if (rows.length < batchSize) return { ok: true, checked, firstBroken: null };
  }
}

/**
 * The retention path: removes entries older than the cutoff, keeping the chain verifiable by remembering the
 * last removed entry as the new anchor. The trigger refuses deletes outside this transaction-local setting.
 */
export async function purgeAuditBefore(db: Db, cutoff: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('anxin.audit'))`.execute(trx);
    const lastOld = await trx
      .selectFrom('audit_log')
      .select(['id', 'hash'])
      .where('at', '<', cutoff)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!lastOld) return 0;
    await sql`select set_config('anxin.audit_retention', 'on', true)`.execute(trx);
    const removed = await trx.deleteFrom('audit_log').where('id', '<=', lastOld.id).executeTakeFirst();
    await sql`select set_config('anxin.audit_retention', 'off', true)`.execute(trx);
    await trx
      .insertInto('audit_anchor')
      .values({ last_removed_id: lastOld.id, last_removed_hash: lastOld.hash })
      .onConflict((oc) =>
        oc
          .column('singleton')
          .doUpdateSet({ last_removed_id: lastOld.id, last_removed_hash: lastOld.hash, updated_at: new Date() }),
      )
      .execute();
    return Number(removed.numDeletedRows);
  });
}

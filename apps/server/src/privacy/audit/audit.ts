import crypto from 'node:crypto';
import type { Db, Queryable } from '../../db/database.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import type { AuditAction } from './audit-actions.js';
import * as repo from './audit.repo.js';

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
  const object = value as Record<string, unknown>;
  // (sort() without a comparator orders by UTF-16 code units, like the < and > of strings)
  let out = '';
  for (const key of Object.keys(object).sort()) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${out ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `{${out}}`;
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

/**
 * The canonical body of an entry — exactly `canonicalJson` of { id, at, actorId, actorRole, action, subjectId,
 * purpose, requestId, details }, written out in its sorted key order (the verifier builds one per entry). `at` is the
 * ISO-8601 time with milliseconds, `details` the canonical JSON of the details.
 */
export function entryBody(e: Omit<ChainFields, 'at' | 'details' | 'prev_hash'>, at: string, details: string): string {
  const s = JSON.stringify;
  return (
    `{"action":${s(e.action)},"actorId":${s(e.actor_id)},"actorRole":${s(e.actor_role)},"at":${s(at)},` +
    `"details":${details},"id":${s(e.id)},"purpose":${s(e.purpose)},"requestId":${s(e.request_id)},` +
    `"subjectId":${s(e.subject_id)}}`
  );
}

/** SHA-256 (hex) of the previous entry's hash, a newline and the canonical body. */
export const chainHash = (prevHash: string, body: string) => crypto.hash('sha256', `${prevHash}\n${body}`, 'hex');

export function entryHash(e: ChainFields): string {
  return chainHash(e.prev_hash, entryBody(e, e.at.toISOString(), canonicalJson(e.details)));
}

/**
 * Append entries in the caller's transaction, so the audit record commits or rolls back with the change.
 * A transaction-scoped advisory lock serialises appends: ids are gap-free and each links to the previous hash.
 */
export async function appendAuditEntries(
  trx: Queryable,
  events: AuditEvent[],
  now: Date = new Date(),
): Promise<number[]> {
  await repo.lockChain(trx);
  const last = await repo.findLastEntry(trx);
  const anchor = last ? null : await repo.findAnchor(trx);
  let id = last ? last.id + 1 : anchor ? anchor.last_removed_id + 1 : 1;
  let prevHash = last ? last.hash : anchor ? anchor.last_removed_hash : GENESIS_HASH;
  // Millisecond precision so the stored value round-trips exactly through JavaScript dates.
  const at = new Date(Math.floor(now.getTime()));
  const rows = events.map((event) => {
    const fields: ChainFields = {
      id: id++,
      at,
      actor_id: event.actorId,
      actor_role: event.actorRole,
      action: event.action,
      subject_id: event.subjectId ?? null,
      purpose: event.purpose ?? null,
      request_id: event.requestId ?? null,
      details: event.details ?? {},
      prev_hash: prevHash,
    };
    prevHash = entryHash(fields);
    return { ...fields, details: JSON.stringify(fields.details), hash: prevHash };
  });
  await repo.insertEntries(trx, rows);
  return rows.map((r) => r.id);
}

/** What an entry says beyond who did it: the data subject, the purpose of a staff access, ids and counts. */
export type AuditFields = Pick<AuditEvent, 'subjectId' | 'purpose' | 'details'>;

/** The role an entry records for an actor: doctor or patient, or the staff member's roles. */
export const auditRole = (actor: Pick<Actor, 'app' | 'roles'>) =>
  actor.app === 'staff' ? actor.roles.join(',') || 'staff' : actor.app;

/**
 * The audit entry of something a signed-in person did in a request, in the caller's transaction: actor, role and
 * request id come from the actor and the request, so every entry names them the same way.
 */
export function auditBy(
  trx: Queryable,
  actor: Pick<Actor, 'userId' | 'app' | 'roles'>,
  meta: Pick<RequestMeta, 'requestId'> | null,
  action: AuditAction,
  fields: AuditFields = {},
  now?: Date,
): Promise<number> {
  return appendAudit(
    trx,
    { action, actorId: actor.userId, actorRole: auditRole(actor), requestId: meta?.requestId ?? null, ...fields },
    now,
  );
}

/** The audit entry of something the system did on its own (a job, a timer, an automated check). */
export function auditBySystem(trx: Queryable, action: AuditAction, fields: AuditFields = {}, now?: Date) {
  return appendAudit(trx, { action, actorId: null, actorRole: 'system', requestId: null, ...fields }, now);
}

/** Append one entry in the caller's transaction (see appendAuditEntries). */
export async function appendAudit(trx: Queryable, event: AuditEvent, now: Date = new Date()): Promise<number> {
  return (await appendAuditEntries(trx, [event], now))[0]!;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: { id: number; reason: string } | null;
}

/**
 * Walk the chain from the retention anchor (or genesis) and name the first entry that does not fit. Keyset pages,
 * the next one read while this one is checked; each entry's body is rebuilt from its stored fields and hashed.
 */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<ChainVerification> {
  const anchor = await repo.findAnchor(db);
  let expectedId = anchor ? anchor.last_removed_id + 1 : 1;
  let prevHash = anchor ? anchor.last_removed_hash : GENESIS_HASH;
  let checked = 0;
  const first = await repo.findFirstEntryId(db);
  if (first && first.id < expectedId)
    return { ok: false, checked, firstBroken: { id: first.id, reason: 'entry before the retention anchor' } };
  if (first && first.id > expectedId)
    return { ok: false, checked, firstBroken: { id: first.id, reason: `entries before ${first.id} are missing` } };
  let next = repo.chainPage(db, expectedId, pageSize);
  for (;;) {
    const rows = await next;
    if (rows.length === pageSize) {
      next = repo.chainPage(db, rows[rows.length - 1]!.id + 1, pageSize);
      // (a page still being read when a broken entry ends the walk must not become an unhandled rejection)
      next.catch(() => undefined);
    }
    for (const row of rows) {
      if (row.id !== expectedId)
        return { ok: false, checked, firstBroken: { id: row.id, reason: `entry ${expectedId} is missing` } };
      if (row.prev_hash !== prevHash)
        return { ok: false, checked, firstBroken: { id: row.id, reason: 'link to the previous entry does not match' } };
      const body = entryBody(row, row.at, canonicalJson(JSON.parse(row.details)));
      if (chainHash(row.prev_hash, body) !== row.hash)
        return { ok: false, checked, firstBroken: { id: row.id, reason: 'contents do not match the stored hash' } };
      prevHash = row.hash;
      expectedId++;
      checked++;
    }
    if (rows.length < pageSize) return { ok: true, checked, firstBroken: null };
  }
}

/**
 * The retention path: removes entries older than the cutoff, keeping the chain verifiable by remembering the
 * last removed entry as the new anchor. The trigger refuses deletes outside this transaction-local setting.
 */
export async function purgeAuditBefore(db: Db, cutoff: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await repo.lockChain(trx);
    const lastOld = await repo.findLastEntryBefore(trx, cutoff);
    if (!lastOld) return 0;
    const removed = await repo.deleteEntriesThrough(trx, lastOld.id);
    await repo.saveAnchor(trx, lastOld, new Date());
    return removed;
  });
}

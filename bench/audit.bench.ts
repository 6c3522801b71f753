/**
 * npm run bench:audit — verifying the hash-chained audit log (SEC-1, `npm run audit:verify`): entries per second
 * for `verifyAuditChain` on BENCH_AUDIT_ENTRIES (100,000) entries in the embedded PostgreSQL, against raw SHA-256
 * over the same bytes in the same run: the very strings the verifier hashes (previous hash, newline, canonical
 * body), chained the same way, in a tight loop with nothing else to do. The goal is at least half the raw rate:
 * reading the rows and rebuilding each body may cost no more than the hashing itself. BENCH_ROUNDS (3) repeats both
 * and prints the spread.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../apps/server/src/db/database.js';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import {
  appendAuditEntries,
  canonicalJson,
  chainHash,
  entryBody,
  verifyAuditChain,
  type AuditEvent,
} from '../apps/server/src/privacy/audit/audit.js';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A mix like the server writes: sign-ins, consents, consultations, staff access with a purpose, crisis handling. */
function event(i: number): AuditEvent {
  const actorId = crypto.randomUUID();
  const subjectId = crypto.randomUUID();
  const requestId = `req-${i.toString(36)}`;
  switch (i % 5) {
    case 0:
      return {
        action: 'auth.sign_in',
        actorId,
        actorRole: 'patient',
        subjectId: actorId,
        requestId,
        details: { sessionId: crypto.randomUUID() },
      };
    case 1:
      return { action: 'consent.policy_accepted', actorId, actorRole: 'doctor', subjectId: actorId, requestId };
    case 2:
      return {
        action: 'consultation.requested',
        actorId,
        actorRole: 'patient',
        subjectId,
        requestId,
        details: { doctorId: crypto.randomUUID() },
      };
    case 3:
      return {
        action: 'staff.viewed_personal_data',
        actorId,
        actorRole: 'reviewer',
        subjectId,
        purpose: '资质审核 onboarding review',
        requestId,
        details: { fields: ['licence', 'idCard'], count: 2 },
      };
    default:
      return {
        action: 'crisis.acknowledged',
        actorId,
        actorRole: 'doctor',
        subjectId,
        requestId,
        details: { escalationId: crypto.randomUUID(), severity: 'high', signals: 1 },
      };
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-audit-'));
fs.chmodSync(tmp, 0o755);
const pg = await startEmbeddedPostgres(tmp);
const db = createDb(pg.connectionString, 4);
try {
  await migrate(db);
  const seedStart = performance.now();
  for (let i = 0; i < ENTRIES; i += 5000) {
    const events = Array.from({ length: Math.min(5000, ENTRIES - i) }, (_, k) => event(i + k));
    await db.transaction().execute((trx) => appendAuditEntries(trx, events, new Date(Date.now() - ENTRIES + i)));
  }
  await sql`vacuum analyze audit_log`.execute(db);
  console.log(`seeded ${ENTRIES} audit entries in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  // The bytes the verifier hashes, rebuilt from the stored rows the way it rebuilds them (not timed). Built anew for
  // each round and dropped after it, so the verifier's rounds run without them on the heap.
  const rawInput = async () => {
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    return {
      genesis: rows[0]!.prev_hash,
      last: rows[rows.length - 1]!.hash,
      bodies: rows.map((r) => entryBody(r, r.at.toISOString(), canonicalJson(r.details))),
    };
  };
  const rawChain = (input: { genesis: string; bodies: string[] }) => {
    let prev = input.genesis;
    for (const body of input.bodies) prev = chainHash(prev, body);
    return prev;
  };

  const results: Array<{ verify: number; raw: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t0 = performance.now();
    const result = await verifyAuditChain(db);
    const verifySeconds = (performance.now() - t0) / 1000;
    if (!result.ok || result.checked !== ENTRIES) throw new Error(`verification failed: ${JSON.stringify(result)}`);
    const input = await rawInput();
    t0 = performance.now();
    const last = rawChain(input);
    const rawSeconds = (performance.now() - t0) / 1000;
    if (last !== input.last) throw new Error('the baseline does not hash the same bytes');
    results.push({ verify: ENTRIES / verifySeconds, raw: ENTRIES / rawSeconds });
  }

  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const spread = (xs: number[], digits = 0) =>
    xs.length > 1 ? ` (min ${Math.min(...xs).toFixed(digits)}, max ${Math.max(...xs).toFixed(digits)})` : '';
  const ratios = results.map((r) => r.verify / r.raw);
  console.log(
    `\n${ENTRIES} entries, ${ROUNDS} rounds; ${os.cpus().length} cores shared with PostgreSQL; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('round  verifyAuditChain (entries/s)  raw SHA-256 chain (entries/s)  ratio');
  for (const [i, r] of results.entries())
    console.log(
      `${String(i + 1).padStart(5)}  ${r.verify.toFixed(0).padStart(28)}  ${r.raw.toFixed(0).padStart(29)}  ${(r.verify / r.raw).toFixed(2).padStart(5)}`,
    );
  const ratio = med(ratios);
  console.log(
    `\nverify ${med(results.map((r) => r.verify)).toFixed(0)} entries/s vs raw SHA-256 ${med(results.map((r) => r.raw)).toFixed(0)} entries/s: ratio ${ratio.toFixed(2)}×${spread(ratios, 2)} (goal ≥ 0.5×: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
  );
} finally {
  await db.destroy();
  await pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(0);

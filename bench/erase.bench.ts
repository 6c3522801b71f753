/**
 * npm run bench:erase — processing an account cancellation (RIG-5): every personal-data port erases, the person's
 * data key is destroyed (crypto-shredding), the legal hold and the signed certificate are written, all in one
 * transaction. Two patients in the same run: one whose consultation has BENCH_ERASE_SMALL (10) messages, one with
 * BENCH_ERASE_LARGE (100,000). The goal: the larger takes at most 2× the smaller, because erasure destroys one key
 * instead of rewriting every row. BENCH_ROUNDS (3) pairs, median and spread printed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createDb } from '../apps/server/src/db/database.js';
import { startEmbeddedPostgres } from '../apps/server/src/db/embedded.js';
import { migrate } from '../apps/server/src/db/migrate.js';
import { systemClock } from '../apps/server/src/platform/clock.js';
import { ConsoleSmsProvider } from '../apps/server/src/features/identity/sms/console-sms.js';
import { seedApprovedDoctor, seedConsentedPatient } from '../apps/server/test/seed-consultations.js';

const SMALL = Number(process.env.BENCH_ERASE_SMALL ?? 10);
const LARGE = Number(process.env.BENCH_ERASE_LARGE ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-erase-'));
fs.chmodSync(tmp, 0o755);
const pg = await startEmbeddedPostgres(tmp);
const db = createDb(pg.connectionString, 6);
await migrate(db);
const config = loadConfig({ NODE_ENV: 'test', ANXIN_DATA_DIR: tmp, ANXIN_PUBLIC_URL: 'http://localhost:3000' });
const sms = new ConsoleSmsProvider(() => {});
const app = await buildApp(
  { config, db, masterKey: crypto.randomBytes(32), sms, clock: systemClock },
  { logger: false },
);
await app.services.policy.ensurePublished();
const ctx = { app, db, sms };
const inject = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) => {
  const res = await app.inject({
    method,
    url,
    headers: { origin: 'http://localhost:3000', cookie },
    remoteAddress: `10.9.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res;
};

/** A patient with one accepted consultation holding `messages` messages; returns a cancellation request id. */
async function patientWith(messages: number, n: number): Promise<string> {
  const doctor = await seedApprovedDoctor(ctx, n);
  const patient = await seedConsentedPatient(ctx);
  const id = (
    await inject('POST', '/api/consultations', patient.cookie, {
      doctorId: doctor.id,
      concern: '压测：注销',
      isFollowUp: true,
    })
  ).json().id as string;
  await inject('POST', `/api/consultations/${id}/accept`, doctor.cookie, {});
  // Ten real messages through the API, then the rest as copies of them (the bench measures erasure, not writing).
  for (let i = 0; i < Math.min(messages, 10); i++)
    await inject('POST', `/api/consultations/${id}/messages`, i % 2 ? doctor.cookie : patient.cookie, {
      clientId: crypto.randomUUID(),
      kind: 'text',
      text: `压测消息 ${i}`,
    });
  if (messages > 10) {
    await sql`
      insert into messages (consultation_id, seq, client_id, sender_id, kind, body_enc, created_at)
      select m.consultation_id, 10 + g, gen_random_uuid(), m.sender_id, m.kind, m.body_enc, m.created_at
      from generate_series(1, ${messages - 10}) g
      cross join lateral (select * from messages where consultation_id = ${id} order by seq limit 1) m
    `.execute(db);
    await sql`update consultations set last_seq = ${messages} where id = ${id}`.execute(db);
  }
  // The cancellation request, as the app leaves it after the step-up code (the bench times its processing).
  const rid = crypto.randomUUID();
  await sql`
    insert into rights_requests (id, subject_id, app, kind, received_at, due_on, due_provisional, verification)
    values (${rid}, ${patient.id}, 'patient', 'cancellation', now(), current_date, false, 'sms_step_up')
  `.execute(db);
  return rid;
}

const ms = (xs: number[]) => [...xs].sort((a, b) => a - b);
const small: number[] = [];
const large: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const a = await patientWith(SMALL, round * 2);
  const b = await patientWith(LARGE, round * 2 + 1);
  await sql`vacuum analyze`.execute(db);
  // Alternate which goes first, so warm-up favours neither.
  for (const [id, out] of round % 2
    ? ([
        [b, large],
        [a, small],
      ] as const)
    : ([
        [a, small],
        [b, large],
      ] as const)) {
    const t0 = performance.now();
    await app.services.rights.process(id);
    out.push(performance.now() - t0);
  }
}
const median = (xs: number[]) => ms(xs)[Math.floor(xs.length / 2)]!;
const ratio = median(large) / median(small);
console.log(
  `erase (cancellation) with ${SMALL} messages:   median ${median(small).toFixed(1)} ms  [${ms(small)
    .map((x) => x.toFixed(1))
    .join(', ')}]`,
);
console.log(
  `erase (cancellation) with ${LARGE} messages: median ${median(large).toFixed(1)} ms  [${ms(large)
    .map((x) => x.toFixed(1))
    .join(', ')}]`,
);
console.log(`ratio large/small: ${ratio.toFixed(2)}× (goal ≤ 2×) ${ratio <= 2 ? 'MET' : 'NOT MET'}`);
await app.close();
await db.destroy();
await pg.stop();
fs.rmSync(tmp, { recursive: true, force: true });

import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { startJobs, type JobDefinition } from './jobs.js';
import { purgeOtpChallenges } from './retention.jobs.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const log = pino({ level: 'silent' });

describe('durable jobs', () => {
  it('SEC-2: a job scheduled before a restart runs after it', async () => {
    const ran: string[] = [];
    const def: JobDefinition<{ marker: string }> = {
      name: 'test.deadline',
      handle: async (data) => void ran.push(data.marker),
    };
    // First process: enqueue a job due in 2 seconds, then stop before it is due (without working it).
    const before = await startJobs({
      connectionString: t.dbUrl,
      definitions: [def as JobDefinition],
      db: t.db,
      clock: t.clock,
      log,
      work: false,
    });
    await before.send('test.deadline', { marker: 'survived' }, { startAfter: 2 });
    await before.stop();
    expect(ran).toEqual([]);
    // Second process: a fresh runner picks it up once due.
    const after = await startJobs({
      connectionString: t.dbUrl,
      definitions: [def as JobDefinition],
      db: t.db,
      clock: t.clock,
      log,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const deadline = Date.now() + 20_000;
      while (ran.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(ran).toEqual(['survived']);
    } finally {
      await after.stop();
    }
  }, 40_000);

  it('SEC-2: the retention job deletes sign-in codes older than 24 hours and keeps newer ones', async () => {
    const now = t.clock.now();
    const row = (ageHours: number) => ({
      app: 'doctor' as const,
      phone_bidx: Buffer.from('p'),
      ip_bidx: Buffer.from('i'),
      code_hash: Buffer.from('c'),
      created_at: new Date(now.getTime() - ageHours * 3600_000),
      expires_at: new Date(now.getTime() - ageHours * 3600_000 + 300_000),
    });
    await t.db
      .insertInto('otp_challenges')
      .values([row(30), row(25), row(2)])
      .execute();
    await purgeOtpChallenges.handle({}, { db: t.db, clock: t.clock, log });
    const left = await t.db
      .selectFrom('otp_challenges')
      .select('created_at')
      .where('phone_bidx', '=', Buffer.from('p'))
      .execute();
    expect(left).toHaveLength(1);
  });
});

import { PgBoss, type Job } from 'pg-boss';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { Clock } from '../platform/clock.js';

/**
 * Durable jobs on the same PostgreSQL (pg-boss): anything with a deadline or a retention rule is a job, never a
 * timer alone, so it survives restarts. Each job has a name, a payload type and an idempotent handler.
 */
export interface JobDefinition<T extends object = object> {
  name: string;
  /** Cron (UTC) for recurring jobs. */
  cron?: string;
  handle(data: T, ctx: { db: Db; clock: Clock; log: Logger }): Promise<void>;
}

export interface JobRunner {
  boss: PgBoss;
  send<T extends object>(name: string, data: T, options?: { startAfter?: Date | number }): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startJobs(opts: {
  connectionString: string;
  definitions: JobDefinition[];
  db: Db;
  clock: Clock;
  log: Logger;
  /** Tests poll faster than the 2 s default. */
  pollingIntervalSeconds?: number;
  /** A process can enqueue without working (e.g. CLI tools). */
  work?: boolean;
}): Promise<JobRunner> {
  const boss = new PgBoss({ connectionString: opts.connectionString, schema: 'pgboss', max: 4 });
  boss.on('error', (err) => opts.log.error({ err }, 'job system error'));
  await boss.start();
  for (const def of opts.definitions) {
    await boss.createQueue(def.name);
    if (opts.work !== false) {
      await boss.work<object>(
        def.name,
        { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 },
        async (jobs: Job<object>[]) => {
          for (const job of jobs)
            await def.handle(job.data, { db: opts.db, clock: opts.clock, log: opts.log.child({ job: def.name }) });
        },
      );
    }
    if (def.cron) await boss.schedule(def.name, def.cron);
  }
  return {
    boss,
    send: (name, data, options) =>
      boss.send(
        name,
        data,
        options?.startAfter !== undefined
          ? { startAfter: options.startAfter instanceof Date ? options.startAfter : options.startAfter }
          : {},
      ),
    stop: () => boss.stop({ graceful: true, timeout: 5000 }),
  };
}

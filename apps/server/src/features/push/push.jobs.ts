import { CompiledQuery } from 'kysely';
import type { Logger } from 'pino';
import type { Tx } from '../../db/database.js';
import type { JobDefinition, JobRunner } from '../../jobs/jobs.js';
import { ChannelRegistry, WebPushChannel, type PushChannel } from './channels.js';
import type { DeliveryJob, PushService } from './push.service.js';

export const PUSH_DELIVER_JOB = 'push.deliver';

export interface RetryPolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
}

/** About a day of attempts: 1 min, 2, 4 … capped at an hour; then the notification is given up (TTL 24 h). */
export const DEFAULT_RETRY: RetryPolicy = { retryLimit: 8, retryDelay: 60, retryBackoff: true, retryDelayMax: 3600 };

/** The channels this version can use: Web Push only (vendor channels are declared but unavailable). */
export function defaultChannels(push: PushService): ChannelRegistry {
  return new ChannelRegistry([new WebPushChannel({ vapid: () => push.vapidDetails() }) as PushChannel]);
}

/** The pg-boss worker that delivers one notice to one subscription; a thrown PushRetryError means "retry". */
export function pushJobs(push: PushService, channels: ChannelRegistry = defaultChannels(push)): JobDefinition[] {
  const deliver: JobDefinition<DeliveryJob> = {
    name: PUSH_DELIVER_JOB,
    async handle(data, { log }) {
      await push.deliver(data, channels, log);
    },
  };
  return [deliver as JobDefinition];
}

/** pg-boss statements run on the Kysely transaction's connection, so they commit or roll back with it. */
function onTransaction(trx: Tx) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      const res = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: res.rows as unknown[] };
    },
  };
}

export interface PushDispatcher {
  /** Drains the outbox now (tests; also what each poll does). Returns outbox rows handled. */
  drainNow(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Moves committed notices from the outbox into delivery jobs. Polls (1 s by default) in the process that runs
 * jobs; each poll is one indexed query when there is nothing to do. After a restart, rows left by the previous
 * process are picked up by the first poll, so no notice is lost.
 */
export function startPushDispatcher(opts: {
  push: PushService;
  jobs: JobRunner;
  log: Logger;
  pollIntervalMs?: number;
  retry?: RetryPolicy;
  /** Tests drive `drainNow()` themselves. */
  poll?: boolean;
}): PushDispatcher {
  const retry = opts.retry ?? DEFAULT_RETRY;
  const sendJob = async (trx: Tx, job: DeliveryJob) => {
    await opts.jobs.boss.send(PUSH_DELIVER_JOB, job, { ...retry, db: onTransaction(trx) });
  };
  let running: Promise<number> | null = null;
  const drainNow = async (): Promise<number> => {
    // One drain at a time per process; SKIP LOCKED keeps several processes apart.
    while (running) await running.catch(() => 0);
    running = (async () => {
      let total = 0;
      for (;;) {
        const n = await opts.push.drain(sendJob);
        total += n;
        if (n < 100) return total;
      }
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      await drainNow();
    } catch (err) {
      opts.log.error({ err: err instanceof Error ? err.message : 'unknown' }, 'push outbox drain failed');
    }
    if (!stopped) timer = setTimeout(() => void tick(), opts.pollIntervalMs ?? 1000);
  };
  if (opts.poll !== false) timer = setTimeout(() => void tick(), 0);
  return {
    drainNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}

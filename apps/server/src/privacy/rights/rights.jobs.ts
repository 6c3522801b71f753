import type { JobDefinition } from '../../jobs/jobs.js';
import { RIGHTS_JOBS, type RightsService } from './rights.service.js';

/**
 * Durable jobs of the rights engine (pg-boss, so they survive restarts): building an export, processing an erasure,
 * cancellations on or before their due date, the sweep that picks up what a lost job left and deletes expired
 * exports, and reminders to privacy officers (its retention runs in privacy/retention).
 */
export function rightsJobs(rights: RightsService): JobDefinition[] {
  const one = (name: string, run: (id: string) => Promise<void>): JobDefinition<{ requestId: string }> => ({
    name,
    async handle(data) {
      await run(data.requestId);
    },
  });
  return [
    one(RIGHTS_JOBS.buildExport, (id) => rights.buildExport(id)) as JobDefinition,
    one(RIGHTS_JOBS.process, (id) => rights.process(id)) as JobDefinition,
    {
      name: 'rights.process-due',
      cron: '*/15 * * * *',
      async handle(_data, { log }) {
        const n = await rights.processDue();
        if (n > 0) log.info({ processed: n }, 'processed due cancellations and erasures');
      },
    },
    {
      name: 'rights.sweep',
      cron: '* * * * *',
      async handle(_data, { log }) {
        const { built, deleted } = await rights.sweepExports();
        if (built + deleted > 0) log.info({ built, deleted }, 'swept data exports');
      },
    },
    {
      name: 'rights.remind',
      // 09:00 in Beijing.
      cron: '0 1 * * *',
      async handle(_data, { log }) {
        const n = await rights.remind();
        if (n > 0) log.info({ due: n }, 'reminded privacy officers');
      },
    },
  ];
}

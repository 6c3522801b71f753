import type { JobDefinition } from '../../jobs/jobs.js';
import type { ConsultationService } from './consultations.service.js';

/** CON-1: consultations without a message for the configured time end by themselves (every 10 minutes). */
export function consultationJobs(consultations: ConsultationService, idleHours: number): JobDefinition[] {
  return [
    {
      name: 'consultations.end-idle',
      cron: '*/10 * * * *',
      async handle(_data, { log }) {
        const ended = await consultations.endIdle(idleHours);
        if (ended > 0) log.info({ ended }, 'ended idle consultations');
      },
    },
  ];
}

import type { JobDefinition } from '../../jobs/jobs.js';
import type { ConsultationService } from './consultations.service.js';
import type { MediaStore } from './media.store.js';

/**
 * CON-1: consultations without a message for the configured time end by themselves (every 10 minutes); files of
 * uploads that never became a message are deleted (every 15 minutes).
 */
export function consultationJobs(
  consultations: ConsultationService,
  media: MediaStore,
  idleHours: number,
): JobDefinition[] {
  return [
    {
      name: 'consultations.end-idle',
      cron: '*/10 * * * *',
      async handle(_data, { log }) {
        const ended = await consultations.endIdle(idleHours);
        if (ended > 0) log.info({ ended }, 'ended idle consultations');
      },
    },
    {
      name: 'consultations.sweep-uploads',
      cron: '*/15 * * * *',
      async handle(_data, { db, clock, log }) {
        const { removed, kept } = await media.sweep(db, clock.now());
        if (removed + kept > 0) log.info({ removed, kept }, 'swept image and voice-note uploads');
      },
    },
  ];
}

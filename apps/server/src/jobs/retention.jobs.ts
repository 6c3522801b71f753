import type { JobDefinition } from './jobs.js';
import * as repo from './retention.repo.js';

/** SEC-2: sign-in codes are kept 24 hours (rate limits look back one day), then deleted. */
export const purgeOtpChallenges: JobDefinition = {
  name: 'retention.purge-otp-challenges',
  cron: '17 * * * *',
  async handle(_data, { db, clock, log }) {
    const cutoff = new Date(clock.now().getTime() - 24 * 3600_000);
    const removed = await repo.deleteOtpChallengesBefore(db, cutoff);
    log.info({ removed }, 'purged expired sign-in codes');
  },
};

/** SEC-2: ended sessions (with their encrypted device data) are kept 30 days for security review, then deleted. */
export const purgeEndedSessions: JobDefinition = {
  name: 'retention.purge-ended-sessions',
  cron: '23 3 * * *',
  async handle(_data, { db, clock, log }) {
    const cutoff = new Date(clock.now().getTime() - 30 * 86_400_000);
    const removed = await repo.deleteSessionsEndedBefore(db, cutoff);
    log.info({ removed }, 'purged ended sessions');
  },
};

export const ALL_JOBS: JobDefinition[] = [purgeOtpChallenges, purgeEndedSessions];

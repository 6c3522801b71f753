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

/**
 * LOG-2, SEC-2: ended sessions are the sign-in and network log (time, IP address, browser, encrypted). The
 * Cybersecurity Law (art. 21) requires keeping network logs at least 6 months: 183 days after the session ended,
 * then deleted.
 */
export const NETWORK_LOG_DAYS = 183;
export const purgeEndedSessions: JobDefinition = {
  name: 'retention.purge-ended-sessions',
  cron: '23 3 * * *',
  async handle(_data, { db, clock, log }) {
    const cutoff = new Date(clock.now().getTime() - NETWORK_LOG_DAYS * 86_400_000);
    const removed = await repo.deleteSessionsEndedBefore(db, cutoff);
    log.info({ removed }, 'purged ended sessions');
  },
};

export const ALL_JOBS: JobDefinition[] = [purgeOtpChallenges, purgeEndedSessions];

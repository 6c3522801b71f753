import type { JobDefinition } from './jobs.js';

/** SEC-2: sign-in codes are kept 24 hours (rate limits look back one day), then deleted. */
export const purgeOtpChallenges: JobDefinition = {
  name: 'retention.purge-otp-challenges',
  cron: '17 * * * *',
  async handle(_data, { db, clock, log }) {
    const cutoff = new Date(clock.now().getTime() - 24 * 3600_000);
    const res = await db.deleteFrom('otp_challenges').where('created_at', '<', cutoff).executeTakeFirst();
    log.info({ removed: Number(res.numDeletedRows) }, 'purged expired sign-in codes');
  },
};

/** SEC-2: ended sessions (with their encrypted device data) are kept 30 days for security review, then deleted. */
export const purgeEndedSessions: JobDefinition = {
  name: 'retention.purge-ended-sessions',
  cron: '23 3 * * *',
  async handle(_data, { db, clock, log }) {
    const cutoff = new Date(clock.now().getTime() - 30 * 86_400_000);
    const res = await db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('revoked_at', '<', cutoff), eb('absolute_expires_at', '<', cutoff)]))
      .executeTakeFirst();
    log.info({ removed: Number(res.numDeletedRows) }, 'purged ended sessions');
  },
};

export const ALL_JOBS: JobDefinition[] = [purgeOtpChallenges, purgeEndedSessions];

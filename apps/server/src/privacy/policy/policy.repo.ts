import type { Queryable } from '../../db/database.js';

export function findEffectivePolicy(db: Queryable, now: Date) {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('effective_at', '<=', now)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findLatestPolicy(db: Queryable) {
  return db.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export function findLatestPolicyConsent(db: Queryable, userId: string) {
  return db
    .selectFrom('consents')
    .select(['version', 'accepted_at'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'policy')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listConsentsForUser(db: Queryable, userId: string) {
  return db
    .selectFrom('consents')
    .leftJoin('policy_versions', (join) =>
      join.onRef('policy_versions.version', '=', 'consents.version').on('consents.kind', '=', 'policy'),
    )
    .select([
      'consents.id',
      'consents.kind',
      'consents.purpose',
      'consents.version',
      'consents.locale',
      'consents.text_sha256',
      'consents.accepted_at',
      'consents.withdrawn_at',
      'policy_versions.effective_at as policy_effective_at',
    ])
    .where('consents.user_id', '=', userId)
    .orderBy('consents.accepted_at', 'desc')
    .execute();
}

export function listActiveSensitivePurposes(db: Queryable, userId: string) {
  return db
    .selectFrom('consents')
    .select(['purpose', 'version'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'sensitive')
    .where('withdrawn_at', 'is', null)
    .execute();
}

/** When the next already-published version takes effect, if one is pending. */
export async function findNextPolicyEffectiveAt(db: Queryable, now: Date) {
  const row = await db
    .selectFrom('policy_versions')
    .select('effective_at')
    .where('effective_at', '>', now)
    .orderBy('effective_at')
    .limit(1)
    .executeTakeFirst();
  return row?.effective_at ?? null;
}

import type { Db } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { Clock } from '../../platform/clock.js';
import { auditBySystem, purgeAuditBefore } from '../audit/audit.js';
import { INVENTORY } from '../inventory/inventory.js';
import type { Retention } from '../inventory/purposes.js';
import type { JobDefinition } from '../../jobs/jobs.js';
import { NETWORK_LOG_DAYS } from '../../jobs/retention.jobs.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ConsultationService } from '../../features/consultations/consultations.service.js';
import type { RightsService } from '../rights/rights.service.js';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/**
 * The retention engine (SEC-2, LOG-2): one rule for every retention period the inventory names. A rule either
 * ends with an event the owning feature handles at that moment (`event`: the account's erasure, turning
 * notifications off), or after a period, enforced by the daily job below or by the named recurring job. Legal
 * holds (rights engine) override erasure: what the law requires is kept under the hold's own key until it ends,
 * and network logs are never deleted before 6 months. retention.int.test.ts checks every rule with a fake clock.
 */
export const RETENTION_RULES: Record<
  Retention,
  { kind: 'event'; ends: string } | { kind: 'period'; days: number; by: string }
> = {
  account_lifetime: { kind: 'event', ends: 'the account is cancelled (rights engine, every personal-data port)' },
  key_until_erasure: { kind: 'event', ends: "the person's erasure destroys the key (key-store port)" },
  push_until_off: {
    kind: 'event',
    ends: 'notifications off, sign-out on the device, or the push service reports it gone',
  },
  policy_forever: { kind: 'event', ends: 'never: public policy history' },
  otp_24h: { kind: 'period', days: 1, by: 'job retention.purge-otp-challenges (hourly)' },
  network_logs_6m: { kind: 'period', days: NETWORK_LOG_DAYS, by: 'job retention.purge-ended-sessions (daily)' },
  consent_account_plus_3y: { kind: 'period', days: 3 * 365, by: 'job retention.daily: consents 3 years after erasure' },
  rights_request_3y: { kind: 'period', days: 3 * 365, by: 'job rights.retention: closed requests after 3 years' },
  legal_hold: {
    kind: 'period',
    days: NETWORK_LOG_DAYS,
    by: 'job rights.retention: a hold ends on its date and its key is destroyed',
  },
  medical_record: {
    kind: 'period',
    days: 15 * 365,
    by: "job retention.daily: a consultation's key 15 years after it ended",
  },
};

/** The audit log is kept 3 years (at least the 6 months network logs need; consent proofs refer to it). */
export const AUDIT_YEARS = 3;

/** Every retention the inventory uses has a rule (so nothing is kept "forever" by omission). */
export function retentionsInUse(): Retention[] {
  const used = new Set<Retention>();
  for (const cols of Object.values(INVENTORY))
    for (const spec of Object.values(cols)) if (spec.sensitivity !== 'none') used.add(spec.retention);
  return [...used].sort();
}

export interface RetentionDeps {
  db: Db;
  keys: KeyStore;
  clock: Clock;
  policy: Pick<PolicyService, 'purgeConsentsOf'>;
  consultations: Pick<ConsultationService, 'retireEndedBefore'>;
  rights: Pick<RightsService, 'retention'>;
}

/** One pass of the period rules that the daily job runs; returns what each rule removed. */
export async function runRetention(deps: RetentionDeps) {
  const now = deps.clock.now();
  const erasedLongAgo = await deps.keys.destroyedBefore(deps.db, 'subject_erasure', new Date(now.getTime() - 3 * YEAR));
  const consents = await deps.db.transaction().execute(async (trx) => {
    const n = await deps.policy.purgeConsentsOf(trx, erasedLongAgo);
    if (n > 0)
      await auditBySystem(trx, 'retention.purged', { details: { rule: 'consent_account_plus_3y', rows: n } }, now);
    return n;
  });
  const medicalRecords = await deps.consultations.retireEndedBefore(new Date(now.getTime() - 15 * YEAR));
  const audit = await purgeAuditBefore(deps.db, new Date(now.getTime() - AUDIT_YEARS * YEAR));
  const rights = await deps.rights.retention();
  return { consents, medicalRecords, audit, ...rights };
}

export function retentionJobs(deps: RetentionDeps): JobDefinition[] {
  return [
    {
      name: 'retention.daily',
      cron: '53 2 * * *',
      async handle(_data, { log }) {
        log.info(await runRetention(deps), 'retention rules applied');
      },
    },
  ];
}

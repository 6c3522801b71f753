import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { KeyStore } from './crypto/key-store.js';
import { deriveKeys } from './crypto/master-key.js';
import type { Clock } from './platform/clock.js';
import { PolicyService } from './privacy/policy/policy.service.js';
import { IdentityService } from './features/identity/identity.service.js';
import { StaffService } from './features/identity/staff.service.js';
import type { SmsProvider } from './features/identity/sms/sms-provider.js';

/** What the process creates once and passes down: no module-level singletons anywhere else. */
export interface CoreDeps {
  config: Config;
  db: Db;
  masterKey: Buffer;
  sms: SmsProvider;
  clock: Clock;
}

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: CoreDeps) {
  const derived = deriveKeys(deps.masterKey);
  const keys = new KeyStore(derived.kek);
  const policy = new PolicyService({ db: deps.db, keys, clock: deps.clock, operator: deps.config.operator });
  const identity = new IdentityService({
    db: deps.db,
    keys,
    derived,
    sms: deps.sms,
    clock: deps.clock,
    policy,
    session: deps.config.session,
  });
  const staff = new StaffService({
    db: deps.db,
    keys,
    derived,
    clock: deps.clock,
    identity,
    publicUrl: deps.config.publicUrl,
  });
  return { derived, keys, policy, identity, staff };
}

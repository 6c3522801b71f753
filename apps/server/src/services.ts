import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { KeyStore } from './crypto/key-store.js';
import { deriveKeys } from './crypto/master-key.js';
import type { Clock } from './platform/clock.js';
import { PolicyService } from './privacy/policy/policy.service.js';
import { IdentityService } from './features/identity/identity.service.js';
import { StaffService } from './features/identity/staff.service.js';
import type { SmsProvider } from './features/identity/sms/sms-provider.js';
import path from 'node:path';
import { LocalBlobStore, type BlobStore } from './platform/blob-store.js';
import { PhotoStore } from './features/onboarding/photo.store.js';
import { OnboardingService } from './features/onboarding/onboarding.service.js';
import { ReviewService } from './features/onboarding/review.service.js';
import { NoticeService } from './features/notices/notices.service.js';
import { PushService } from './features/push/push.service.js';
import { DirectoryService } from './features/directory/directory.service.js';
import { ConsultationService } from './features/consultations/consultations.service.js';
import { CrisisService } from './features/crisis/crisis.service.js';
import { MediaStore } from './features/consultations/media.store.js';
import { CallService } from './features/calls/calls.service.js';
import { InProcessBus, type MessageBus } from './realtime/bus.js';

/** What the process creates once and passes down: no module-level singletons anywhere else. */
export interface CoreDeps {
  config: Config;
  db: Db;
  masterKey: Buffer;
  sms: SmsProvider;
  clock: Clock;
  /** Encrypted file storage; defaults to a folder in the data dir. */
  blobStore?: BlobStore;
  /** Event fan-out; in-process by default (one server). */
  bus?: MessageBus;
}

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: CoreDeps) {
  const derived = deriveKeys(deps.masterKey);
  const keys = new KeyStore(derived.kek);
  const policy = new PolicyService({ db: deps.db, keys, clock: deps.clock, operator: deps.config.operator });
  const bus = deps.bus ?? new InProcessBus();
  const identity = new IdentityService({
    bus,
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
  const blobStore = deps.blobStore ?? new LocalBlobStore(path.join(deps.config.dataDir, 'blobs'));
  const photos = new PhotoStore(keys, blobStore);
  const push = new PushService({
    db: deps.db,
    keys,
    derived,
    clock: deps.clock,
    vapidSubject: `mailto:${deps.config.operator.email}`,
  });
  const notices = new NoticeService({ db: deps.db, clock: deps.clock, onCreated: (trx, n) => push.enqueue(trx, n) });
  const onboarding = new OnboardingService({ db: deps.db, keys, derived, clock: deps.clock, policy, photos });
  const review = new ReviewService({ db: deps.db, keys, clock: deps.clock, onboarding, photos, notices, policy });
  const directory = new DirectoryService({ db: deps.db, photos });
  const media = new MediaStore(keys, blobStore);
  const crisis = new CrisisService({ db: deps.db, keys, clock: deps.clock, notices, config: deps.config.crisis });
  const consultations = new ConsultationService({
    db: deps.db,
    keys,
    clock: deps.clock,
    policy,
    bus,
    notices,
    media,
    inspectors: [crisis.inspector],
    crisis: {
      openUnacknowledgedEscalation: crisis.openUnacknowledgedEscalation,
      resolveOnEnd: crisis.resolveOnEnd,
      hasOpenEscalation: crisis.hasOpenEscalation,
      consultationsWithOpenEscalation: crisis.consultationsWithOpenEscalation,
    },
    doctors: directory,
  });
  const calls = new CallService({ db: deps.db, clock: deps.clock, bus, notices, config: deps.config.calls });
  return {
    derived,
    keys,
    policy,
    identity,
    staff,
    photos,
    notices,
    push,
    onboarding,
    review,
    directory,
    bus,
    consultations,
    media,
    crisis,
    calls,
  };
}

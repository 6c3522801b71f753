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
import { PersonalDataRegistry } from './privacy/subject-data/ports.js';
import { createConsultationsPort } from './features/consultations/consultations.port.js';
import { createCallsPort } from './features/calls/calls.port.js';
import { createCrisisPort } from './features/crisis/crisis.port.js';
import { createOnboardingPort } from './features/onboarding/onboarding.port.js';
import { createDirectoryPort } from './features/directory/directory.port.js';
import { createNoticesPort } from './features/notices/notices.port.js';
import { createPushPort } from './features/push/push.port.js';
import { createPolicyPort } from './privacy/policy/policy.port.js';
import { createAuditPort } from './privacy/audit/audit.port.js';
import { createIdentityPort } from './features/identity/identity.port.js';
import { createKeyStorePort } from './crypto/key-store.port.js';
import { createRightsPort } from './privacy/rights/rights.port.js';
import { RightsService } from './privacy/rights/rights.service.js';
import { consultationSockets } from './features/consultations/consultations.socket.js';
import { crisisSockets } from './features/crisis/crisis.socket.js';
import { callSockets } from './features/calls/calls.signaling.js';

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
      handOverOnAccountClosed: crisis.handOverOnAccountClosed,
      openUnacknowledgedEscalation: crisis.openUnacknowledgedEscalation,
      resolveOnEnd: crisis.resolveOnEnd,
      hasOpenEscalation: crisis.hasOpenEscalation,
      consultationsWithOpenEscalation: crisis.consultationsWithOpenEscalation,
    },
    doctors: directory,
  });
  const calls = new CallService({ db: deps.db, clock: deps.clock, bus, notices, config: deps.config.calls });
  // Personal-data ports (privacy/subject-data): erased in this order; the key store last, since destroying a
  // person's key makes everything sealed under it unreadable.
  const personalData = new PersonalDataRegistry()
    .register(createConsultationsPort({ db: deps.db, keys, media, doctors: directory }))
    .register(createCallsPort())
    .register(createCrisisPort({ keys }))
    .register(createOnboardingPort({ db: deps.db, keys, photos, clock: deps.clock }))
    .register(createDirectoryPort())
    .register(createNoticesPort())
    .register(createPushPort({ keys }))
    .register(createPolicyPort({ keys }))
    .register(createAuditPort())
    .register(createRightsPort({ keys }))
    .register(createIdentityPort({ keys }))
    .register(createKeyStorePort({ keys }));
  const rights = new RightsService({
    db: deps.db,
    keys,
    clock: deps.clock,
    config: deps.config,
    personalData,
    identity,
    notices,
    consultations,
    sms: { id: deps.sms.id, isLocalOnly: deps.sms.isLocalOnly },
    backupRetentionDays: deps.config.backupRetentionDays,
  });

  return {
    derived,
    rights,
    personalData,
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
    /** What speaks on the WebSocket; realtime/ws.routes.ts knows none of them. */
    socketFeatures: [
      consultationSockets({ consultations, bus }),
      crisisSockets({ crisis, bus }),
      callSockets({ calls, bus }),
    ],
  };
}

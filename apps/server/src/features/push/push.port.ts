import type { Queryable } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { ErasureStep, PersonalDataPort, Subject, SubjectExport } from '../../privacy/subject-data/ports.js';
import { WEB_PUSH_SERVICES } from '../../privacy/inventory/push-recipients.js';
import * as repo from './push.repo.js';

const iso = (t: Date | string | null) => (t === null ? null : new Date(t).toISOString());
const subscriptionRef = (rowId: string) => ({ table: 'push_subscriptions', column: 'subscription_enc', rowId });

/**
 * What the person sees of a browser subscription. Shown: which app subscribed, on which signed-in session, when,
 * when a push last got through, and who receives the pushes: the push service (its declared name) and the host of
 * the endpoint, decrypted from the stored subscription so it shows what we hold, not what we expect to hold.
 * Not shown, only said to exist: the rest of the endpoint URL (the browser's per-device push token) and the keys
 * p256dh and auth. They are credentials the browser made, not information the person gave: RFC 8030 treats the
 * endpoint as a capability URL and RFC 8291 the auth secret as the secret that opens every push, an export is a
 * file that leaves our protection (downloads folder, e-mail), and the person can do nothing with them (a
 * subscription works only with this server's VAPID key, so it cannot be carried to another service). Nor the
 * endpoint's blind index: a keyed hash that means nothing outside this database. Turning notifications off on the
 * device, or erasure, removes all of it.
 */
function subscriptionView(
  row: Awaited<ReturnType<typeof repo.subscriptionsForExport>>[number],
  endpointHost: string | null,
) {
  const service = WEB_PUSH_SERVICES.find((s) => s.processor.id === row.service)?.processor;
  return {
    id: row.id,
    app: row.app,
    channel: row.channel,
    pushService: { id: row.service, name: service?.name ?? null, privacyPolicy: service?.link ?? null },
    pushServiceHost: endpointHost,
    signedInSession: row.session_id,
    subscribedAt: iso(row.created_at),
    lastDeliveredAt: iso(row.last_delivered_at),
    endpointAddress: 'kept encrypted under your key; not shown: it is the push token your browser made',
    encryptionKeys: 'kept encrypted under your key; not shown: they are the secret keys your browser made',
    endpointBlindIndex: 'a keyed hash of the endpoint, used to recognise the same browser subscribing again',
  };
}

/**
 * Push notifications (NOT-1, NOT-2, SEC-2): the person's browser subscriptions and notification settings.
 * Erasure deletes both in either mode: subscriptions are held on consent until push is turned off, settings only
 * serve the person, and no one else needs or may keep them. Nothing to correct here: the person changes their
 * settings in the app, and a subscription is replaced by subscribing again.
 */
export function createPushPort(deps: { keys: KeyStore }): PersonalDataPort {
  /** The endpoint's host, or null when the person's key was already destroyed (then nothing is readable). */
  async function endpointHost(db: Queryable, userId: string, id: string, sealed: Buffer): Promise<string | null> {
    const text = await deps.keys.decryptTextIfKept(db, userId, subscriptionRef(id), sealed);
    return text === null ? null : new URL((JSON.parse(text) as { endpoint: string }).endpoint).host;
  }

  return {
    describe: () => ({
      owner: 'features/push/push.repo.ts',
      columns: {
        push_subscriptions: ['user_id', 'service', 'endpoint_bidx', 'subscription_enc'],
        push_preferences: [
          'user_id',
          'messages',
          'calls',
          'consultations',
          'review',
          'quiet_enabled',
          'quiet_start',
          'quiet_end',
          'time_zone',
        ],
      },
    }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const { userId } = subject;
      const subscriptions = [];
      for (const row of await repo.subscriptionsForExport(db, userId))
        subscriptions.push(subscriptionView(row, await endpointHost(db, userId, row.id, row.subscription_enc)));
      const prefs = await repo.findPreferences(db, userId);
      return {
        data: {
          pushSubscriptions: subscriptions,
          // null: never changed, so the defaults apply (every category on, no quiet hours).
          notificationSettings: prefs
            ? {
                categories: {
                  messages: prefs.messages,
                  calls: prefs.calls,
                  consultations: prefs.consultations,
                  review: prefs.review,
                },
                quietHours: {
                  enabled: prefs.quiet_enabled,
                  start: prefs.quiet_start,
                  end: prefs.quiet_end,
                  timeZone: prefs.time_zone,
                },
                changedAt: iso(prefs.updated_at),
              }
            : null,
        },
        files: [],
      };
    },

    // The same in both modes: see above.
    async erase(db: Queryable, subject: Subject): Promise<ErasureStep[]> {
      const subscriptions = await repo.deleteSubscriptionsOfUser(db, subject.userId);
      const preferences = await repo.deletePreferencesOfUser(db, subject.userId);
      return [
        { table: 'push_subscriptions', action: 'deleted', rows: subscriptions },
        { table: 'push_preferences', action: 'deleted', rows: preferences },
      ];
    },
  };
}

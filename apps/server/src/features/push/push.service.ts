import crypto from 'node:crypto';
import webpush from 'web-push';
import type { Logger } from 'pino';
import type { PushPreferences, PushPreferencesBody, PushSubscriptionBody } from '@anxin/contracts';
import { checkQuietHours, decidePush, DEFAULT_NOTIFY_PREFERENCES, type NotifyPreferences } from '@anxin/domain';
import type { Db, Queryable, Tx } from '../../db/database.js';
import { open, seal } from '../../crypto/aead.js';
import { blindIndex } from '../../crypto/blind-index.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { DerivedKeys } from '../../crypto/master-key.js';
import type { Actor } from '../identity/identity.service.js';
import type { RequestMeta } from '../../privacy/policy/policy.service.js';
import { auditBy, auditBySystem } from '../../privacy/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { ChannelRegistry, DeliveryResult, VapidDetails, WebPushTarget } from './channels.js';
import { buildPushPayload, deliveryOptionsFor } from './push-payload.js';
import { webPushServiceFor } from '../../privacy/inventory/push-recipients.js';
import * as repo from './push.repo.js';
import * as noticesRepo from '../notices/notices.repo.js';

export interface PushDeps {
  db: Db;
  keys: KeyStore;
  derived: DerivedKeys;
  clock: Clock;
  /** VAPID `sub`: how a push service can reach the operator (mailto: or https:). */
  vapidSubject: string;
}

/** A delivery job: ids only (pg-boss keeps job data in clear). */
export interface DeliveryJob {
  noticeId: string;
  subscriptionId: string;
}

/** Thrown by `deliver` for a temporary failure, so the job system retries with backoff. */
export class PushRetryError extends Error {
  constructor() {
    super('push service temporarily unavailable; will retry');
  }
}

const subscriptionRef = (rowId: string) => ({ table: 'push_subscriptions', column: 'subscription_enc', rowId });
/**
 * The VAPID private key belongs to no person, so it is not sealed under a KeyStore subject: a person's erasure
 * must never touch it, and it must not sit among the per-person keys that crypto-shredding and restores manage.
 * It is sealed instead with its own key derived from the master key (HKDF "anxin/server-secrets/v1"), bound to
 * its public key, so it is as safe as every person's key-encryption key and restores with the same master key.
 */
const vapidAad = (publicKey: string) => `anxin:server-secret:v1:push_vapid_keys.private_key_enc:${publicKey}`;

function b64urlBytes(value: string): Buffer | null {
  const trimmed = value.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) return null;
  return Buffer.from(trimmed, 'base64url');
}

function sessionIsLive(
  s: {
    revoked_at: Date | null;
    absolute_expires_at: Date;
    last_seen_at: Date;
    idle_timeout_seconds: number;
  },
  now: Date,
): boolean {
  if (s.revoked_at) return false;
  if (now >= new Date(s.absolute_expires_at)) return false;
  return now.getTime() < new Date(s.last_seen_at).getTime() + s.idle_timeout_seconds * 1000;
}

/**
 * Web Push (NOT-1, NOT-2): the VAPID key pair, subscriptions per signed-in device, preferences and quiet hours,
 * the transactional outbox that turns notices into delivery jobs, and delivery itself.
 */
export class PushService {
  private vapid: Promise<VapidDetails> | null = null;

  constructor(private readonly deps: PushDeps) {}

  /** Loaded once per process; made (and stored sealed) on first start. */
  vapidDetails(): Promise<VapidDetails> {
    this.vapid ??= this.loadOrCreateVapid().catch((err: unknown) => {
      this.vapid = null;
      throw err;
    });
    return this.vapid;
  }

  private async loadOrCreateVapid(): Promise<VapidDetails> {
    const { db, derived } = this.deps;
    let row = await repo.findVapidKeys(db);
    if (!row) {
      const fresh = webpush.generateVAPIDKeys();
      await repo.insertVapidKeysIfAbsent(db, {
        id: 1,
        public_key: fresh.publicKey,
        private_key_enc: seal(derived.serverSecrets, Buffer.from(fresh.privateKey, 'utf8'), vapidAad(fresh.publicKey)),
      });
      // Another process may have won the race: everyone uses the stored pair.
      row = await repo.vapidKeys(db);
    }
    const privateKey = open(derived.serverSecrets, row.private_key_enc, vapidAad(row.public_key)).toString('utf8');
    return { subject: this.deps.vapidSubject, publicKey: row.public_key, privateKey };
  }

  async vapidPublicKey(): Promise<string> {
    return (await this.vapidDetails()).publicKey;
  }

  // ---- subscriptions -------------------------------------------------------------------------------------

  /** Checks a browser subscription: an https endpoint of a declared push service and well-formed keys. */
  private validate(body: PushSubscriptionBody): { target: WebPushTarget; service: string } {
    let url: URL;
    try {
      url = new URL(body.endpoint);
    } catch {
      throw new AppError('PUSH_ENDPOINT_INVALID', { field: 'endpoint' });
    }
    if (url.protocol !== 'https:' || url.username || url.password || url.port !== '' || url.hash)
      throw new AppError('PUSH_ENDPOINT_INVALID', { field: 'endpoint' });
    const service = webPushServiceFor(url);
    if (!service) throw new AppError('PUSH_SERVICE_UNSUPPORTED', { field: 'endpoint' });
    const p256dh = b64urlBytes(body.keys.p256dh);
    const auth = b64urlBytes(body.keys.auth);
    let pointOk = false;
    if (p256dh && p256dh.length === 65 && p256dh[0] === 0x04) {
      try {
        crypto.ECDH.convertKey(p256dh, 'prime256v1', undefined, undefined, 'uncompressed');
        pointOk = true;
      } catch {
        pointOk = false;
      }
    }
    if (!pointOk) throw new AppError('PUSH_KEYS_INVALID', { field: 'keys.p256dh' });
    if (!auth || auth.length !== 16) throw new AppError('PUSH_KEYS_INVALID', { field: 'keys.auth' });
    return {
      target: {
        channel: 'webpush',
        endpoint: url.toString(),
        keys: { p256dh: p256dh!.toString('base64url'), auth: auth.toString('base64url') },
      },
      service: service.processor.id,
    };
  }

  /**
   * Subscribes the device this session runs on (one subscription per session). Re-sending the same subscription
   * is a no-op; a browser that made a new one replaces the old; an endpoint another session registered moves here
   * (only the browser holding the subscription knows its secret endpoint URL).
   */
  async subscribe(actor: Actor, body: PushSubscriptionBody, meta: RequestMeta): Promise<void> {
    const app = actor.app;
    if (app !== 'doctor' && app !== 'patient') throw new AppError('WRONG_APP');
    const { target, service } = this.validate(body);
    const bidx = blindIndex(this.deps.derived.blindIndex, 'push_endpoint', target.endpoint);
    await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      const existing = await repo.lockByEndpoint(trx, bidx);
      if (existing && existing.user_id === actor.userId && existing.session_id === actor.sessionId) return;
      const replaced = await repo.deleteByEndpointOrSession(trx, bidx, actor.sessionId);
      for (const r of replaced.filter((x) => x.user_id !== actor.userId))
        await auditBy(
          trx,
          actor,
          meta,
          'push.unsubscribed',
          { subjectId: r.user_id, details: { subscriptionId: r.id, reason: 'moved_to_another_account' } },
          now,
        );
      const id = crypto.randomUUID();
      await repo.insertSubscription(trx, {
        id,
        user_id: actor.userId,
        session_id: actor.sessionId,
        channel: 'webpush',
        app,
        service,
        endpoint_bidx: bidx,
        subscription_enc: await this.deps.keys.encrypt(
          trx,
          actor.userId,
          subscriptionRef(id),
          JSON.stringify({ endpoint: target.endpoint, keys: target.keys }),
        ),
        created_at: now,
      });
      await auditBy(
        trx,
        actor,
        meta,
        'push.subscribed',
        { subjectId: actor.userId, details: { subscriptionId: id, service, replaced: replaced.map((r) => r.id) } },
        now,
      );
    });
  }

  /** Turns push off for this device. Idempotent: nothing to remove is not an error. Never touches other users. */
  async unsubscribeCurrent(actor: Actor, meta: RequestMeta): Promise<{ removed: number }> {
    return this.deps.db.transaction().execute(async (trx) => {
      const removed = await repo.deleteForSession(trx, actor.sessionId, actor.userId);
      if (removed.length > 0)
        await auditBy(
          trx,
          actor,
          meta,
          'push.unsubscribed',
          { subjectId: actor.userId, details: { subscriptionIds: removed.map((r) => r.id), reason: 'turned_off' } },
          this.deps.clock.now(),
        );
      return { removed: removed.length };
    });
  }

  // ---- preferences ---------------------------------------------------------------------------------------

  async loadPreferences(db: Queryable, userId: string): Promise<NotifyPreferences> {
    const row = await repo.findPreferences(db, userId);
    if (!row) return DEFAULT_NOTIFY_PREFERENCES;
    return {
      categories: { messages: row.messages, calls: row.calls, consultations: row.consultations, review: row.review },
      quietHours: { enabled: row.quiet_enabled, start: row.quiet_start, end: row.quiet_end, timeZone: row.time_zone },
    };
  }

  async preferences(actor: Actor): Promise<PushPreferences> {
    const { db, clock } = this.deps;
    const prefs = await this.loadPreferences(db, actor.userId);
    const subs = await repo.sessionsOfSubscriptions(db, actor.userId);
    const now = clock.now();
    const live = subs.filter((s) => sessionIsLive(s, now));
    return {
      categories: { ...prefs.categories },
      quietHours: { ...prefs.quietHours },
      thisDevice: live.some((s) => s.session_id === actor.sessionId),
      devices: live.length,
    };
  }

  async updatePreferences(actor: Actor, body: PushPreferencesBody, meta: RequestMeta): Promise<PushPreferences> {
    const check = checkQuietHours(body.quietHours);
    if (!check.ok) throw new AppError(check.code, { field: check.field });
    await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      const values = {
        messages: body.categories.messages,
        calls: body.categories.calls,
        consultations: body.categories.consultations,
        review: body.categories.review,
        quiet_enabled: body.quietHours.enabled,
        quiet_start: body.quietHours.start,
        quiet_end: body.quietHours.end,
        time_zone: body.quietHours.timeZone,
        updated_at: now,
      };
      await repo.upsertPreferences(trx, actor.userId, values);
      await auditBy(
        trx,
        actor,
        meta,
        'push.preferences_updated',
        {
          subjectId: actor.userId,
          details: {
            categoriesOff: Object.entries(body.categories)
              .filter(([, on]) => !on)
              .map(([c]) => c),
            quietHours: body.quietHours.enabled,
          },
        },
        now,
      );
    });
    return this.preferences(actor);
  }

  // ---- outbox and delivery -------------------------------------------------------------------------------

  /** Called by NoticeService.create inside the notice's own transaction: commits or rolls back with it. */
  async enqueue(trx: Queryable, notice: { id: string }): Promise<void> {
    await repo.enqueue(trx, notice.id, this.deps.clock.now());
  }

  /**
   * Moves outbox rows into delivery jobs, one per live subscription, in one transaction: `sendJob` must enqueue
   * on that transaction, so an outbox row is deleted exactly when its jobs exist. Notices that the person's
   * preferences or quiet hours suppress are dropped here (the in-app notice stays). Returns the rows handled.
   */
  async drain(sendJob: (trx: Tx, job: DeliveryJob) => Promise<void>, limit = 100): Promise<number> {
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const batch = await repo.lockOutboxBatch(trx, limit);
      if (batch.length === 0) return 0;
      // Owner and kind come from the notices repository. The outbox row's foreign key (on delete cascade) means
      // every locked row has its notice; a row without one would be left alone, as an inner join would.
      const notices = await noticesRepo.ownersAndKinds(
        trx,
        batch.map((r) => r.notice_id),
      );
      const owners = new Map(notices.map((n) => [n.id, n]));
      const rows = batch.flatMap((r) => {
        const n = owners.get(r.notice_id);
        return n ? [{ id: r.id, notice_id: r.notice_id, user_id: n.user_id, kind: n.kind }] : [];
      });
      if (rows.length === 0) return 0;
      const now = clock.now();
      for (const row of rows) {
        const prefs = await this.loadPreferences(trx, row.user_id);
        if (!decidePush(row.kind, prefs, now).push) continue;
        for (const subscriptionId of await this.liveSubscriptionIds(trx, row.user_id, now))
          await sendJob(trx, { noticeId: row.notice_id, subscriptionId });
      }
      await repo.deleteOutbox(
        trx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }

  private async liveSubscriptionIds(db: Queryable, userId: string, now: Date): Promise<string[]> {
    const subs = await repo.subscriptionsWithSessions(db, userId);
    return subs.filter((s) => sessionIsLive(s, now)).map((s) => s.id);
  }

  /**
   * Delivers one notice to one subscription. Re-checks everything that may have changed since the outbox was
   * drained (signed out, notice already read, preferences, quiet hours). Throws PushRetryError on a temporary
   * failure so the job is retried; deletes the subscription when the push service says it is gone.
   */
  async deliver(job: DeliveryJob, channels: ChannelRegistry, log?: Logger): Promise<DeliveryResult | 'skipped'> {
    const { db, keys, clock } = this.deps;
    const now = clock.now();
    const sub = await repo.deliveryTarget(db, job.subscriptionId);
    if (!sub) return 'skipped';
    if (!sessionIsLive(sub, now) || sub.status !== 'active') {
      // The device is signed out: it will never receive anything again under this subscription.
      await repo.deleteSubscription(db, sub.id);
      return 'skipped';
    }
    const notice = await noticesRepo.forPushDelivery(db, job.noticeId);
    if (!notice || notice.user_id !== sub.user_id || notice.read_at) return 'skipped';
    if (!decidePush(notice.kind, await this.loadPreferences(db, sub.user_id), now).push) return 'skipped';
    const channel = channels.get(sub.channel);
    if (!channel) {
      log?.warn({ subscriptionId: sub.id, channel: sub.channel }, 'push channel not available; not delivered');
      return 'failed';
    }
    const stored = JSON.parse(
      await keys.decryptText(db, sub.user_id, subscriptionRef(sub.id), sub.subscription_enc),
    ) as Omit<WebPushTarget, 'channel'>;
    const payload = buildPushPayload({
      id: notice.id,
      kind: notice.kind,
      data: notice.data,
      locale: sub.locale,
      app: sub.app,
    });
    const result = await channel.send({ channel: 'webpush', ...stored }, payload, deliveryOptionsFor(notice.kind));
    if (result === 'delivered') {
      await repo.markDelivered(db, sub.id, now);
    } else if (result === 'gone') {
      await db.transaction().execute(async (trx) => {
        const res = await repo.deleteSubscription(trx, sub.id);
        if (Number(res.numDeletedRows) > 0)
          await auditBySystem(
            trx,
            'push.unsubscribed',
            { subjectId: sub.user_id, details: { subscriptionIds: [sub.id], reason: 'push_service_gone' } },
            now,
          );
      });
    } else if (result === 'retry') {
      throw new PushRetryError();
    } else {
      log?.warn({ subscriptionId: sub.id, noticeId: notice.id }, 'push service refused the notification');
    }
    log?.debug({ subscriptionId: sub.id, noticeId: notice.id, result }, 'push delivery');
    return result;
  }
}

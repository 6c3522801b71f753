import webpush from 'web-push';
import type { PushPayload } from '@anxin/contracts';
import { VENDOR_PROCESSORS } from '../../privacy/inventory/push-recipients.js';

/**
 * How a push leaves the server. Every channel takes a target holding exactly the data its recipient receives
 * (declared in privacy/inventory/push-recipients.ts) and a content-free payload, and says what happened:
 * - `delivered`: the push service accepted it;
 * - `gone`: the subscription no longer exists (404/410): delete it;
 * - `retry`: a temporary failure (network, 429, 5xx): the job tries again later with backoff;
 * - `failed`: this message was refused for good (e.g. 400, 413): not retried, the subscription is kept.
 */
export type DeliveryResult = 'delivered' | 'gone' | 'retry' | 'failed';

export interface WebPushTarget {
  channel: 'webpush';
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** What a phone vendor's push API would receive: its own token, the device model and OS version, nothing more. */
export interface VendorPushTarget {
  channel: VendorChannelId;
  token: string;
  deviceModel: string;
  osVersion: string;
}

export type PushTarget = WebPushTarget | VendorPushTarget;
export type VendorChannelId = keyof typeof VENDOR_PROCESSORS;
export type ChannelId = 'webpush' | VendorChannelId;

/** How long the push service may keep an undelivered notification, and how urgently to wake the device. */
export interface SendOptions {
  ttlSeconds: number;
  urgency: 'normal' | 'high';
}

export interface PushChannel<T extends PushTarget = PushTarget> {
  readonly id: ChannelId;
  /** Whether this channel may be selected at run time. Unimplemented channels say false, and are never used. */
  readonly available: boolean;
  send(target: T, payload: PushPayload, options?: SendOptions): Promise<DeliveryResult>;
}

export interface VapidDetails {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/** The HTTP request web-push builds (headers with the VAPID JWT, the aes128gcm body). */
export interface PushHttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
}
export type PushTransport = (req: PushHttpRequest) => Promise<{ status: number }>;

/** The real transport: one POST, no redirects followed, a 10 s limit; the response body is discarded. */
export const fetchTransport: PushTransport = async (req) => {
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer().catch(() => undefined);
  return { status: res.status };
};

export function classifyStatus(status: number): DeliveryResult {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 404 || status === 410) return 'gone';
  if (status === 429 || status >= 500 || status === 408) return 'retry';
  return 'failed';
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), built by `web-push`.
 * The request is sent by our own transport so that redirects are never followed and tests can point it at a
 * local server.
 */
export class WebPushChannel implements PushChannel<WebPushTarget> {
  readonly id = 'webpush' as const;
  readonly available = true;

  constructor(
    private readonly opts: {
      vapid: () => Promise<VapidDetails>;
      transport?: PushTransport;
    },
  ) {}

  async buildRequest(
    target: WebPushTarget,
    payload: PushPayload,
    options: SendOptions = { ttlSeconds: 24 * 3600, urgency: 'normal' },
  ): Promise<PushHttpRequest> {
    const details = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: target.keys },
      JSON.stringify(payload),
      {
        vapidDetails: await this.opts.vapid(),
        TTL: options.ttlSeconds,
        urgency: options.urgency,
        contentEncoding: 'aes128gcm',
      },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
    return {
      url: details.endpoint,
      method: details.method,
      headers,
      body: details.body ? Buffer.from(details.body) : null,
    };
  }

  async send(target: WebPushTarget, payload: PushPayload, options?: SendOptions): Promise<DeliveryResult> {
    const req = await this.buildRequest(target, payload, options);
    try {
      const res = await (this.opts.transport ?? fetchTransport)(req);
      return classifyStatus(res.status);
    } catch {
      return 'retry';
    }
  }
}

/**
 * A phone vendor's push channel, declared so the interface, the target data and the privacy declaration exist,
 * but NOT implemented: this version has no native app, so there is no vendor token to send to. It is not
 * available, the registry refuses it, and sending through it throws.
 */
export class UnimplementedVendorChannel implements PushChannel<VendorPushTarget> {
  readonly available = false;
  constructor(readonly id: VendorChannelId) {}
  async send(): Promise<DeliveryResult> {
    throw new Error(`push channel "${this.id}" is not implemented in this version`);
  }
}

export const VENDOR_CHANNELS: UnimplementedVendorChannel[] = (Object.keys(VENDOR_PROCESSORS) as VendorChannelId[]).map(
  (id) => new UnimplementedVendorChannel(id),
);

/** The channels that may be used at run time: only available ones get in. */
export class ChannelRegistry {
  private readonly byId = new Map<ChannelId, PushChannel>();

  constructor(channels: PushChannel[]) {
    for (const c of channels) {
      if (!c.available) throw new Error(`push channel "${c.id}" is not available and cannot be registered`);
      this.byId.set(c.id, c);
    }
  }

  get(id: ChannelId): PushChannel | null {
    return this.byId.get(id) ?? null;
  }

  ids(): ChannelId[] {
    return [...this.byId.keys()];
  }
}

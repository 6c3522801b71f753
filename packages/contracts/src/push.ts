import Type from 'typebox';

/** The server's VAPID public key (RFC 8292), base64url: the browser's `applicationServerKey`. */
export const VapidPublicKey = Type.Object({ publicKey: Type.String() });
export type VapidPublicKey = Type.Static<typeof VapidPublicKey>;

const base64url = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$' });

/**
 * A browser's PushSubscription as `subscription.toJSON()` gives it. The endpoint is a capability URL of the
 * browser vendor's push service: personal data, stored encrypted.
 */
export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 12, maxLength: 1024 }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object(
      {
        /** The browser's P-256 public key, uncompressed point (65 bytes). */
        p256dh: base64url(80, 100),
        /** The 16-byte authentication secret. */
        auth: base64url(16, 32),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PushSubscriptionBody = Type.Static<typeof PushSubscriptionBody>;

export const PushCategory = Type.Union([
  Type.Literal('messages'),
  Type.Literal('calls'),
  Type.Literal('consultations'),
  Type.Literal('review'),
]);
export type PushCategory = Type.Static<typeof PushCategory>;

const clockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

export const PushPreferencesBody = Type.Object(
  {
    categories: Type.Object(
      { messages: Type.Boolean(), calls: Type.Boolean(), consultations: Type.Boolean(), review: Type.Boolean() },
      { additionalProperties: false },
    ),
    quietHours: Type.Object(
      {
        enabled: Type.Boolean(),
        /** Local "HH:MM", inclusive. */
        start: clockTime,
        /** Local "HH:MM", exclusive; earlier than start = crosses midnight. */
        end: clockTime,
        /** IANA time zone; Asia/Shanghai unless the person chose another. */
        timeZone: Type.String({ minLength: 1, maxLength: 64 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PushPreferencesBody = Type.Static<typeof PushPreferencesBody>;

export const PushPreferences = Type.Intersect([
  PushPreferencesBody,
  Type.Object({
    /** Whether the device this session runs on is subscribed. */
    thisDevice: Type.Boolean(),
    /** How many of this account's signed-in devices receive notifications. */
    devices: Type.Integer(),
  }),
]);
export type PushPreferences = Type.Static<typeof PushPreferences>;

/**
 * What the service worker receives, encrypted end to end (RFC 8291): words chosen from the notice kind only,
 * never a name or message content, and a same-origin path with ids.
 */
export interface PushPayload {
  v: 1;
  title: string;
  body: string;
  /** Same-origin path to open on click, e.g. `/patient/consultations/<id>`. */
  url: string;
  /** Collapses notifications about the same thing. */
  tag: string;
}

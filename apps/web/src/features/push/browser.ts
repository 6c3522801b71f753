/**
 * The browser side of Web Push: the service worker registration of this app's scope, the permission and the
 * PushSubscription. The permission is only ever requested from `turnOn`, i.e. when the person taps
 * "Turn on notifications" (PER-1).
 */
import type { PushSubscriptionBody } from '@anxin/contracts';
import { pushApi } from '../../lib/api';
import { base64UrlToBytes, sameKey, type Permission, type PushEnvironment } from './model';

type AppName = 'doctor' | 'patient';
const scopeOf = (app: AppName) => (app === 'doctor' ? '/' : '/patient/');

export function pushEnvironment(): PushEnvironment {
  const nav = navigator as Navigator & { standalone?: boolean };
  const ua = nav.userAgent;
  return {
    hasServiceWorker: 'serviceWorker' in nav,
    hasPushManager: 'PushManager' in window,
    hasNotification: 'Notification' in window,
    isIos: /iPad|iPhone|iPod/.test(ua) || (ua.includes('Macintosh') && nav.maxTouchPoints > 1),
    isStandalone: window.matchMedia?.('(display-mode: standalone)').matches === true || nav.standalone === true,
  };
}

export function currentPermission(): Permission {
  return 'Notification' in window ? (Notification.permission as Permission) : 'default';
}

async function existingRegistration(app: AppName): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  const reg = await navigator.serviceWorker.getRegistration(scopeOf(app));
  // The doctor scope "/" also matches /patient/…: only a registration of exactly this app's scope counts.
  return reg && new URL(reg.scope).pathname === scopeOf(app) ? reg : null;
}

/** The app's worker, registered now if needed (production builds register it at start; dev builds do not). */
async function activeRegistration(app: AppName): Promise<ServiceWorkerRegistration> {
  const reg =
    (await existingRegistration(app)) ?? (await navigator.serviceWorker.register('/sw.js', { scope: scopeOf(app) }));
  if (reg.active) return reg;
  const worker = reg.installing ?? reg.waiting;
  if (worker)
    await new Promise<void>((resolve) => {
      const done = () => {
        if (worker.state === 'activated' || worker.state === 'redundant') resolve();
      };
      worker.addEventListener('statechange', done);
      done();
    });
  return reg;
}

export async function currentSubscription(app: AppName): Promise<PushSubscription | null> {
  try {
    const reg = await existingRegistration(app);
    return reg ? await reg.pushManager.getSubscription() : null;
  } catch {
    return null;
  }
}

export type TurnOnResult = 'on' | Exclude<Permission, 'granted'>;

/**
 * Asks for the permission (must be the first thing the tap handler does: Safari only asks from a user gesture),
 * then subscribes with the server's VAPID key and registers the subscription for this session.
 */
export async function turnOn(app: AppName): Promise<TurnOnResult> {
  const permission = (await Notification.requestPermission()) as Permission;
  if (permission !== 'granted') return permission;
  const reg = await activeRegistration(app);
  const { publicKey } = await pushApi.vapidPublicKey();
  let sub = await reg.pushManager.getSubscription();
  if (sub && !sameKey(sub.options.applicationServerKey, publicKey)) {
    await sub.unsubscribe().catch(() => false);
    sub = null;
  }
  sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(publicKey) });
  const json = sub.toJSON();
  await pushApi.subscribe({
    endpoint: json.endpoint ?? sub.endpoint,
    expirationTime: json.expirationTime ?? null,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
  } satisfies PushSubscriptionBody);
  return 'on';
}

/** Removes this device on the server first (so nothing more is sent), then drops the browser's subscription. */
export async function turnOff(app: AppName): Promise<void> {
  await pushApi.unsubscribe();
  const sub = await currentSubscription(app);
  await sub?.unsubscribe().catch(() => false);
}

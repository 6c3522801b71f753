import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { signIn } from '../apps/server/test/harness.js';
import { hasChromium, launch, screenshot, startProduct, withCookie } from './browser.js';

const enabled = hasChromium();

let t: TestApp;
let base: string;
beforeAll(async () => {
  if (enabled) ({ t, base } = await startProduct());
});
afterAll(async () => {
  if (t) await t.close();
});

/**
 * Headless Chromium has no connection to a browser push service, so the PushManager is replaced by one that hands
 * out a subscription for a Google FCM endpoint with real P-256 keys (what the server validates and seals); the
 * permission prompt itself is Chromium's. The script counts permission requests.
 */
function pushInstrument(): string {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const p256dh = ecdh.getPublicKey().toString('base64url');
  const auth = crypto.randomBytes(16).toString('base64url');
  const endpoint = `https://fcm.googleapis.com/fcm/send/${crypto.randomBytes(12).toString('hex')}`;
  return `(() => {
    window.__push = { asked: 0 };
    const request = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = async () => { window.__push.asked++; return request(); };
    let current = null;
    PushManager.prototype.getSubscription = async function () { return current; };
    PushManager.prototype.subscribe = async function (options) {
      current = {
        endpoint: ${JSON.stringify(endpoint)},
        expirationTime: null,
        options,
        toJSON() { return { endpoint: this.endpoint, expirationTime: null, keys: { p256dh: ${JSON.stringify(p256dh)}, auth: ${JSON.stringify(auth)} } }; },
        unsubscribe: async () => { current = null; return true; },
      };
      return current;
    };
  })();`;
}

const asked = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __push: { asked: number } }).__push.asked);
const subscriptions = (userId: string) =>
  t.db.selectFrom('push_subscriptions').select('id').where('user_id', '=', userId).execute();

async function openSettings(page: Page) {
  await page.goto(`${base}/patient/me/notifications`);
  await page.getByTestId('policy-agree').or(page.getByTestId('push-settings')).first().waitFor();
  if (await page.getByTestId('policy-agree').isVisible()) await page.getByTestId('policy-agree').click();
  await page.getByTestId('push-settings').waitFor();
}

describe.skipIf(!enabled)('push notification settings', () => {
  it('PER-1, NOT-1: the notification permission is asked only when the person turns notifications on after the purpose screen; turning them off removes this device', async () => {
    const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
    const { context, page } = await launch({ width: 390, height: 844 });
    try {
      await withCookie(context, p.cookie);
      await context.grantPermissions(['notifications'], { origin: base });
      await context.addInitScript(pushInstrument());
      await openSettings(page);
      await page.getByTestId('push-purpose').waitFor();
      expect(await page.getByTestId('push-purpose').innerText()).toMatch(/通知/);
      expect(await asked(page)).toBe(0);
      expect(await subscriptions(p.me.id)).toHaveLength(0);

      await page.getByTestId('push-enable').click();
      await page.getByTestId('push-device-switch').waitFor({ timeout: 15_000 });
      expect(await asked(page)).toBe(1);
      await expect.poll(async () => (await subscriptions(p.me.id)).length).toBe(1);
      await screenshot(page, 'push-01-on');

      // Off: the server forgets this device first, then the browser subscription goes.
      await page.getByTestId('push-device-switch').click();
      await page.getByTestId('push-purpose').waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await subscriptions(p.me.id)).length).toBe(0);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('PER-1: a refused notification permission leaves in-app notices and explains how to allow it', async () => {
    const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
    const { context, page } = await launch({ width: 390, height: 844 });
    try {
      await withCookie(context, p.cookie);
      await context.addInitScript(pushInstrument());
      // Headless Chromium answers the prompt with "denied", as a person tapping "Block" would.
      await openSettings(page);
      await page.getByTestId('push-enable').click();
      await page.getByTestId('push-blocked').waitFor({ timeout: 15_000 });
      expect(await asked(page)).toBe(1);
      expect(await subscriptions(p.me.id)).toHaveLength(0);
      await screenshot(page, 'push-02-blocked');
    } finally {
      await context.close();
    }
  }, 90_000);
});

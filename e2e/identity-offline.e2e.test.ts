import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { post } from '../apps/server/test/harness.js';
import { staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { approvedDoctor, consentedPatient } from '../apps/server/test/consultation-fixtures.js';
import { hasChromium, launch, passNotice, screenshot, startProduct, withCookie } from './browser.js';

const enabled = hasChromium();

let t: TestApp;
let base: string;
beforeAll(async () => {
  if (enabled) ({ t, base } = await startProduct());
});
afterAll(async () => {
  if (t) await t.close();
});

const CONCERN =
  '焦虑障碍复诊：最近一个月又开始心慌、入睡困难，白天上班注意力不集中，晚上常常两三点才睡着，早上六点就醒，想和医生商量是否需要调整用药剂量和复查时间。';

/** The browser side of the page, typed here without the DOM library. */
interface Browser {
  navigator: { serviceWorker: { controller: unknown } };
  caches: { match(url: string): Promise<{ json(): Promise<unknown> } | undefined> };
  document: { elementFromPoint(x: number, y: number): { closest(selector: string): unknown } | null };
}

/** The service worker controls the page and holds the signed-in doctor's last work queue (its length). */
const queueKept = (page: Page) =>
  page.evaluate(async () => {
    const w = globalThis as unknown as Browser;
    if (!w.navigator.serviceWorker.controller) return false;
    const kept = await w.caches.match('/api/consultations');
    return kept ? ((await kept.json()) as { consultations: unknown[] }).consultations.length : false;
  });
const queueGone = (page: Page) =>
  page.evaluate(async () => !(await (globalThis as unknown as Browser).caches.match('/api/consultations')));

describe.skipIf(!enabled)('identity on screen and offline', () => {
  it('an approved doctor sees their own name and title; a patient has one label in queue, list and chat with what they shared; offline the shell and the last queue open with a truthful indicator and a visible back button', async () => {
    const reviewer = await staffCookie(t, ['reviewer']);
    const doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '741');
    const patient = await consentedPatient(t);
    const res = await post(
      t,
      '/api/consultations',
      { doctorId: doctor.id, concern: CONCERN, isFollowUp: true },
      patient.cookie,
    );
    expect(res.statusCode, res.body).toBe(200);

    const pb = await launch({ width: 390, height: 844 });
    const db = await launch({ width: 390, height: 844 });
    await withCookie(pb.context, patient.cookie);
    await withCookie(db.context, doctor.cookie);
    const pp = pb.page;
    const dp = db.page;
    try {
      // The patient chooses to share an age band and sex in 我的.
      await pp.goto(`${base}/patient/me`);
      await passNotice(pp, 'me-share');
      await expect.poll(() => pp.getByTestId('me-age-band').innerText()).toContain('不提供');
      await pp.getByTestId('me-age-band').click();
      await pp.getByText('20–29岁', { exact: true }).click();
      await expect.poll(() => pp.getByTestId('me-age-band').innerText()).toContain('20–29岁');
      await pp.getByTestId('me-sex').click();
      await pp.getByText('女', { exact: true }).click();
      await expect.poll(() => pp.getByTestId('me-sex').innerText()).toContain('女');
      await screenshot(pp, 'identity-01-patient-me-share');

      // The approved doctor is greeted by name and title, not "安心医生 / 未设置".
      await dp.goto(`${base}/`);
      await passNotice(dp, 'work-queue');
      await expect.poll(() => dp.getByTestId('home-greeting').innerText()).toBe('您好，林安心');
      expect(await dp.getByTestId('home-subtitle').innerText()).toContain('副主任医师');
      const label = (await dp.getByTestId('queue-patient').innerText()).trim();
      expect(label).toMatch(/^患者 [0-9A-Z]{6}$/);
      expect(await dp.getByTestId('queue-patient-facts').innerText()).toContain('20–29岁 · 女');
      const concern = await dp.getByTestId('queue-concern').innerText();
      expect(concern).toContain('主诉：焦虑障碍复诊：最近一个月又开始心慌');
      expect(concern).not.toContain('复查时间'); // the summary, not the whole text
      await expect
        .poll(() => dp.getByTestId('connection').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('online');
      await screenshot(dp, 'identity-02-doctor-queue');

      // The same label in the patient list and in the chat header.
      await dp.getByTestId('to-patients').click();
      expect((await dp.getByTestId('patient-label').innerText()).trim()).toBe(label);
      await screenshot(dp, 'identity-03-doctor-patients');
      await dp.goto(`${base}/`);
      await dp.getByTestId('queue-item').first().locator('button').first().click();
      await expect.poll(() => dp.getByTestId('chat-title').innerText()).toContain(label);
      expect(await dp.getByTestId('chat-patient-facts').innerText()).toContain('20–29岁 · 女');
      await screenshot(dp, 'identity-04-doctor-chat');

      await dp.goto(`${base}/me`);
      await expect.poll(() => dp.getByTestId('me-display-name').innerText()).toBe('林安心');
      expect(await dp.getByTestId('me-title').innerText()).toBe('副主任医师');
      await screenshot(dp, 'identity-05-doctor-me');

      // Once the service worker controls the page, the queue it fetched is kept for offline use.
      await dp.goto(`${base}/`);
      await dp.getByTestId('work-queue').waitFor();
      await expect
        .poll(
          async () => {
            if (!(await queueKept(dp))) await dp.reload();
            return queueKept(dp);
          },
          { timeout: 20_000, interval: 1_000 },
        )
        .toBe(1);

      // Offline: reload shows the shell and the last-seen queue, and the indicator says offline.
      await db.context.setOffline(true);
      await dp.reload();
      await dp.getByTestId('offline-home').waitFor({ timeout: 15_000 });
      await expect.poll(() => dp.getByTestId('queue-patient').innerText()).toBe(label);
      expect(await dp.getByTestId('connection').getAttribute('data-state')).toBe('offline');
      await dp.getByTestId('offline-banner').waitFor();
      await dp.getByTestId('queue-offline').waitFor();
      await screenshot(dp, 'identity-06-offline-queue');

      // A sub-page offline: the banner sits above the navigation bar, the back button stays visible and usable.
      await dp.getByTestId('to-patients').click();
      expect((await dp.getByTestId('patient-label').innerText()).trim()).toBe(label);
      await dp.mouse.wheel(0, 600);
      const banner = (await dp.getByTestId('offline-banner').boundingBox())!;
      const nav = (await dp.getByTestId('nav-bar').boundingBox())!;
      expect(nav.y).toBeGreaterThanOrEqual(banner.y + banner.height - 1);
      const back = dp.locator('[data-testid="nav-bar"] .adm-nav-bar-back');
      const box = (await back.boundingBox())!;
      const hit = await dp.evaluate(
        ([x, y]) =>
          Boolean((globalThis as unknown as Browser).document.elementFromPoint(x!, y!)?.closest('.adm-nav-bar-back')),
        [box.x + box.width / 2, box.y + box.height / 2],
      );
      expect(hit).toBe(true);
      await screenshot(dp, 'identity-07-offline-back-button');
      await back.click();
      await dp.getByTestId('offline-home').waitFor();

      // Back online: the indicator follows the real connection and the signed-in app returns by itself.
      await db.context.setOffline(false);
      await dp.getByTestId('home').waitFor({ timeout: 20_000 });
      await expect
        .poll(() => dp.getByTestId('connection').getAttribute('data-state'), { timeout: 15_000 })
        .toBe('online');

      // Signing out drops the kept queue with the session.
      await dp.goto(`${base}/me`);
      await dp.getByTestId('sign-out').click();
      await dp.waitForURL(/\/sign-in/);
      await expect.poll(() => queueGone(dp)).toBe(true);
    } finally {
      await pb.context.close();
      await db.context.close();
    }
  }, 180_000);
});

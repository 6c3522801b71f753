import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { hasChromium, launch, screenshot, startProduct, waitForCode } from './browser.js';

const enabled = hasChromium();

let t: TestApp;
let base: string;
beforeAll(async () => {
  if (enabled) ({ t, base } = await startProduct());
});
afterAll(async () => {
  if (t) await t.close();
});

/** What a version number, a rule id or a SHA-256 fingerprint looks like on screen. */
const INTERNALS = /第\s*\d+\s*版|版本\s*\d|[Vv]ersion\s*\d|SHA-?256|哈希|指纹|[0-9a-f]{8}…|[0-9a-f]{32,}/;

const DAY = 86_400_000;

async function sessionCookie(page: Page) {
  return (await page.context().cookies()).find((c) => c.name === 'anxin_session');
}

describe.skipIf(!enabled)('first visit of a new doctor at 390×844', () => {
  it('POL-1 / ACC-4: the notice asks once, sign-in shows the agreement as given, 《用户协议》 is the agreement (not the policy), keep-signed-in is on and the cookie lasts 30 days, and no page shows a version or a hash', async () => {
    const { context, page } = await launch({ width: 390, height: 844 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const api: string[] = [];
    page.on('request', (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith('/api/')) api.push(p);
    });
    try {
      await page.goto(`${base}/`);
      await page.getByTestId('policy-notice').waitFor();
      // POL-1: nothing but the policy is requested before consent; the notice names both documents.
      expect(api).toEqual(['/api/policy/current']);
      expect(await page.getByTestId('notice-agree-line').innerText()).toMatch(/《用户协议》和《隐私政策》/);
      await screenshot(page, 'first-visit-01-notice');
      await page.getByTestId('policy-agree').click();

      // One consent step: the sign-in page shows the agreement as given and does not ask again.
      await page.getByTestId('sign-in').waitFor();
      expect(await page.getByTestId('policy-notice').count()).toBe(0);
      expect(await page.getByTestId('policy-checkbox').locator('input').isChecked()).toBe(true);
      expect(await page.getByTestId('consent-given-hint').innerText()).toMatch(/已同意/);
      expect(await page.getByTestId('send-code').isDisabled()).toBe(false);
      await screenshot(page, 'first-visit-02-sign-in');

      // 《用户协议》 opens the user agreement, not the privacy policy again.
      await page.getByTestId('terms-link').click();
      const terms = page.getByTestId('terms-full-text');
      await terms.getByText('二、本服务不是急救服务').waitFor();
      const termsText = await terms.innerText();
      expect(termsText).toMatch(/12356/);
      expect(termsText).toMatch(/复诊/);
      expect(termsText).toContain(t.config.operator.hotline);
      expect(termsText).not.toMatch(/我们处理哪些个人信息/);
      expect(termsText).toMatch(/起生效/);
      expect(termsText).not.toMatch(INTERNALS);
      expect(await page.getByTestId('policy-reader').locator('.ax-reader-title').innerText()).toBe('安心用户协议');
      await screenshot(page, 'first-visit-03-terms');
      await page.getByTestId('policy-reader-close').click();
      await terms.waitFor({ state: 'detached' });

      // No SMS was requested until now (consent came first); the code step has the switch on by default.
      expect(api.filter((p) => p.startsWith('/api/auth/'))).toEqual([]);
      const phone = '13812340001';
      await page.getByTestId('phone-input').fill(phone);
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').waitFor();
      const keep = page.getByTestId('keep-signed-in');
      expect(await keep.getAttribute('aria-checked')).toBe('true');
      expect(await page.locator('#keep-signed-in-hint').innerText()).toMatch(/30 天.*公用设备请关闭/);
      await screenshot(page, 'first-visit-04-code');
      await page.getByTestId('code-input').fill(await waitForCode(t, phone));
      await page.getByTestId('verify-code').click();
      await page.getByTestId('home').waitFor();

      // ACC-4: the cookie outlives the browser session by 30 days, and so does the session on the server.
      const cookie = await sessionCookie(page);
      expect(cookie).toBeDefined();
      const lifetime = cookie!.expires * 1000 - Date.now();
      expect(lifetime).toBeGreaterThan(29 * DAY);
      expect(lifetime).toBeLessThanOrEqual(30 * DAY + 60_000);
      const user = await t.db
        .selectFrom('users')
        .select('id')
        .where('app', '=', 'doctor')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const session = await t.db
        .selectFrom('sessions')
        .select('keep_signed_in')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(session.keep_signed_in).toBe(true);
      // POL-1: the consent record holds the SHA-256 of exactly the policy text shown, written at this sign-in.
      const policy = (await t.app.inject({ method: 'GET', url: '/api/policy/current?locale=zh-CN' })).json();
      const consent = await t.db
        .selectFrom('consents')
        .select(['kind', 'text_sha256'])
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(consent).toEqual({
        kind: 'policy',
        text_sha256: crypto.createHash('sha256').update(policy.text, 'utf8').digest('hex'),
      });

      // The policy page and the consent records show dates, never a version or a fingerprint.
      await page.goto(`${base}/policy`);
      const full = page.getByTestId('policy-full-text');
      await full.waitFor();
      expect(await page.getByTestId('effective-line').innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日起生效$/);
      expect(await full.innerText()).not.toMatch(INTERNALS);
      await screenshot(page, 'first-visit-05-policy');
      await page.goto(`${base}/me/privacy`);
      await page.getByTestId('consent-item').first().waitFor();
      const privacy = await page.getByTestId('privacy').innerText();
      expect(privacy).toMatch(/起生效的版本/);
      expect(privacy).not.toMatch(INTERNALS);
      await screenshot(page, 'first-visit-06-privacy');

      // The notice was shown once: coming back goes straight in.
      await page.goto(`${base}/`);
      await page.getByTestId('home').waitFor();
      expect(await page.getByTestId('policy-notice').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('ACC-4 / POL-1: with the switch turned off the cookie ends with the browser session; unticking the agreement brings the notice back', async () => {
    const { context, page } = await launch({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/`);
      await page.getByTestId('policy-agree').click();
      await page.getByTestId('sign-in').waitFor();
      // Taking the agreement back on the sign-in page asks again with the notice (still one place to consent).
      await page.getByTestId('policy-checkbox').click();
      await page.getByTestId('policy-notice').waitFor();
      await page.getByTestId('policy-agree').click();
      await page.getByTestId('sign-in').waitFor();

      const phone = '13812340002';
      await page.getByTestId('phone-input').fill(phone);
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').waitFor();
      await page.getByTestId('keep-signed-in').click();
      expect(await page.getByTestId('keep-signed-in').getAttribute('aria-checked')).toBe('false');
      await page.getByTestId('code-input').fill(await waitForCode(t, phone));
      await page.getByTestId('verify-code').click();
      await page.getByTestId('home').waitFor();
      expect((await sessionCookie(page))?.expires).toBe(-1);
    } finally {
      await context.close();
    }
  });

  it('ACC-4: in the patient app the switch is there but off by default, so the cookie ends with the browser session', async () => {
    const { context, page } = await launch({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/patient/sign-in`);
      await page.getByTestId('policy-agree').click();
      await page.getByTestId('sign-in').waitFor();
      const phone = '13812340003';
      await page.getByTestId('phone-input').fill(phone);
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').waitFor();
      expect(await page.getByTestId('keep-signed-in').getAttribute('aria-checked')).toBe('false');
      await screenshot(page, 'first-visit-07-patient-code');
      await page.getByTestId('code-input').fill(await waitForCode(t, phone));
      await page.getByTestId('verify-code').click();
      await expect.poll(async () => (await sessionCookie(page))?.expires).toBe(-1);
    } finally {
      await context.close();
    }
  });

  it('ACC-1: asking again for a code sent moments ago (another tab, a reload) goes on to typing that code, with resend counting down, and it signs in', async () => {
    const phone = '13812340004';
    const first = await launch({ width: 390, height: 844 });
    const second = await launch({ width: 390, height: 844 });
    try {
      for (const { page } of [first, second]) {
        await page.goto(`${base}/sign-in`);
        await page.getByTestId('policy-agree').click();
        await page.getByTestId('phone-input').fill(phone);
        await page.getByTestId('send-code').click();
        await page.getByTestId('code-input').waitFor();
      }
      const code = await waitForCode(t, phone);
      const page = second.page;
      expect(await page.getByTestId('resend-code').isDisabled()).toBe(true);
      expect(await page.getByTestId('resend-code').innerText()).toMatch(/\d+ 秒后/);
      await screenshot(page, 'first-visit-08-code-already-sent');
      await page.getByTestId('code-input').fill(code);
      await page.getByTestId('verify-code').click();
      await page.getByTestId('home').waitFor();
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
});

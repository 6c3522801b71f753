import * as OTPAuth from 'otpauth';
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

/** Collect page errors: a journey that "works" while the page throws is not a working journey. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[13]/.test(m.text()))
      errors.push(m.text());
  });
  return errors;
}

describe.skipIf(!enabled)('browser journeys', () => {
  it('ACC-1 / POL-1 / ACC-4: a new doctor reads the privacy notice, signs in with a code from the dev outbox, sees home and the devices list, and signs out', async () => {
    const { context, page } = await launch({ width: 390, height: 844 });
    const errors = watchErrors(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    try {
      await page.goto(`${base}/`);
      await page.getByTestId('policy-notice').waitFor();
      // Nothing but the policy itself is fetched from the API before consent.
      expect(requests.filter((p) => p.startsWith('/api/'))).toEqual(['/api/policy/current']);
      await screenshot(page, 'doctor-01-notice');
      await page.getByTestId('policy-decline').click();
      await page.getByTestId('policy-declined').waitFor();
      await page.getByTestId('policy-back').click();
      await page.getByTestId('policy-agree').click();

      await page.getByTestId('sign-in').waitFor();
      const phone = '13812345678';
      await page.getByTestId('phone-input').fill(phone);
      // One consent step: the notice's agreement carries into sign-in (shown as given, not asked again).
      expect(await page.getByTestId('policy-checkbox').locator('input').isChecked()).toBe(true);
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').waitFor();
      await page.getByTestId('dev-outbox-notice').waitFor();
      await screenshot(page, 'doctor-02-code');
      await page.getByTestId('code-input').fill(await waitForCode(t, phone));
      await page.getByTestId('verify-code').click();

      await page.getByTestId('home').waitFor();
      await screenshot(page, 'doctor-03-home');
      const user = await t.db
        .selectFrom('users')
        .select(['id', 'app'])
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(user.app).toBe('doctor');
      const consent = await t.db
        .selectFrom('consents')
        .selectAll()
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(consent.kind).toBe('policy');

      await page.getByTestId('tab-me').click();
      await page.getByTestId('me').waitFor();
      expect(await page.getByTestId('me-phone').innerText()).toContain('138****5678');
      await page.getByTestId('devices-link').click();
      await page.getByTestId('devices-list').waitFor();
      await expect.poll(() => page.getByTestId('device-item').count()).toBe(1);
      await page.getByTestId('current-device-tag').waitFor();
      expect(await page.getByTestId('device-item').innerText()).toMatch(/Chrome/);
      await screenshot(page, 'doctor-04-devices');
      await page.goBack();
      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in').waitFor();
      const session = await t.db
        .selectFrom('sessions')
        .select('revoked_at')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(session.revoked_at).not.toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('SEC-1: a staff member enrols an authenticator, signs in with phone code and TOTP, and verifies the audit chain', async () => {
    const phone = '13987654321';
    const { enrolmentLink } = await t.app.services.staff.createStaff({
      phone,
      roles: ['security_officer'],
      grantedBy: null,
    });
    const link = enrolmentLink.replace('http://localhost:3000', base);
    const { context, page } = await launch({ width: 1280, height: 800 });
    const errors = watchErrors(page);
    try {
      await page.goto(link);
      await page.getByTestId('enrol-qr').waitFor();
      const secret = (await page.getByTestId('enrol-secret').innerText()).replace(/\s/g, '');
      const totp = (stepsAhead = 0) =>
        new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({
          timestamp: Date.now() + stepsAhead * 30_000,
        });
      await page.getByTestId('enrol-code-input').fill(totp());
      await page.getByTestId('enrol-submit').click();
      await page.getByTestId('enrol-done').waitFor();

      await page.goto(`${base}/admin/`);
      await page.getByTestId('phone-input').fill(phone);
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').waitFor();
      await page.getByTestId('code-input').fill(await waitForCode(t, phone));
      await page.getByTestId('verify-code').click();
      await page.getByTestId('totp-input').waitFor();
      // Each code works once: enrolment used this step's, so sign in with the next step's (within the drift window).
      await page.getByTestId('totp-input').fill(totp(1));
      await page.getByTestId('totp-submit').click();

      await page.getByTestId('menu-audit').click();
      await page.getByTestId('audit-table').waitFor();
      await page.getByTestId('audit-verify').click();
      await page.getByTestId('audit-result').waitFor();
      expect(await page.getByTestId('audit-result').innerText()).toMatch(/哈希链完整/);
      await screenshot(page, 'staff-01-audit-verified');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

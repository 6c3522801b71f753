import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { post } from '../apps/server/test/harness.js';
import { staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../apps/server/test/consultation-fixtures.js';
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

describe.skipIf(!enabled)('crisis escalations in the staff console', () => {
  it('CON-4: support sees the escalation in the queue, opens it without any message text, and closes it with a note', async () => {
    const reviewer = await staffCookie(t, ['reviewer']);
    const doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '661');
    const { patient, id } = await activeConsultation(t, doctor);
    const words = '我已经写好遗书了';
    const sent = await post(
      t,
      `/api/consultations/${id}/messages`,
      { clientId: crypto.randomUUID(), kind: 'text', text: words },
      patient.cookie,
    );
    expect(sent.statusCode).toBe(200);

    const support = await staffCookie(t, ['support']);
    const { context, page } = await launch({ width: 1280, height: 900 });
    try {
      await withCookie(context, support.cookie);
      await page.goto(`${base}/admin/crisis`);
      const row = page.getByTestId('crisis-row').first();
      await row.waitFor({ timeout: 15_000 });
      // Keyboard works as well as the mouse: the row is a link.
      await row.focus();
      await page.keyboard.press('Enter');
      const detail = page.getByTestId('crisis-detail');
      await detail.waitFor({ timeout: 10_000 });
      expect(await page.locator('body').innerText()).not.toContain('遗书');
      await screenshot(page, 'crisis-admin-01-detail');
      await page.getByTestId('crisis-close-note').fill('已与接诊医生电话确认，患者已由家属陪同前往医院。');
      await page.getByTestId('crisis-close-submit').click();
      await expect.poll(() => detail.getAttribute('data-status'), { timeout: 10_000 }).toBe('closed');
      expect(await page.getByTestId('crisis-note').innerText()).toContain('家属陪同');
    } finally {
      await context.close();
    }
  }, 90_000);
});

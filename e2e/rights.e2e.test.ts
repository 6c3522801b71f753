import fs from 'node:fs';
import yauzl from 'yauzl';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { approvedDoctor, consentedPatient } from '../apps/server/test/consultation-fixtures.js';
import { hasChromium, launch, passNotice, productForFile, screenshot, signInBySms, withCookie } from './browser.js';

const enabled = hasChromium();

const product = productForFile(enabled);

/** Types the fresh step-up code from the dev outbox (the one sent after `before`) and confirms. */
async function stepUp(page: Page, phone: string, before: string | null) {
  await page.getByTestId('step-up').waitFor();
  let code: string | null = null;
  for (let i = 0; i < 100 && (!code || code === before); i++) {
    code = product.t.sms.latestCodeFor(phone);
    if (!code || code === before) await new Promise((r) => setTimeout(r, 100));
  }
  expect(code && code !== before, 'a new code was sent').toBe(true);
  await page.getByTestId('step-up-code-input').fill(code!);
  await page.getByTestId('step-up-submit').click();
}

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.readEntry();
    });
  });
}

describe.skipIf(!enabled)('Me → 个人信息与隐私 (RIG-1, RIG-5)', () => {
  it('RIG-1: a doctor sees what we hold, asks for a copy with a fresh SMS code, watches it build and downloads the ZIP once', async () => {
    const reviewer = await staffCookie(product.t, ['reviewer']);
    const doctor = await approvedDoctor(product.t, reviewer.cookie, 'psychiatrist', '811');
    const { page, context } = await launch({ width: 390, height: 844 });
    await withCookie(context, doctor.cookie);
    try {
      await page.goto(`${product.base}/me/privacy`);
      await passNotice(page, 'privacy');
      await page.getByTestId('rights-data-category').first().waitFor();
      await expect(page.getByTestId('operator-hotline').textContent()).resolves.toMatch(/\d/);
      await screenshot(page, 'rights-01-privacy');
      const before = product.t.sms.latestCodeFor(doctor.phone);
      // One code a minute per number: the sign-in code of this account was just sent (the test clock is fixed).
      product.t.clock.advance(61_000);
      await page.getByTestId('rights-action-export').click();
      await page.getByTestId('rights-next').click();
      await stepUp(page, doctor.phone, before);
      const item = page.getByTestId('rights-request-item').first();
      await item.waitFor();
      // The durable job builds it in the product; here the test runs the job's work itself.
      const { id } = await product.t.db
        .selectFrom('rights_requests')
        .select('id')
        .where('subject_id', '=', doctor.id)
        .where('kind', '=', 'export')
        .executeTakeFirstOrThrow();
      await product.t.app.services.rights.buildExport(id);
      const button = page.getByTestId('rights-download').first();
      await button.waitFor({ timeout: 15_000 });
      await screenshot(page, 'rights-02-export-ready');
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const file = await download.path();
      const names = await zipEntries(file);
      expect(names).toContain('README.txt');
      expect(names.some((n) => n.endsWith('-account/data.json'))).toBe(true);
      expect(names.some((n) => n.startsWith('files/'))).toBe(true);
      fs.rmSync(file, { force: true });
      // Once only.
      const again = await page.request.get(`${product.base}/api/me/requests/${id}/download`);
      expect(again.status()).toBe(410);
    } finally {
      await context.close();
    }
  });

  it('RIG-5: a patient reads what cancelling does, confirms with a code, is signed out with a certificate link; once processed the number starts a new account', async () => {
    const patient = await consentedPatient(product.t);
    const { page, context } = await launch({ width: 390, height: 844 });
    await withCookie(context, patient.cookie);
    try {
      await page.goto(`${product.base}/patient/me/privacy`);
      await passNotice(page, 'privacy');
      await page.getByTestId('rights-action-cancel').click();
      await page.getByTestId('cancel-kept').waitFor();
      await expect(page.getByTestId('cancel-due').textContent()).resolves.toMatch(/\d{4}/);
      await screenshot(page, 'rights-03-cancel-preview');
      await page.getByTestId('cancel-ack').click();
      const before = product.t.sms.latestCodeFor(patient.phone);
      product.t.clock.advance(61_000);
      await page.getByTestId('cancel-next').click();
      await stepUp(page, patient.phone, before);
      await page.getByTestId('cancelled').waitFor();
      const url = (await page.getByTestId('cancel-certificate-url').textContent())!.trim();
      expect(url).toMatch(/\/api\/certificates\/[0-9a-f-]{36}\?token=/);
      await screenshot(page, 'rights-04-cancelled');
      // Signed out everywhere: the old cookie no longer works.
      expect((await page.request.get(`${product.base}/api/me`)).status()).toBe(401);

      // The job processes it on its due date; the officer may do it earlier (here: now).
      const { id } = await product.t.db
        .selectFrom('rights_requests')
        .select('id')
        .where('subject_id', '=', patient.id)
        .executeTakeFirstOrThrow();
      await product.t.app.services.rights.process(id);
      const cert = await page.request.get(url);
      expect(cert.status()).toBe(200);
      expect((await cert.json()).certificate.keyDestroyedAt).not.toBeNull();

      await page.getByTestId('cancelled-done').click();
      await page.getByTestId('phone-input').waitFor();
      product.t.clock.advance(61_000);
      await signInBySms(page, product.t, patient.phone);
      await page.getByTestId('tab-me').or(page.getByTestId('home')).first().waitFor();
      const me = await (await page.request.get(`${product.base}/api/me`)).json();
      expect(me.id).not.toBe(patient.id);
      const old = await product.t.db
        .selectFrom('users')
        .select('status')
        .where('id', '=', patient.id)
        .executeTakeFirstOrThrow();
      expect(old.status).toBe('cancelled');
    } finally {
      await context.close();
    }
  });
});

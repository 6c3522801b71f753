import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { get, post, signIn } from '../apps/server/test/harness.js';
import { staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { hasChromium, launch, productForFile, screenshot, withCookie } from './browser.js';

const enabled = hasChromium();

const product = productForFile(enabled);

/** A patient's verified request made through the API (the app's step-up flow has its own journey). */
async function patientRequest(cookie: string, phone: string, body: Record<string, unknown>): Promise<string> {
  product.t.clock.advance(61_000);
  expect((await post(product.t, '/api/me/step-up', {}, cookie)).statusCode).toBe(200);
  const res = await post(product.t, '/api/me/requests', { ...body, code: product.t.sms.latestCodeFor(phone) }, cookie);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().request.id as string;
}

/** Opens a request in the console: its row, then the purpose of looking at it. */
async function openRequest(page: Page, id: string, purpose: string) {
  await page.goto(`${product.base}/admin/rights`);
  await page.getByTestId('rights-queue').waitFor();
  await page.locator(`[data-testid="rights-row"][data-row-key="${id}"]`).click();
  await page.getByTestId('rights-open-purpose').fill(purpose);
  await page.getByTestId('rights-open-submit').click();
  await page.getByTestId('rights-detail').waitFor();
}

describe.skipIf(!enabled)('the privacy officer’s console (RIG-2, RIG-7)', () => {
  it('RIG-2, RIG-7: the privacy officer completes a correction through the console and refuses another request on a stated ground; the patient sees both answers', async () => {
    const officer = await staffCookie(product.t, ['privacy_officer']);
    const patient = await signIn(product.t, 'patient', undefined, { keepSignedIn: true });
    const correction = await patientRequest(patient.cookie, patient.phone, {
      kind: 'correction',
      details: '我的昵称被写错了，应为“林晓”。',
    });
    const other = await patientRequest(patient.cookie, patient.phone, {
      kind: 'correction',
      details: '请把我所有记录里的医生姓名删掉。',
    });
    const { page, context } = await launch({ width: 1280, height: 900 });
    await withCookie(context, officer.cookie);
    try {
      await openRequest(page, correction, '处理更正请求');
      await screenshot(page, 'rights-admin-01-detail');
      await page.getByTestId('rights-complete').click();
      await page.getByTestId('rights-correction-field').click();
      await page.getByText('昵称', { exact: true }).last().click();
      await page.getByTestId('rights-correction-value').fill('林晓');
      await page.getByTestId('rights-response').fill('已将您的昵称更正为“林晓”。');
      await page.getByTestId('rights-complete-submit').click();
      await expect.poll(() => page.getByTestId('rights-status').textContent()).toMatch(/已完成|完成/);
      expect((await get(product.t, '/api/me', patient.cookie)).json().displayName).toBe('林晓');

      await openRequest(page, other, '处理更正请求');
      await page.getByTestId('rights-refuse').click();
      await page.getByTestId('rights-refuse-ground').click();
      await page.getByText('响应请求将导致个人信息主体或其他个人、组织的合法权益受到严重损害').last().click();
      await page.getByTestId('rights-refuse-reason').fill('医生姓名属于他人的个人信息，不在您可更正的范围内。');
      await page.getByTestId('rights-refuse-submit').click();
      await expect.poll(() => page.getByTestId('rights-status').textContent()).toMatch(/拒绝/);
      await screenshot(page, 'rights-admin-02-refused');

      const mine = (await get(product.t, '/api/me/requests', patient.cookie)).json().requests;
      expect(mine.find((r: { id: string }) => r.id === correction)).toMatchObject({ status: 'completed' });
      expect(mine.find((r: { id: string }) => r.id === other)).toMatchObject({
        status: 'refused',
        refusal: { ground: 'harm_to_others', reason: '医生姓名属于他人的个人信息，不在您可更正的范围内。' },
      });
      const viewed = await product.t.db
        .selectFrom('audit_log')
        .select('purpose')
        .where('action', '=', 'rights.viewed')
        .where('subject_id', '=', patient.me.id)
        .execute();
      expect(viewed.map((v) => v.purpose)).toContain('处理更正请求');
    } finally {
      await context.close();
    }
  });
});

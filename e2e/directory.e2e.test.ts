import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedDoctor } from '../apps/server/test/directory-fixtures.js';
import type { TestApp } from '../apps/server/test/harness.js';
import { staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { hasChromium, launch, passNotice, screenshot, startProduct, waitForCode } from './browser.js';

const enabled = hasChromium();

let t: TestApp;
let base: string;
let wang: { id: string; idNumber: string };
let li: { id: string; idNumber: string };
let zhang: { id: string; idNumber: string };
beforeAll(async () => {
  if (!enabled) return;
  ({ t, base } = await startProduct());
  const reviewer = (await staffCookie(t, ['reviewer'])).cookie;
  wang = await publishedDoctor(t, reviewer, '801', '王明', {
    practitionerType: 'psychiatrist',
    title: '主任医师',
    hospital: '北京大学第六医院',
    department: '精神科',
    expertise: ['双相障碍', '强迫'],
  });
  li = await publishedDoctor(t, reviewer, '802', '李静', {
    practitionerType: 'psychotherapist',
    title: '主治医师',
    hospital: '上海市精神卫生中心',
    department: '心理治疗科',
    expertise: ['创伤', '家庭治疗'],
  });
  zhang = await publishedDoctor(t, reviewer, '803', '张悦', {
    practitionerType: 'counsellor',
    title: '二级心理咨询师',
    hospital: '安心心理咨询中心',
    department: '青少年咨询部',
    expertise: ['青少年', '学业压力'],
  });
});
afterAll(async () => {
  if (t) await t.close();
});

const shownDoctors = (page: Page) =>
  page
    .getByTestId('doctor-card')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-doctor-id') ?? '').sort());

/** Fields the visitor could type into, besides the directory's search box. */
const typingFields = (page: Page) => page.locator('textarea, input:not([type="search"])').count();

async function search(page: Page, text: string, expected: string[]) {
  await page.getByTestId('directory-search').fill(text);
  await expect.poll(() => shownDoctors(page), { timeout: 10_000 }).toEqual([...expected].sort());
}

describe.skipIf(!enabled)('directory journey', () => {
  it('ONB-5: a visitor browses and searches doctors without signing in, sees the first-visit rule on a profile before typing anything, follows the counselling alternative, and is signed in and brought back to the doctor to start a consultation', async () => {
    const { context, page } = await launch({ width: 390, height: 844 });
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(url.pathname);
    });
    try {
      // The patient app opens on a home for visitors, not on sign-in.
      await page.goto(`${base}/patient`);
      await passNotice(page, 'visitor-home');
      await screenshot(page, 'directory-01-visitor-home');
      await page.getByTestId('find-doctor').click();
      await page.getByTestId('directory').waitFor();
      await expect.poll(() => shownDoctors(page), { timeout: 10_000 }).toEqual([wang.id, li.id, zhang.id].sort());
      expect((await context.cookies()).map((c) => c.name)).toEqual([]);

      // Search by an expertise tag, then by hospital.
      await search(page, '双相', [wang.id]);
      await screenshot(page, 'directory-02-search-tag');
      await search(page, '上海市精神卫生中心', [li.id]);
      await screenshot(page, 'directory-03-search-hospital');

      // The profile of a psychotherapist: the rule and the alternatives come first, and there is nothing to type.
      await page.locator(`[data-testid="doctor-card"][data-doctor-id="${li.id}"]`).click();
      await page.getByTestId('public-profile').waitFor();
      const rule = page.getByTestId('first-visit-rule');
      expect(await rule.getAttribute('data-first-visit')).toBe('in-person');
      expect(await rule.innerText()).toContain('线上仅接待复诊');
      expect(await page.getByTestId('first-visit-in-person').innerText()).toContain('精神科或心理科');
      expect(await typingFields(page)).toBe(0);
      const profileText = await page.getByTestId('public-profile').innerText();
      expect(profileText).toContain('上海市精神卫生中心 · 心理治疗科');
      expect(profileText).not.toContain(li.idNumber);
      expect(await page.getByTestId('start-consultation').innerText()).toContain('登录后发起咨询');
      await screenshot(page, 'directory-04-profile-rule');

      // The counselling alternative: the directory opens on counsellors, labelled as counselling.
      await page.getByTestId('first-visit-counselling').click();
      await page.getByTestId('directory').waitFor();
      expect(await page.getByTestId('directory-type-counsellor').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => shownDoctors(page), { timeout: 10_000 }).toEqual([zhang.id]);
      expect(await page.getByTestId('doctor-card').innerText()).toContain('心理咨询（非诊疗）');
      await screenshot(page, 'directory-06-counsellors');
      await page.getByTestId('doctor-card').click();
      await page.getByTestId('public-profile').waitFor();
      expect(await page.getByTestId('first-visit-rule').getAttribute('data-first-visit')).toBe('online');
      await page.getByTestId('profile-counsellor-label').waitFor();

      // Starting a consultation needs an account: sign-in, then back to this counsellor's form.
      await page.getByTestId('start-consultation').click();
      await page.getByTestId('sign-in').waitFor();
      await screenshot(page, 'directory-07-sign-in');
      // Everything so far used public routes only (and the session look-up, which found none).
      expect(apiCalls.some((p) => p.startsWith('/api/public/doctors'))).toBe(true);
      expect(
        apiCalls.filter((p) => !p.startsWith('/api/public/') && p !== '/api/policy/current' && p !== '/api/session'),
      ).toEqual([]);
      const phone = '13712345680';
      await page.getByTestId('phone-input').fill(phone);
      if (await page.getByTestId('send-code').isDisabled()) await page.getByTestId('policy-checkbox').click();
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').fill(await waitForCode(t, phone));
      await page.getByTestId('verify-code').click();
      await page.getByTestId('consult-form').waitFor();
      expect(await page.getByTestId('consult-form').getAttribute('data-doctor-id')).toBe(zhang.id);
      expect(new URL(page.url()).pathname).toBe('/patient/consultations/new');
      // The first question comes before any text box; a counsellor takes a first visit.
      expect(await page.getByTestId('consult-concern').count()).toBe(0);
      await page.getByTestId('consult-follow-up-no').click();
      await page.getByTestId('consult-concern').waitFor();
      await screenshot(page, 'directory-08-counsellor-form');

      // A psychotherapist's form: a first visit is answered with the alternatives, never with a text box.
      await page.goto(`${base}/patient/doctors/${li.id}`);
      await page.getByTestId('start-consultation').click();
      await page.getByTestId('consult-form').waitFor();
      expect(await page.getByTestId('consult-concern').count()).toBe(0);
      await page.getByTestId('consult-follow-up-no').click();
      await page.getByTestId('consult-first-visit-notice').waitFor();
      await page.getByTestId('first-visit-alternatives').waitFor();
      expect(await typingFields(page)).toBe(0);
      expect(await page.getByTestId('consult-submit').count()).toBe(0);
      await screenshot(page, 'directory-09-first-visit-refused-up-front');
      await page.getByTestId('consult-follow-up-yes').click();
      await page.getByTestId('consult-concern').waitFor();
      await page.getByTestId('consult-submit').waitFor();
    } catch (e) {
      await screenshot(page, 'directory-zz-failure');
      throw e;
    } finally {
      await context.close();
    }
  });

  it('ONB-5: a signed-out deep link to a new consultation with a doctor leads through sign-in back to that form', async () => {
    const { context, page } = await launch({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/patient/consultations/new?doctor=${wang.id}`);
      await passNotice(page, 'sign-in');
      const phone = '13712345681';
      await page.getByTestId('phone-input').fill(phone);
      if (await page.getByTestId('send-code').isDisabled()) await page.getByTestId('policy-checkbox').click();
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').fill(await waitForCode(t, phone));
      await page.getByTestId('verify-code').click();
      await page.getByTestId('consult-form').waitFor();
      expect(await page.getByTestId('consult-form').getAttribute('data-doctor-id')).toBe(wang.id);
      const url = new URL(page.url());
      expect(url.pathname + url.search).toBe(`/patient/consultations/new?doctor=${wang.id}`);
    } finally {
      await context.close();
    }
  });
});

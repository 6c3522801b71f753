import crypto from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { ORIGIN, post } from '../apps/server/test/harness.js';
import { photoWithGps, staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../apps/server/test/consultation-fixtures.js';
import { hasChromium, launch, passNotice, screenshot, startProduct, withCookie } from './browser.js';

const enabled = hasChromium();
const PHONE = { width: 390, height: 844 };

let t: TestApp;
let base: string;
let doctor: { cookie: string; id: string };
beforeAll(async () => {
  if (!enabled) return;
  ({ t, base } = await startProduct());
  const reviewer = await staffCookie(t, ['reviewer']);
  doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '931');
}, 90_000);
afterAll(async () => {
  if (t) await t.close();
});

const say = async (cookie: string, id: string, text: string) => {
  const res = await post(
    t,
    `/api/consultations/${id}/messages`,
    { clientId: crypto.randomUUID(), kind: 'text', text },
    cookie,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json().seq as number;
};

const sendImage = async (cookie: string, id: string) => {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/consultations/${id}/media-messages?clientId=${crypto.randomUUID()}&kind=image`,
    payload: await photoWithGps(600, 900),
    headers: { cookie, origin: ORIGIN, 'content-type': 'image/jpeg' },
  });
  expect(res.statusCode, res.body).toBe(200);
};

const message = (page: Page, seq: number) => page.locator(`[data-testid="chat-message"][data-seq="${seq}"]`);

/** Whether the whole element is inside the visible part of the conversation. */
async function inView(page: Page, el: Locator): Promise<boolean> {
  const box = await el.boundingBox();
  const view = await page.getByTestId('chat-scroll').boundingBox();
  if (!box || !view) return false;
  return box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1;
}

/** Whether two elements' boxes overlap on screen. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const x = await a.boundingBox();
  const y = await b.boundingBox();
  if (!x || !y) return false;
  return x.y < y.y + y.height && y.y < x.y + x.height && x.x < y.x + y.width && y.x < x.x + x.width;
}

describe.skipIf(!enabled)('chat: the newest message stays in view', () => {
  it('CON-1: a long conversation opens at the newest message (after an image loads), follows a new one at the bottom, and shows a "新消息" pill when scrolled up', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    for (let i = 1; i <= 36; i++)
      await say(
        i % 2 ? patient.cookie : doctor.cookie,
        id,
        `第 ${i} 条：${'最近睡眠和情绪的情况，'.repeat(i % 3 ? 1 : 4)}`,
      );
    await sendImage(patient.cookie, id); // seq 37: its height is known only once it has loaded
    const last = await say(patient.cookie, id, '这是最新的一条消息');

    const { context, page } = await launch(PHONE);
    try {
      await withCookie(context, doctor.cookie);
      await page.goto(`${base}/consultations/${id}`);
      await passNotice(page, 'chat');
      await message(page, last).waitFor({ timeout: 15_000 });
      const image = page.locator('[data-testid="chat-message"][data-kind="image"] img');
      await expect
        .poll(() => image.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), {
          timeout: 10_000,
        })
        .toBeGreaterThan(0);
      await expect.poll(() => inView(page, message(page, last)), { timeout: 5_000 }).toBe(true);
      expect(await inView(page, message(page, 1))).toBe(false);
      expect(await page.getByTestId('chat-scroll').getAttribute('data-at-end')).toBe('true');
      await screenshot(page, 'chat-01-opens-at-newest');

      // At the bottom, a new message is followed.
      await expect
        .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('live');
      const next = await say(patient.cookie, id, '医生，我还想问一下药量的事');
      await message(page, next).waitFor({ timeout: 10_000 });
      await expect.poll(() => inView(page, message(page, next)), { timeout: 5_000 }).toBe(true);
      expect(await page.getByTestId('new-messages-pill').count()).toBe(0);

      // Scrolled up to read, new messages do not move the reader; a pill says how many arrived.
      await page.getByTestId('chat-scroll').evaluate((el) => {
        (el as unknown as { scrollTop: number }).scrollTop = 0;
      });
      await expect.poll(() => page.getByTestId('chat-scroll').getAttribute('data-at-end')).toBe('false');
      const a = await say(patient.cookie, id, '还有一件事');
      const b = await say(patient.cookie, id, '最近晚上会心慌');
      await message(page, b).waitFor({ state: 'attached', timeout: 10_000 });
      const pill = page.getByTestId('new-messages-pill');
      await pill.waitFor({ timeout: 5_000 });
      expect(await pill.getAttribute('data-count')).toBe('2');
      expect(await pill.innerText()).toContain('2 条新消息');
      expect(await pill.getAttribute('aria-label')).toContain('新消息');
      expect(await inView(page, message(page, 1))).toBe(true);
      expect(await inView(page, message(page, b))).toBe(false);
      await screenshot(page, 'chat-02-new-messages-pill');
      await pill.click();
      await expect.poll(() => inView(page, message(page, b)), { timeout: 5_000 }).toBe(true);
      expect(await inView(page, message(page, a))).toBe(true);
      await expect.poll(() => pill.count()).toBe(0);

      // Sending from higher up takes the sender to their message.
      await page.getByTestId('chat-scroll').evaluate((el) => {
        (el as unknown as { scrollTop: number }).scrollTop = 0;
      });
      await page.getByTestId('chat-input').fill('心慌的时候测过心率吗？');
      await page.getByTestId('chat-send').click();
      const mine = page.locator('[data-testid="chat-message"][data-mine="true"]').last();
      await expect.poll(async () => (await mine.innerText()).includes('测过心率'), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => inView(page, mine), { timeout: 5_000 }).toBe(true);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('CON-1: when nothing can be sent the reason and the next step replace the message box (offline, ended, waiting)', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    await say(patient.cookie, id, '谢谢医生，我会按时复诊');

    const { context, page } = await launch(PHONE);
    try {
      await withCookie(context, patient.cookie);
      await page.goto(`${base}/patient/consultations/${id}`);
      await passNotice(page, 'chat');
      await page.getByTestId('chat-input').waitFor({ timeout: 15_000 });
      const closed = page.getByTestId('chat-closed');

      // Offline: the box gives way to why, and the back button and the notice stay on screen.
      await context.setOffline(true);
      await expect.poll(() => closed.getAttribute('data-reason'), { timeout: 15_000 }).toBe('offline');
      expect(await closed.innerText()).toContain('网络已断开');
      expect(await page.getByTestId('chat-input').count()).toBe(0);
      const back = await page.locator('.adm-nav-bar-back').boundingBox();
      expect(back!.y).toBeGreaterThanOrEqual(0);
      const offlineBox = await closed.boundingBox();
      expect(offlineBox!.y + offlineBox!.height).toBeLessThanOrEqual(PHONE.height);
      await screenshot(page, 'chat-03a-offline-reason');
      await context.setOffline(false);
      await page.getByTestId('chat-input').waitFor({ timeout: 20_000 });

      // Ended by the doctor: the patient is told, live, and offered a follow-up.
      expect((await post(t, `/api/consultations/${id}/end`, {}, doctor.cookie)).statusCode).toBe(200);
      await expect.poll(() => closed.getAttribute('data-reason'), { timeout: 15_000 }).toBe('ended');
      const text = await closed.innerText();
      expect(text).toContain('问诊已结束，不能再发送消息');
      expect(text).toContain('可以发起复诊');
      expect(await page.getByTestId('chat-input').count()).toBe(0);
      expect(await closed.getByTestId('follow-up').isVisible()).toBe(true);
      // The notice sits in the footer, on screen, not at the top of a scrolled conversation.
      const box = await closed.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
      await screenshot(page, 'chat-03-ended-reason');

      // A request the doctor has not accepted yet says so, and what happens next.
      const waiting = await post(
        t,
        '/api/consultations',
        { doctorId: doctor.id, concern: '复诊：最近又开始失眠', isFollowUp: true },
        patient.cookie,
      );
      await page.goto(`${base}/patient/consultations/${waiting.json().id}`);
      await expect.poll(() => closed.getAttribute('data-reason'), { timeout: 15_000 }).toBe('requested');
      expect(await closed.innerText()).toContain('医生还没有接诊');
      expect(await page.getByTestId('chat-input').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe.skipIf(!enabled)('chat: crisis alert and ending', () => {
  it('CON-4: at 390×844 the crisis banner takes its own space and never covers the message that triggered it; ending needs the second step, and a hand-over note reaches support', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    for (let i = 1; i <= 14; i++) await say(i % 2 ? patient.cookie : doctor.cookie, id, `第 ${i} 条：最近的睡眠情况`);
    const trigger = await say(patient.cookie, id, '我攒了很多安眠药，今晚就想结束这一切');

    const { context, page } = await launch(PHONE);
    try {
      await withCookie(context, doctor.cookie);
      await page.goto(`${base}/consultations/${id}`);
      await passNotice(page, 'chat');
      const banner = page.getByTestId('crisis-banner');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.getAttribute('data-folded')).toBe('false');
      const triggering = message(page, trigger);
      const pinned = page.getByTestId('chat-pinned');
      await expect.poll(() => inView(page, triggering), { timeout: 10_000 }).toBe(true);
      expect(await overlap(pinned, triggering)).toBe(false);
      await screenshot(page, 'chat-04-crisis-banner');

      // The protocol unfolds inside the banner's own space: the message is still uncovered.
      await page.getByTestId('crisis-toggle').click();
      await page.getByTestId('crisis-protocol').waitFor();
      expect(await overlap(pinned, triggering)).toBe(false);
      await expect.poll(() => inView(page, triggering), { timeout: 10_000 }).toBe(true);
      await screenshot(page, 'chat-05-crisis-protocol');
      // Folded, it is one slim bar that still offers the acknowledgement.
      await page.getByTestId('crisis-fold').click();
      expect(await banner.getAttribute('data-folded')).toBe('true');
      expect((await banner.boundingBox())!.height).toBeLessThan(60);
      expect(await banner.getByTestId('crisis-acknowledge').isVisible()).toBe(true);
      await screenshot(page, 'chat-06-crisis-folded');
      // Scrolled away, "go to this message" brings it back into view.
      await page.getByTestId('chat-scroll').evaluate((el) => {
        (el as unknown as { scrollTop: number }).scrollTop = 0;
      });
      await page.getByTestId('crisis-unfold').click();
      await page.getByTestId('crisis-show-message').click();
      await expect.poll(() => inView(page, triggering), { timeout: 10_000 }).toBe(true);
      expect(await overlap(pinned, triggering)).toBe(false);

      // Ending opens the second step, naming the risk and the protocol; "not yet" leaves it active.
      await page.getByTestId('end-consultation').click();
      const sheet = page.getByTestId('crisis-end-sheet');
      await sheet.waitFor({ timeout: 5_000 });
      expect(await page.getByTestId('crisis-end-risk').innerText()).toMatch(/自杀计划、手段或时间.*紧急/);
      expect(await page.getByTestId('crisis-end-protocol').innerText()).toContain('120');
      expect(await sheet.getByTestId('crisis-end-acknowledge').innerText()).toContain('我已知悉并结束');
      expect(await sheet.getByTestId('crisis-end-handover').innerText()).toContain('转交平台支持并结束（附说明）');
      await screenshot(page, 'chat-07-end-sheet');
      await page.getByTestId('crisis-end-cancel').click();
      await expect.poll(() => sheet.isVisible()).toBe(false);
      const statusOf = async () =>
        (await t.db.selectFrom('consultations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
      expect(await statusOf()).toBe('active');

      // Hand over with a note: an empty note is refused on the spot, a real one ends the consultation.
      await page.getByTestId('end-consultation').click();
      await page.getByTestId('crisis-end-handover').click();
      await page.getByTestId('crisis-handover-submit').click();
      expect(await sheet.innerText()).toContain('请写下说明');
      expect(await statusOf()).toBe('active');
      const note = '已请患者拨打 12356，患者同意今晚由家属陪同去医院急诊，请支持人员明早电话回访。';
      await page.getByTestId('crisis-handover-note').fill(note);
      await screenshot(page, 'chat-08-handover-note');
      await page.getByTestId('crisis-handover-submit').click();
      await expect.poll(() => page.getByTestId('chat').getAttribute('data-status'), { timeout: 10_000 }).toBe('ended');
      expect(await statusOf()).toBe('ended');
      const row = await t.db
        .selectFrom('crisis_escalations')
        .selectAll()
        .where('consultation_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'open', handed_over_by: doctor.id });
      expect(await page.getByTestId('crisis-handed-over').isVisible()).toBe(true);
      expect(await page.getByTestId('chat-closed').getAttribute('data-reason')).toBe('ended');
      await screenshot(page, 'chat-09-ended-handed-over');
    } finally {
      await context.close();
    }

    // Support finds the note in their queue.
    const support = await staffCookie(t, ['support']);
    const desk = await launch({ width: 1280, height: 900 });
    try {
      await withCookie(desk.context, support.cookie);
      await desk.page.goto(`${base}/admin/crisis`);
      const handover = desk.page.getByTestId('crisis-handover').first();
      await handover.waitFor({ timeout: 15_000 });
      expect(await handover.innerText()).toContain('12356');
      await screenshot(desk.page, 'chat-10-support-queue-handover');
    } finally {
      await desk.context.close();
    }
  }, 180_000);

  it('CON-4: "我已知悉并结束" acknowledges the alert and ends the consultation in one step', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    await say(patient.cookie, id, '活着真的没意思');
    const { context, page } = await launch(PHONE);
    try {
      await withCookie(context, doctor.cookie);
      await page.goto(`${base}/consultations/${id}`);
      await passNotice(page, 'chat');
      await page.getByTestId('crisis-banner').waitFor({ timeout: 15_000 });
      await page.getByTestId('end-consultation').click();
      expect(await page.getByTestId('crisis-end-risk').innerText()).toContain('需关注');
      await page.getByTestId('crisis-end-acknowledge').click();
      await expect.poll(() => page.getByTestId('chat').getAttribute('data-status'), { timeout: 10_000 }).toBe('ended');
      const row = await t.db
        .selectFrom('crisis_escalations')
        .selectAll()
        .where('consultation_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'acknowledged', acknowledged_by: doctor.id, handed_over_at: null });
    } finally {
      await context.close();
    }
  }, 120_000);
});

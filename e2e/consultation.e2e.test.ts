import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { get, post, signIn } from '../apps/server/test/harness.js';
import { photoWithGps, residentId, staffCookie, submittedDoctor } from '../apps/server/test/onboarding-fixtures.js';
import { FAKE_MEDIA, hasChromium, launch, passNotice, screenshot, startProduct, withCookie } from './browser.js';

const enabled = hasChromium();

let t: TestApp;
let base: string;
beforeAll(async () => {
  if (enabled) ({ t, base } = await startProduct());
});
afterAll(async () => {
  if (t) await t.close();
});

const messageTexts = (page: Page) => page.getByTestId('chat-message').allInnerTexts();

describe.skipIf(!enabled)('consultation journey', () => {
  it('CON-1: a patient starts a consultation, the doctor accepts, they exchange messages in real time, read receipts update, and the doctor sees the history after a reload', async () => {
    // An approved psychiatrist and a patient who has given the health-data consent (set up through the API).
    const reviewer = await staffCookie(t, ['reviewer']);
    const d = await submittedDoctor(t, residentId('19760505', '611'));
    const appId = (
      await t.db.selectFrom('doctor_applications').select('id').where('user_id', '=', d.me.id).executeTakeFirstOrThrow()
    ).id;
    await post(
      t,
      `/api/admin/applications/${appId}/decision`,
      { decision: 'approve', reasonCode: 'verified', reasonText: '核验通过' },
      reviewer.cookie,
    );
    const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
    const consent = (await get(t, '/api/consents/sensitive/consultation', p.cookie)).json();
    await post(
      t,
      '/api/consents/sensitive/consultation',
      { version: consent.version, locale: consent.locale, textSha256: consent.textSha256 },
      p.cookie,
    );

    const patient = await launch({ width: 390, height: 844 }, FAKE_MEDIA);
    const doctor = await launch({ width: 390, height: 844 }, FAKE_MEDIA);
    await withCookie(patient.context, p.cookie);
    await withCookie(doctor.context, d.cookie);
    const pp = patient.page;
    const dp = doctor.page;
    try {
      // The patient asks for a follow-up consultation from the doctor's public profile.
      await pp.goto(`${base}/patient/doctors/${d.me.id}`);
      await passNotice(pp, 'public-profile');
      await pp.getByTestId('start-consultation').click();
      await pp.getByTestId('consult-follow-up-yes').click();
      await pp.getByTestId('consult-concern').fill('抑郁症复诊：最近两周早醒，情绪低落加重');
      await pp.getByTestId('consult-submit').click();
      await expect
        .poll(() => pp.getByTestId('chat').getAttribute('data-status'), { timeout: 15_000 })
        .toBe('requested');

      // The doctor sees it in the work queue and accepts.
      await dp.goto(`${base}/`);
      await passNotice(dp, 'work-queue');
      await expect
        .poll(() => dp.getByTestId('queue-requested').getAttribute('data-count'), { timeout: 20_000 })
        .toBe('1');
      await dp.getByTestId('accept-consultation').click();
      await dp.getByTestId('chat').waitFor();
      await expect
        .poll(() => dp.getByTestId('connection-state').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('live');
      await expect.poll(() => pp.getByTestId('chat').getAttribute('data-status'), { timeout: 15_000 }).toBe('active');

      // Messages both ways, delivered live.
      await dp.getByTestId('chat-input').fill('您好，我看了您的描述。最近用药有没有漏服？');
      await dp.getByTestId('chat-send').click();
      await expect.poll(() => messageTexts(pp), { timeout: 10_000 }).toEqual([expect.stringContaining('有没有漏服')]);
      await pp.getByTestId('chat-input').fill('没有漏服，每天都按时吃。');
      await pp.getByTestId('chat-send').click();
      await expect.poll(async () => (await messageTexts(dp)).length, { timeout: 10_000 }).toBe(2);
      // The patient has the chat open, so the doctor's message shows as read.
      await expect
        .poll(
          () =>
            dp
              .locator('[data-testid="chat-message"][data-mine="true"] [data-testid="message-receipt"]')
              .first()
              .getAttribute('data-read'),
          { timeout: 10_000 },
        )
        .toBe('true');
      await screenshot(dp, 'consultation-01-doctor-chat');
      await screenshot(pp, 'consultation-02-patient-chat');

      // After a reload the doctor sees the whole history, in order.
      await dp.reload();
      await dp.getByTestId('chat').waitFor();
      await expect
        .poll(
          async () =>
            (await messageTexts(dp)).map((t) =>
              t.includes('最近用药') ? 'doctor' : t.includes('每天都按时吃') ? 'patient' : t,
            ),
          { timeout: 10_000 },
        )
        .toEqual(['doctor', 'patient']);
      const seqs = await dp
        .getByTestId('chat-message')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
      expect(seqs).toEqual([1, 2]);

      // An image from the patient: a sheet says what happens to it, then the album opens.
      await pp.getByTestId('chat-image-button').click();
      await pp.getByTestId('chat-image-purpose').waitFor();
      await pp.getByTestId('chat-image-input').setInputFiles({
        name: 'report.jpg',
        mimeType: 'image/jpeg',
        buffer: await photoWithGps(900, 700),
      });
      const image = dp.locator('[data-testid="chat-message"][data-kind="image"] img');
      await image.waitFor({ timeout: 20_000 });
      await expect
        .poll(() => image.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), {
          timeout: 10_000,
        })
        .toBeGreaterThan(0);

      // A voice note from the doctor, recorded from Chromium's fake microphone after the purpose sheet.
      await dp.getByTestId('chat-voice-button').click();
      await dp.getByTestId('voice-purpose').waitFor();
      await dp.getByTestId('voice-start').click();
      await expect
        .poll(() => dp.getByTestId('voice-recorder').getAttribute('data-step'), { timeout: 10_000 })
        .toBe('recording');
      await dp.waitForTimeout(2_000);
      await dp.getByTestId('voice-stop').click();
      await dp.getByTestId('voice-send').click();
      const voice = pp.locator('[data-testid="chat-message"][data-kind="voice"]');
      await voice.waitFor({ timeout: 20_000 });
      const stored = await t.db
        .selectFrom('consultation_media')
        .select(['content_type', 'duration_ms', 'byte_size'])
        .where('variant', '=', 'audio')
        .executeTakeFirstOrThrow();
      expect(stored.content_type).toBe('audio/webm');
      expect(stored.duration_ms).toBeGreaterThan(1_500);
      expect(stored.duration_ms).toBeLessThan(10_000);
      // It plays back in the patient's app.
      await voice.getByTestId('chat-voice-play').click();
      await expect
        .poll(
          () =>
            voice
              .getByTestId('chat-voice-audio')
              .evaluate((el) => (el as unknown as { currentTime: number }).currentTime),
          {
            timeout: 10_000,
          },
        )
        .toBeGreaterThan(0);
      await screenshot(pp, 'consultation-03-patient-image-voice');
      expect(await dp.getByTestId('chat-message').count()).toBe(4);

      // NOT-1: the notification centre lists the new request and the new messages, without names or content.
      await dp.goto(`${base}/notices`);
      await dp.getByTestId('notices-list').waitFor();
      const kinds = await dp
        .getByTestId('notice-item')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      expect(kinds).toEqual(expect.arrayContaining(['consultation.requested', 'consultation.message']));
      const noticeText = (await dp.getByTestId('notices-list').innerText()).replace(/\s+/g, '');
      expect(noticeText).not.toContain('漏服');
      expect(noticeText).not.toContain('早醒');
      await dp.locator('[data-testid="notice-item"][data-kind="consultation.message"]').first().click();
      await dp.getByTestId('chat').waitFor();

      // CON-4: nothing so far was a risk signal; a message that is shows the doctor the crisis banner, live.
      await expect
        .poll(() => dp.getByTestId('connection-state').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('live');
      expect(await dp.getByTestId('crisis-banner').count()).toBe(0);
      await pp.getByTestId('chat-input').fill('其实我最近真的不想活了，药都攒好了。');
      await pp.getByTestId('chat-send').click();
      const banner = dp.getByTestId('crisis-banner');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.innerText()).toContain('12356');
      await screenshot(dp, 'consultation-04-doctor-crisis-banner');
      await dp.getByTestId('crisis-acknowledge').click();
      await dp.getByTestId('crisis-acknowledged').waitFor({ timeout: 10_000 });
      // The patient is offered help in gentle words, with the hotline one tap away.
      await pp.getByTestId('crisis-resources').or(pp.getByTestId('crisis-resources-toggle')).first().waitFor();
      const escalation = await t.db.selectFrom('crisis_escalations').selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(escalation)).not.toContain('不想活');
    } finally {
      await patient.context.close();
      await doctor.context.close();
    }
  }, 180_000);
});

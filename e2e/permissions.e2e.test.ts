import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { staffCookie } from '../apps/server/test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../apps/server/test/consultation-fixtures.js';
import { FAKE_MEDIA, hasChromium, launch, screenshot, startProduct, withCookie } from './browser.js';

const enabled = hasChromium();

let t: TestApp;
let base: string;
beforeAll(async () => {
  if (enabled) ({ t, base } = await startProduct());
});
afterAll(async () => {
  if (t) await t.close();
});

/** Counts microphone requests and keeps the tracks handed out, so the test can see when they are released. */
const INSTRUMENT = `(() => {
  window.__mic = { calls: 0, tracks: [] };
  const md = navigator.mediaDevices;
  if (!md) return;
  const original = md.getUserMedia.bind(md);
  md.getUserMedia = async (c) => {
    window.__mic.calls++;
    const stream = await original(c);
    window.__mic.tracks.push(...stream.getTracks());
    return stream;
  };
})();`;

type MicState = { calls: number; live: number };
const micState = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const m = (globalThis as unknown as { __mic: { calls: number; tracks: { readyState: string }[] } }).__mic;
    return { calls: m.calls, live: m.tracks.filter((tr) => tr.readyState === 'live').length } satisfies MicState;
  });

describe.skipIf(!enabled)('device permissions in the chat', () => {
  it('PER-1: the microphone is asked for only after the purpose is shown and the user starts recording, and it is released as soon as recording stops', async () => {
    const reviewer = await staffCookie(t, ['reviewer']);
    const doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '651');
    const { id } = await activeConsultation(t, doctor);
    const { context, page } = await launch({ width: 390, height: 844 }, FAKE_MEDIA);
    try {
      await withCookie(context, doctor.cookie);
      await context.addInitScript(INSTRUMENT);
      await page.goto(`${base}/consultations/${id}`);
      await page.getByTestId('policy-agree').or(page.getByTestId('chat')).first().waitFor();
      if (await page.getByTestId('policy-agree').isVisible()) await page.getByTestId('policy-agree').click();
      await page.getByTestId('chat').waitFor();
      expect(await micState(page)).toEqual({ calls: 0, live: 0 });

      // The sheet states the purpose; nothing is requested yet.
      await page.getByTestId('chat-voice-button').click();
      await expect(page.getByTestId('voice-purpose').innerText()).resolves.toContain('麦克风');
      expect((await micState(page)).calls).toBe(0);

      await page.getByTestId('voice-start').click();
      await expect.poll(() => page.getByTestId('voice-recorder').getAttribute('data-step')).toBe('recording');
      expect(await micState(page)).toEqual({ calls: 1, live: 1 });
      await page.waitForTimeout(800);
      await page.getByTestId('voice-stop').click();
      await expect.poll(() => page.getByTestId('voice-recorder').getAttribute('data-step')).toBe('review');
      // Stopped means stopped: the track is ended before anything is sent.
      expect(await micState(page)).toEqual({ calls: 1, live: 0 });
      await screenshot(page, 'permissions-01-voice-review');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('PER-1: a refused microphone switches off only voice notes, with directions to turn it back on; text still works', async () => {
    const reviewer = await staffCookie(t, ['reviewer']);
    const doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '652');
    const { id } = await activeConsultation(t, doctor);
    // Without Chromium's fake-UI switch, a headless browser refuses the permission, as a user tapping "Block" would.
    const { context, page } = await launch({ width: 390, height: 844 }, ['--use-fake-device-for-media-stream']);
    try {
      await withCookie(context, doctor.cookie);
      await page.goto(`${base}/consultations/${id}`);
      await page.getByTestId('policy-agree').or(page.getByTestId('chat')).first().waitFor();
      if (await page.getByTestId('policy-agree').isVisible()) await page.getByTestId('policy-agree').click();
      await page.getByTestId('chat-voice-button').click();
      await page.getByTestId('voice-start').click();
      const denied = page.getByTestId('voice-denied');
      await denied.waitFor({ timeout: 10_000 });
      expect(await denied.innerText()).toMatch(/允许本站使用麦克风/);
      await screenshot(page, 'permissions-02-mic-refused');
      await page.getByText('关闭').click();
      await page.getByTestId('chat-input').fill('语音用不了，我打字说。');
      await page.getByTestId('chat-send').click();
      await expect.poll(() => page.getByTestId('chat-message').count(), { timeout: 10_000 }).toBe(1);
    } finally {
      await context.close();
    }
  }, 90_000);
});

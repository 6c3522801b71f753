import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../apps/server/test/harness.js';
import { hasChromium, screenshot } from './browser.js';
import {
  doctorAndPatient,
  hasTurnserver,
  overlayState,
  passNotice,
  startCallProduct,
  startTurn,
  type Turn,
} from './calls-kit.js';

const enabled = hasChromium();

let t: TestApp;
let base: string;
beforeAll(async () => {
  if (enabled) ({ t, base } = await startCallProduct());
});
afterAll(async () => {
  if (t) await t.close();
});

const callRows = (app: TestApp, consultationId: string) =>
  app.db.selectFrom('calls').selectAll().where('consultation_id', '=', consultationId).orderBy('started_at').execute();

/** Waits until both sides receive media: bytes, and for video decoded frames (CON-2). */
async function expectMediaBothWays(pages: Page[], video: boolean) {
  for (const page of pages) {
    await expect.poll(async () => (await overlayState(page))?.phase, { timeout: 20_000 }).toBe('connected');
    await expect
      .poll(async () => (await overlayState(page))?.bytesReceived ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(0);
    if (video)
      await expect
        .poll(async () => (await overlayState(page))?.framesDecoded ?? 0, { timeout: 15_000 })
        .toBeGreaterThan(0);
  }
}

async function openChat(page: Page, url: string) {
  await page.goto(url);
  await passNotice(page, 'chat');
}

/** The caller taps a call button and, the first time, reads why the devices are needed (PER-1). */
async function placeCall(page: Page, media: 'voice' | 'video') {
  await page.getByTestId(media === 'video' ? 'call-start-video' : 'call-start-voice').click();
  const purpose = page.getByTestId('call-purpose');
  await purpose.or(page.getByTestId('call-overlay')).first().waitFor();
  if (await purpose.isVisible()) {
    expect(await purpose.innerText()).toContain('麦克风');
    if (media === 'video') expect(await purpose.innerText()).toContain('摄像头');
    expect(await purpose.innerText()).toContain('不会被录音或录像');
    await page.getByTestId('call-purpose-continue').click();
  }
  await page.getByTestId('call-overlay').waitFor();
}

describe.skipIf(!enabled)('voice and video calls in the browser', () => {
  it('CON-2 PER-1: a video call from the patient rings the doctor on the home screen; both receive audio and video; hang up writes the metadata row and the chat shows it', async () => {
    const s = await doctorAndPatient(t);
    try {
      const { doctor, patient } = s;
      await openChat(patient.page, `${base}/patient/consultations/${s.consultationId}`);
      await doctor.page.goto(`${base}/`);
      await passNotice(doctor.page, 'work-queue');

      // No device was asked for yet: the purpose comes first, then the browser's (fake) prompt.
      await placeCall(patient.page, 'video');
      const incoming = doctor.page.getByTestId('incoming-call');
      await incoming.waitFor({ timeout: 10_000 });
      expect(await incoming.getAttribute('data-media')).toBe('video');
      expect(await doctor.page.getByTestId('incoming-purpose').innerText()).toContain('不会被录音或录像');
      await expect.poll(() => patient.page.getByTestId('call-status').innerText()).toContain('响铃');
      await screenshot(doctor.page, 'calls-01-doctor-incoming');
      await doctor.page.getByTestId('incoming-accept').click();

      await expectMediaBothWays([patient.page, doctor.page], true);
      const remote = await doctor.page
        .getByTestId('call-remote-media')
        .evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth);
      expect(remote).toBeGreaterThan(0);
      expect(await doctor.page.getByTestId('call-quality').isVisible()).toBe(true);
      await screenshot(patient.page, 'calls-02-patient-in-video-call');

      // The chat stays reachable during the call: the call shrinks to a tile and the patient writes a message.
      await patient.page.getByTestId('call-minimise').click();
      await patient.page.getByTestId('call-restore').waitFor();
      await patient.page.getByTestId('chat-input').fill('我这边画面有点暗，能看清吗？');
      await patient.page.getByTestId('chat-send').click();
      await expect
        .poll(() => patient.page.getByTestId('chat-message').allInnerTexts(), { timeout: 10_000 })
        .toEqual([expect.stringContaining('画面有点暗')]);
      await screenshot(patient.page, 'calls-03-patient-minimised-chat');
      expect((await overlayState(patient.page))?.phase).toBe('connected');
      await patient.page.getByTestId('call-overlay').click();
      await patient.page.getByTestId('call-hangup').click();

      for (const page of [patient.page, doctor.page])
        await expect.poll(async () => (await overlayState(page))?.outcome, { timeout: 10_000 }).toBe('completed');
      const rows = await callRows(t, s.consultationId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ media: 'video', state: 'ended', outcome: 'completed', ended_by: 'caller' });
      expect(rows[0]!.answered_at).not.toBeNull();
      // The patient's chat lists the call.
      await expect
        .poll(() => patient.page.getByTestId('call-entry').first().getAttribute('data-outcome'), { timeout: 10_000 })
        .toBe('completed');
    } finally {
      await s.close();
    }
  }, 120_000);
});

describe.skipIf(!enabled)('more call journeys', () => {
  it('CON-2 PER-1: a voice-only call from the doctor: audio both ways, no camera asked for, hang up writes the row', async () => {
    const s = await doctorAndPatient(t);
    try {
      const { doctor, patient } = s;
      await openChat(doctor.page, `${base}/consultations/${s.consultationId}`);
      // The patient is elsewhere in the app (the list of consultations); the call rings there.
      await patient.page.goto(`${base}/patient/consultations`);
      await passNotice(patient.page, 'consultation-list');
      await placeCall(doctor.page, 'voice');
      await patient.page.getByTestId('incoming-call').waitFor({ timeout: 10_000 });
      expect(await patient.page.getByTestId('incoming-accept-voice').count()).toBe(0);
      await patient.page.getByTestId('incoming-accept').click();
      await expectMediaBothWays([doctor.page, patient.page], false);
      for (const page of [doctor.page, patient.page]) {
        // Voice only: no camera track was opened on either side.
        expect(await page.getByTestId('call-local-preview').count()).toBe(0);
        expect(await page.getByTestId('call-camera').count()).toBe(0);
        expect((await overlayState(page))?.framesDecoded).toBe(0);
      }
      await doctor.page.getByTestId('call-mute').click();
      expect(await doctor.page.getByTestId('call-mute').getAttribute('aria-pressed')).toBe('true');
      await screenshot(patient.page, 'calls-04-patient-voice-call');
      await doctor.page.getByTestId('call-hangup').click();
      await expect.poll(async () => (await overlayState(patient.page))?.outcome, { timeout: 10_000 }).toBe('completed');
      const rows = await callRows(t, s.consultationId);
      expect(rows).toEqual([
        expect.objectContaining({ media: 'voice', outcome: 'completed', caller_id: doctor.id, ended_by: 'caller' }),
      ]);
    } finally {
      await s.close();
    }
  }, 120_000);

  it('CON-2: a declined call (with a reason) and a missed call: the caller is told, the rows record it', async () => {
    const s = await doctorAndPatient(t);
    try {
      const { doctor, patient } = s;
      await openChat(patient.page, `${base}/patient/consultations/${s.consultationId}`);
      await openChat(doctor.page, `${base}/consultations/${s.consultationId}`);

      await placeCall(patient.page, 'video');
      await doctor.page.getByTestId('incoming-call').waitFor({ timeout: 10_000 });
      await doctor.page.getByTestId('incoming-decline-with').click();
      await doctor.page.getByTestId('decline-reason-text_instead').click();
      await expect.poll(async () => (await overlayState(patient.page))?.outcome, { timeout: 10_000 }).toBe('declined');
      expect(await patient.page.getByTestId('call-status').innerText()).toBe('对方已拒绝：请发文字消息');
      await screenshot(patient.page, 'calls-05-patient-declined');
      await expect.poll(async () => (await callRows(t, s.consultationId)).length).toBe(1);

      // Missed: nobody answers until the ring deadline (the server's clock is a fake one here).
      await expect.poll(async () => await overlayState(patient.page), { timeout: 10_000 }).toBeNull();
      await placeCall(patient.page, 'voice');
      await doctor.page.getByTestId('incoming-call').waitFor({ timeout: 10_000 });
      t.clock.advance(t.config.calls.ringSeconds * 1000);
      await t.app.services.calls.sweep();
      await expect.poll(async () => (await overlayState(patient.page))?.outcome, { timeout: 10_000 }).toBe('missed');
      expect(await patient.page.getByTestId('call-status').innerText()).toContain('对方未接听');
      await expect.poll(() => doctor.page.getByTestId('incoming-call').count(), { timeout: 10_000 }).toBe(0);

      // (the server's fake clock stood still between the two calls: compare them in a fixed order)
      const rows = (await callRows(t, s.consultationId)).map((r) => [r.media, r.outcome, r.decline_reason]);
      expect(rows.sort()).toEqual([
        ['video', 'declined', 'text_instead'],
        ['voice', 'missed', null],
      ]);
      // Both show in the doctor's chat timeline, from the doctor's side.
      await expect
        .poll(async () => (await doctor.page.getByTestId('call-entry').allInnerTexts()).length, { timeout: 10_000 })
        .toBe(2);
      const entries = (await doctor.page.getByTestId('call-entry').allInnerTexts()).join('\n');
      expect(entries).toContain('已拒绝');
      expect(entries).toContain('请发文字消息');
      expect(entries).toContain('未接来电');
    } finally {
      await s.close();
    }
  }, 120_000);
});

describe.skipIf(!enabled)('device permissions for calls', () => {
  it('PER-1: a refused camera offers a voice call instead; a refused microphone explains how to allow it', async () => {
    // The patient's browser allows the microphone only, and asks nobody: everything else is refused.
    const s = await doctorAndPatient(t, { patientFakeUi: false });
    try {
      const { doctor, patient } = s;
      const origin = new URL(base).origin;
      await patient.context.grantPermissions(['microphone'], { origin });
      await openChat(patient.page, `${base}/patient/consultations/${s.consultationId}`);
      await openChat(doctor.page, `${base}/consultations/${s.consultationId}`);

      await patient.page.getByTestId('call-start-video').click();
      await patient.page.getByTestId('call-purpose-continue').click();
      const cameraProblem = patient.page.getByTestId('call-camera-problem');
      await cameraProblem.waitFor({ timeout: 10_000 });
      expect(await cameraProblem.innerText()).toContain('改为语音通话');
      await screenshot(patient.page, 'calls-06-patient-camera-refused');
      await patient.page.getByTestId('call-voice-instead').click();
      await doctor.page.getByTestId('incoming-call').waitFor({ timeout: 10_000 });
      expect(await doctor.page.getByTestId('incoming-call').getAttribute('data-media')).toBe('voice');
      await doctor.page.getByTestId('incoming-decline').click();
      await expect.poll(async () => (await overlayState(patient.page))?.outcome, { timeout: 10_000 }).toBe('declined');
      await expect.poll(async () => await overlayState(patient.page), { timeout: 10_000 }).toBeNull();

      // Now the microphone is refused too: no call is placed, and the sheet says where to allow it.
      await patient.context.clearPermissions();
      await patient.page.getByTestId('call-start-voice').click();
      await patient.page.getByTestId('call-purpose-continue').click();
      const problem = patient.page.getByTestId('call-problem');
      await problem.waitFor({ timeout: 10_000 });
      expect(await problem.locator('[data-problem]').getAttribute('data-problem')).toBe('microphone_denied');
      expect(await problem.innerText()).toContain('允许使用麦克风');
      await screenshot(patient.page, 'calls-07-patient-microphone-refused');
      expect(await callRows(t, s.consultationId)).toHaveLength(1);
    } finally {
      await s.close();
    }
  }, 120_000);
});

const relay = enabled && hasTurnserver();

describe.skipIf(!relay)('relay-only call through coturn', () => {
  let turn: Turn;
  let rt: TestApp;
  let rbase: string;
  beforeAll(async () => {
    turn = await startTurn();
    ({ t: rt, base: rbase } = await startCallProduct({
      ANXIN_TURN_URLS: turn.urls,
      ANXIN_TURN_SECRET: turn.secret,
      ANXIN_ICE_TRANSPORT_POLICY: 'relay',
    }));
  });
  afterAll(async () => {
    await rt?.close();
    await turn?.stop();
  });

  it('CON-2 SEC-1: with iceTransportPolicy relay, a video call flows only through the TURN relay, using per-call time-limited credentials', async () => {
    const s = await doctorAndPatient(rt);
    try {
      const { doctor, patient } = s;
      await openChat(patient.page, `${rbase}/patient/consultations/${s.consultationId}`);
      await doctor.page.goto(`${rbase}/`);
      await passNotice(doctor.page, 'work-queue');
      await placeCall(patient.page, 'video');
      await doctor.page.getByTestId('incoming-call').waitFor({ timeout: 10_000 });
      await doctor.page.getByTestId('incoming-accept').click();
      await expectMediaBothWays([patient.page, doctor.page], true);
      for (const page of [patient.page, doctor.page])
        await expect.poll(async () => (await overlayState(page))?.relayed, { timeout: 10_000 }).toBe(true);
      await doctor.page.getByTestId('call-hangup').click();
      await expect.poll(async () => (await overlayState(patient.page))?.outcome, { timeout: 10_000 }).toBe('completed');
      expect(await callRows(rt, s.consultationId)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    } finally {
      await s.close();
    }
  }, 120_000);
});

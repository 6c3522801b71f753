import crypto from 'node:crypto';
import WebSocket from 'ws';
import type { ServerFrame } from '@anxin/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, post, signIn, type TestApp } from '../../test/harness.js';
import { residentId, staffCookie, submittedDoctor } from '../../test/onboarding-fixtures.js';

let t: TestApp;
let base: string;
let doctor: { cookie: string; id: string };

/** A socket client that collects frames and can wait for one. */
async function connect(cookie: string | undefined, origin = base) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, {
    headers: { ...(cookie ? { cookie } : {}), origin },
  });
  const frames: ServerFrame[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  const closed = new Promise<{ code: number; at: number }>((resolve) =>
    ws.on('close', (code) => resolve({ code, at: Date.now() })),
  );
  const opened = await new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('unexpected-response', (request, response) => {
      // A refused upgrade: release the HTTP connection so the server can shut down.
      response.resume();
      request.destroy();
      resolve(false);
    });
    ws.once('error', () => resolve(false));
  });
  // A refused upgrade leaves the client half-open: tear it down so the server can shut down.
  if (!opened) ws.terminate();
  const waitFor = async (pred: (f: ServerFrame) => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = frames.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
  };
  return { ws, frames, closed, opened, waitFor, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
}

async function consultation() {
  const p = await signIn(t, 'patient', undefined, { keepSignedIn: true });
  const doc = (await get(t, '/api/consents/sensitive/consultation', p.cookie)).json();
  await post(
    t,
    '/api/consents/sensitive/consultation',
    { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 },
    p.cookie,
  );
  const id = (
    await post(t, '/api/consultations', { doctorId: doctor.id, concern: '复诊：睡眠仍差', isFollowUp: true }, p.cookie)
  ).json().id as string;
  await post(t, `/api/consultations/${id}/accept`, {}, doctor.cookie);
  return { patient: { cookie: p.cookie, id: p.me.id as string }, id };
}

beforeAll(async () => {
  t = await createTestApp();
  const reviewer = await staffCookie(t, ['reviewer']);
  const d = await submittedDoctor(t, residentId('19810303', '901'));
  const appId = (
    await t.db.selectFrom('doctor_applications').select('id').where('user_id', '=', d.me.id).executeTakeFirstOrThrow()
  ).id;
  await post(
    t,
    `/api/admin/applications/${appId}/decision`,
    { decision: 'approve', reasonCode: 'verified', reasonText: '核验通过' },
    reviewer.cookie,
  );
  doctor = { cookie: d.cookie, id: d.me.id };
  base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
}, 60_000);
afterAll(async () => t.close());

describe('the WebSocket channel', () => {
  it('CON-1: a message sent over the socket is acknowledged after it is stored, and pushed in real time to the other participant', async () => {
    const { patient, id } = await consultation();
    const p = await connect(patient.cookie);
    const d = await connect(doctor.cookie);
    expect(p.opened && d.opened).toBe(true);
    await p.waitFor((f) => f.type === 'hello');
    const clientId = crypto.randomUUID();
    p.send({ type: 'send', consultationId: id, clientId, kind: 'text', text: '医生，今晚还是睡不着' });
    const ack = await p.waitFor((f) => f.type === 'ack');
    expect(ack).toMatchObject({ type: 'ack', consultationId: id, clientId, seq: 1, duplicate: false });
    expect(
      await t.db.selectFrom('messages').select('seq').where('consultation_id', '=', id).executeTakeFirst(),
    ).toEqual({ seq: 1 });
    const pushed = await d.waitFor((f) => f.type === 'message');
    expect(pushed).toMatchObject({
      consultationId: id,
      message: { seq: 1, text: '医生，今晚还是睡不着', senderId: patient.id },
    });
    // The same client id again: the original acknowledgement, no second message.
    p.send({ type: 'send', consultationId: id, clientId, kind: 'text', text: '医生，今晚还是睡不着' });
    await p.waitFor((f) => f.type === 'ack' && f.duplicate);
    // Read receipts travel too.
    d.send({ type: 'read', consultationId: id, seq: 1 });
    expect(await p.waitFor((f) => f.type === 'read')).toMatchObject({ seq: 1, userId: doctor.id });
    p.ws.close();
    d.ws.close();
  });

  it('CON-1: after reconnecting, sync returns exactly the messages missed while away, in order', async () => {
    const { patient, id } = await consultation();
    const first = await connect(patient.cookie);
    first.send({ type: 'send', consultationId: id, clientId: crypto.randomUUID(), kind: 'text', text: '第一条' });
    await first.waitFor((f) => f.type === 'ack');
    first.ws.close();
    for (const text of ['错过的一', '错过的二']) {
      await post(
        t,
        `/api/consultations/${id}/messages`,
        { clientId: crypto.randomUUID(), kind: 'text', text },
        doctor.cookie,
      );
    }
    const again = await connect(patient.cookie);
    again.send({ type: 'sync', consultationId: id, after: 1 });
    const page = await again.waitFor((f) => f.type === 'messages');
    expect(page.type === 'messages' && page.messages.map((m) => [m.seq, m.text])).toEqual([
      [2, '错过的一'],
      [3, '错过的二'],
    ]);
    again.ws.close();
  });

  it('SEC-1: no session, a foreign origin, or another person’s consultation: refused', async () => {
    const { id } = await consultation();
    expect((await connect(undefined)).opened).toBe(false);
    const foreign = await connect(doctor.cookie, 'https://evil.example');
    expect((await foreign.closed).code).toBe(4403);
    const staff = await staffCookie(t, ['admin']);
    expect((await connect(staff.cookie)).opened).toBe(false);
    const stranger = await signIn(t, 'patient');
    const s = await connect(stranger.cookie);
    s.send({ type: 'send', consultationId: id, clientId: crypto.randomUUID(), kind: 'text', text: '闯入' });
    expect(await s.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'CONSULTATION_NOT_FOUND' });
    s.send({ type: 'sync', consultationId: id, after: 0 });
    expect(
      await s.waitFor(
        (f) => f.type === 'error' && f.code === 'CONSULTATION_NOT_FOUND' && !('clientId' in f && f.clientId),
      ),
    ).toBeDefined();
    s.send({ notAFrame: true });
    expect(await s.waitFor((f) => f.type === 'error' && f.code === 'VALIDATION_FAILED')).toBeDefined();
    s.ws.close();
  });

  it('SEC-1: a frame larger than 16 kB closes the connection instead of being buffered', async () => {
    const { patient } = await consultation();
    const c = await connect(patient.cookie);
    c.ws.send('x'.repeat(20 * 1024));
    expect((await c.closed).code).toBe(1009);
  });

  it('ACC-4: signing out closes that session’s sockets within a second', async () => {
    const { patient } = await consultation();
    const c = await connect(patient.cookie);
    await c.waitFor((f) => f.type === 'hello');
    const before = Date.now();
    await post(t, '/api/auth/sign-out', {}, patient.cookie);
    const closed = await c.closed;
    expect(closed.code).toBe(4401);
    expect(closed.at - before).toBeLessThan(1000);
  });
});

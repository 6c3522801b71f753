import crypto from 'node:crypto';
import { sql } from 'kysely';
import WebSocket from 'ws';
import type { ServerFrame } from '@anxin/contracts';
import { CallClientFrame } from '@anxin/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, post, type TestApp } from '../../../test/harness.js';
import { staffCookie } from '../../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../../../test/consultation-fixtures.js';

let t: TestApp;
let base: string;
let doctor: { cookie: string; id: string };
const TURN_SECRET = 'integration-test-turn-secret-2026';

type Frame = ServerFrame;
type Client = Awaited<ReturnType<typeof connect>>;

/** A WebSocket client that collects frames and can wait for one. */
async function connect(cookie: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, { headers: { cookie, origin: base } });
  const frames: Frame[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async <T extends Frame['type']>(
    type: T,
    pred: (f: Extract<Frame, { type: T }>) => boolean = () => true,
    ms = 3000,
  ): Promise<Extract<Frame, { type: T }>> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = frames.find((f) => f.type === type && pred(f as Extract<Frame, { type: T }>));
      if (hit) return hit as Extract<Frame, { type: T }>;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${type} frame; got ${JSON.stringify(frames)}`);
  };
  const none = async (type: Frame['type'], ms = 300) => {
    await new Promise((r) => setTimeout(r, ms));
    return frames.filter((f) => f.type === type);
  };
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  return { ws, frames, waitFor, none, closed, send: (frame: object) => ws.send(JSON.stringify(frame)) };
}

const open: Client[] = [];
async function client(cookie: string) {
  const c = await connect(cookie);
  open.push(c);
  return c;
}

/** A realistic SDP and candidates, to find them anywhere they might have been written. */
const SDP = (role: string) =>
  [
    'v=0',
    `o=- 46117317 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    `a=fingerprint:sha-256 ${role === 'offer' ? 'AA' : 'BB'}:11:22:33`,
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=candidate:842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 0.0.0.0 rport 0',
  ].join('\r\n') + '\r\n';
const CANDIDATE = 'candidate:1467250027 1 udp 2122260223 192.168.1.23 46243 typ host generation 0';

/** Caller (patient) and callee (doctor) sockets in a fresh active consultation, with a ringing call. */
async function ringingCall(media: 'voice' | 'video' = 'video') {
  const c = await activeConsultation(t, doctor);
  const patient = await client(c.patient.cookie);
  const doc = await client(doctor.cookie);
  patient.send({ type: 'call.invite', consultationId: c.id, media });
  const created = await patient.waitFor('call.created');
  const incoming = await doc.waitFor('call.incoming', (f) => f.callId === created.callId);
  return { c, patient, doc, callId: created.callId, created, incoming };
}

async function answeredCall(media: 'voice' | 'video' = 'video') {
  const r = await ringingCall(media);
  r.doc.send({ type: 'call.ringing', callId: r.callId });
  await r.patient.waitFor('call.ringing');
  r.doc.send({ type: 'call.accept', callId: r.callId });
  const callerAccepted = await r.patient.waitFor('call.accepted');
  const calleeAccepted = await r.doc.waitFor('call.accepted');
  return { ...r, callerAccepted, calleeAccepted };
}

const callRow = (id: string) => t.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestApp({
    env: {
      ANXIN_TURN_URLS: 'turn:127.0.0.1:3478?transport=udp',
      ANXIN_STUN_URLS: 'stun:127.0.0.1:3478',
      ANXIN_TURN_SECRET: TURN_SECRET,
      ANXIN_CALL_RECONNECT_SECONDS: '1',
    },
  });
  const reviewer = await staffCookie(t, ['reviewer']);
  doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '811');
  base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
}, 60_000);
// A failed test must not leave the doctor "in a call" for the next one.
afterEach(async () => {
  const openCalls = await t.db.selectFrom('calls').select('consultation_id').where('state', '<>', 'ended').execute();
  for (const c of openCalls) await t.app.services.calls.consultationClosed(c.consultation_id);
});
afterAll(async () => {
  for (const c of open) c.ws.terminate();
  await t.close();
});

describe('voice and video calls', () => {
  it('CON-2: a video call rings on the callee, is answered, relays offer/answer/candidates to the device in the call only, and hanging up stores only metadata (completed, duration) with audit entries', async () => {
    const r = await ringingCall('video');
    // A second device of the doctor rings too.
    const docPhone = await client(doctor.cookie);
    // (it connected after the invite: nothing for it; a new invite would reach it)
    expect(r.incoming).toMatchObject({ media: 'video', callerRole: 'patient', consultationId: r.c.id });
    expect(JSON.stringify(r.incoming)).not.toMatch(/name|phone/i);
    r.doc.send({ type: 'call.ringing', callId: r.callId });
    await r.patient.waitFor('call.ringing', (f) => f.callId === r.callId);
    expect((await callRow(r.callId)).state).toBe('ringing');

    t.clock.advance(4000);
    r.doc.send({ type: 'call.accept', callId: r.callId });
    const acc = await r.patient.waitFor('call.accepted');
    expect(acc.role).toBe('caller');
    expect(acc.ice.iceServers[1]!.username).toMatch(new RegExp(`^\\d+:${r.callId}$`));
    expect((await r.doc.waitFor('call.accepted')).role).toBe('callee');
    await r.doc.waitFor('call.taken');

    r.patient.send({ type: 'call.offer', callId: r.callId, sdp: SDP('offer') });
    expect((await r.doc.waitFor('call.offer')).sdp).toBe(SDP('offer'));
    r.doc.send({ type: 'call.answer', callId: r.callId, sdp: SDP('answer') });
    expect((await r.patient.waitFor('call.answer')).sdp).toBe(SDP('answer'));
    r.doc.send({ type: 'call.candidate', callId: r.callId, candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 });
    expect(await r.patient.waitFor('call.candidate')).toMatchObject({ candidate: CANDIDATE, sdpMid: '0' });
    r.patient.send({ type: 'call.candidate', callId: r.callId, candidate: CANDIDATE, sdpMid: '1', sdpMLineIndex: 1 });
    await r.doc.waitFor('call.candidate');
    // Only the device that answered hears the call's signalling; the other phone of the doctor cannot speak for it.
    expect(await docPhone.none('call.offer')).toEqual([]);
    docPhone.send({ type: 'call.answer', callId: r.callId, sdp: SDP('answer') });
    expect((await docPhone.waitFor('call.error')).code).toBe('CALL_NOT_ALLOWED');
    // Direction: the callee cannot offer, the caller cannot answer.
    r.doc.send({ type: 'call.offer', callId: r.callId, sdp: SDP('offer') });
    expect((await r.doc.waitFor('call.error')).code).toBe('CALL_NOT_ALLOWED');

    t.clock.advance(93_000);
    r.doc.send({ type: 'call.hangup', callId: r.callId });
    const ended = await r.patient.waitFor('call.ended');
    expect(ended).toMatchObject({ outcome: 'completed', endedBy: 'callee', durationSeconds: 93 });
    await docPhone.waitFor('call.ended');

    const row = await callRow(r.callId);
    expect(row).toMatchObject({
      state: 'ended',
      outcome: 'completed',
      media: 'video',
      caller_id: r.c.patient.id,
      callee_id: doctor.id,
      duration_seconds: 93,
      ended_by: 'callee',
    });
    expect(new Date(row.answered_at!).getTime() - new Date(row.started_at).getTime()).toBe(4000);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('subject_id', '=', r.c.id)
      .where('action', 'like', 'call.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['call.started', 'call.ended']);
    expect(audit[1]!.details).toMatchObject({ callId: r.callId, outcome: 'completed', durationSeconds: 93 });

    // The consultation's timeline lists the call for both participants, metadata only.
    const list = (await get(t, `/api/consultations/${r.c.id}/calls`, r.c.patient.cookie)).json();
    expect(list.calls).toEqual([
      expect.objectContaining({ id: r.callId, outcome: 'completed', callerRole: 'patient', durationSeconds: 93 }),
    ]);
    expect((await get(t, `/api/consultations/${r.c.id}/calls`, doctor.cookie)).json().calls).toHaveLength(1);
    // Signalling after the end is refused.
    r.patient.send({ type: 'call.candidate', callId: r.callId, candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 });
    expect((await r.patient.waitFor('call.error')).code).toBe('CALL_STATE');
  });

  it('SEC-1: a third user cannot signal into a call, end it, read its timeline or get its TURN credentials', async () => {
    const r = await answeredCall('voice');
    const other = await activeConsultation(t, doctor); // another patient of the same doctor
    const intruder = await client(other.patient.cookie);
    const attempts = [
      { type: 'call.accept', callId: r.callId },
      { type: 'call.offer', callId: r.callId, sdp: SDP('offer') },
      { type: 'call.answer', callId: r.callId, sdp: SDP('answer') },
      { type: 'call.candidate', callId: r.callId, candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 },
      { type: 'call.restart', callId: r.callId },
      { type: 'call.resume', callId: r.callId },
      { type: 'call.hangup', callId: r.callId },
      { type: 'call.decline', callId: r.callId, reason: 'busy_now' },
    ];
    for (const frame of attempts) intruder.send(frame);
    await expect
      .poll(() => intruder.frames.filter((f) => f.type === 'call.error').length, { timeout: 3000 })
      .toBe(attempts.length);
    const codes = intruder.frames.flatMap((f) => (f.type === 'call.error' ? [f.code] : []));
    expect(new Set(codes)).toEqual(new Set(['CALL_NOT_FOUND']));
    expect(await r.patient.none('call.candidate')).toEqual([]);
    expect((await callRow(r.callId)).state).toBe('active');
    // Calling into someone else's consultation is refused as if it did not exist.
    intruder.send({ type: 'call.invite', consultationId: r.c.id, media: 'video' });
    expect((await intruder.waitFor('call.error', (f) => f.consultationId === r.c.id)).code).toBe(
      'CONSULTATION_NOT_FOUND',
    );

    const ice = await get(t, `/api/calls/${r.callId}/ice`, other.patient.cookie);
    expect(ice.statusCode).toBe(404);
    expect(ice.body).not.toContain(r.callId);
    expect((await get(t, `/api/consultations/${r.c.id}/calls`, other.patient.cookie)).statusCode).toBe(404);
    // The participants get fresh credentials, valid for this call only and for a limited time.
    const mine = await get(t, `/api/calls/${r.callId}/ice`, doctor.cookie);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['cache-control']).toBe('no-store');
    const turn = mine.json().iceServers.find((s: { urls: string[] }) => s.urls[0]!.startsWith('turn:'));
    const [expiry, id] = turn.username.split(':');
    expect(id).toBe(r.callId);
    expect(Number(expiry) - Math.floor(t.clock.now().getTime() / 1000)).toBe(t.config.calls.turnTtlSeconds);
    expect(mine.body).not.toContain(TURN_SECRET);
    r.patient.send({ type: 'call.hangup', callId: r.callId });
    await r.doc.waitFor('call.ended');
    expect((await get(t, `/api/calls/${r.callId}/ice`, doctor.cookie)).json().error.code).toBe('CALL_STATE');
  });

  it('CON-2: the callee gets no TURN credentials before answering', async () => {
    const r = await ringingCall('voice');
    expect((await get(t, `/api/calls/${r.callId}/ice`, doctor.cookie)).json().error.code).toBe('CALL_STATE');
    expect((await get(t, `/api/calls/${r.callId}/ice`, r.c.patient.cookie)).statusCode).toBe(200);
    r.patient.send({ type: 'call.cancel', callId: r.callId });
    await r.doc.waitFor('call.ended');
  });

  it('CON-2: calling someone who is in another call ends at once as busy (and they see a missed call); a caller already in a call is refused', async () => {
    const r = await answeredCall('video');
    const second = await activeConsultation(t, doctor);
    const p2 = await client(second.patient.cookie);
    p2.send({ type: 'call.invite', consultationId: second.id, media: 'voice' });
    const busy = await p2.waitFor('call.ended');
    expect(busy).toMatchObject({ outcome: 'busy', endedBy: 'system', durationSeconds: 0 });
    expect(await r.doc.none('call.incoming', 200)).toHaveLength(1); // only the first call's
    const row = await callRow(busy.callId);
    expect(row).toMatchObject({ state: 'ended', outcome: 'busy', caller_id: second.patient.id, callee_id: doctor.id });
    const notices = (await get(t, '/api/me/notices', doctor.cookie)).json().notices;
    expect(notices.some((n: { kind: string }) => n.kind === 'call.missed')).toBe(true);
    // The doctor, in a call, cannot start a second one.
    r.doc.send({ type: 'call.invite', consultationId: second.id, media: 'voice' });
    expect((await r.doc.waitFor('call.error', (f) => f.consultationId === second.id)).code).toBe(
      'CALL_ALREADY_IN_CALL',
    );
    r.patient.send({ type: 'call.hangup', callId: r.callId });
    await r.doc.waitFor('call.ended', (f) => f.callId === r.callId);
  });

  it('CON-2: the caller cancels a ringing call: both sides hear it ended (cancelled) and the incoming-call notice is settled', async () => {
    const r = await ringingCall('voice');
    const incoming = (await get(t, '/api/me/notices', doctor.cookie))
      .json()
      .notices.find((n: { kind: string; readAt: string | null }) => n.kind === 'call.incoming' && !n.readAt);
    expect(incoming).toMatchObject({ title: { zh: '来电', en: 'Incoming call' } });
    expect(JSON.stringify(incoming)).not.toMatch(/患者|patient name/);
    r.doc.send({ type: 'call.cancel', callId: r.callId });
    expect((await r.doc.waitFor('call.error')).code).toBe('CALL_NOT_ALLOWED');
    r.patient.send({ type: 'call.cancel', callId: r.callId });
    expect(await r.doc.waitFor('call.ended')).toMatchObject({ outcome: 'cancelled', endedBy: 'caller' });
    await r.patient.waitFor('call.ended');
    expect((await callRow(r.callId)).outcome).toBe('cancelled');
    const after = (await get(t, '/api/me/notices', doctor.cookie)).json().notices;
    expect(
      after.filter((n: { kind: string; readAt: string | null }) => n.kind === 'call.incoming' && !n.readAt),
    ).toEqual([]);
  });

  it('CON-2: an unanswered call is missed once the ring deadline passes (fake clock), and the callee is told they missed a call', async () => {
    const r = await ringingCall('video');
    expect(new Date(r.created.ringDeadline).getTime() - t.clock.now().getTime()).toBe(
      t.config.calls.ringSeconds * 1000,
    );
    t.clock.advance(t.config.calls.ringSeconds * 1000 - 1);
    await t.app.services.calls.sweep();
    expect((await callRow(r.callId)).state).toBe('inviting');
    t.clock.advance(1);
    await t.app.services.calls.sweep();
    expect(await r.patient.waitFor('call.ended')).toMatchObject({ outcome: 'missed', endedBy: 'system' });
    await r.doc.waitFor('call.ended');
    expect(await callRow(r.callId)).toMatchObject({ outcome: 'missed', answered_at: null, duration_seconds: 0 });
    const notices = (await get(t, '/api/me/notices', doctor.cookie)).json().notices;
    expect(notices[0]).toMatchObject({ kind: 'call.missed', link: `/consultations/${r.c.id}` });
    // Answering too late is refused.
    r.doc.send({ type: 'call.accept', callId: r.callId });
    expect((await r.doc.waitFor('call.error')).code).toBe('CALL_STATE');
  });

  it('CON-2: a call left ringing by a stopped server is ended at start', async () => {
    const c = await activeConsultation(t, doctor);
    const id = crypto.randomUUID();
    const past = new Date(t.clock.now().getTime() - 60_000);
    await t.db
      .insertInto('calls')
      .values({
        id,
        consultation_id: c.id,
        caller_id: c.patient.id,
        callee_id: doctor.id,
        media: 'voice',
        state: 'ringing',
        outcome: null,
        decline_reason: null,
        ended_by: null,
        started_at: new Date(past.getTime() - 45_000),
        ring_deadline: past,
        answered_at: null,
        ended_at: null,
      })
      .execute();
    await t.app.services.calls.start();
    expect(await callRow(id)).toMatchObject({ state: 'ended', outcome: 'missed' });
    expect(new Date((await callRow(id)).ended_at!).getTime()).toBe(past.getTime());
  });

  it('CON-2: the callee declines with a reason: declined, with the reason in the timeline', async () => {
    const r = await ringingCall('video');
    r.doc.send({ type: 'call.decline', callId: r.callId, reason: 'text_instead' });
    expect(await r.patient.waitFor('call.ended')).toMatchObject({
      outcome: 'declined',
      declineReason: 'text_instead',
      endedBy: 'callee',
    });
    const list = (await get(t, `/api/consultations/${r.c.id}/calls`, r.c.patient.cookie)).json();
    expect(list.calls[0]).toMatchObject({ outcome: 'declined', declineReason: 'text_instead' });
    // A reason outside the fixed list is refused by the frame schema: no free text is ever stored with a call.
    r.doc.send({ type: 'call.decline', callId: r.callId, reason: '我不想接' });
    expect((await r.doc.waitFor('error')).code).toBe('VALIDATION_FAILED');
  });

  it('CON-2: an oversized session description or candidate is refused with a clear error frame and not relayed', async () => {
    const r = await answeredCall('video');
    r.patient.send({ type: 'call.offer', callId: r.callId, sdp: `v=0\r\na=x-padding:${'p'.repeat(12_500)}\r\n` });
    const err = await r.patient.waitFor('call.error');
    expect(err).toMatchObject({ code: 'CALL_SIGNAL_TOO_LARGE', callId: r.callId });
    expect(err.message).toMatch(/通话连接数据过大.*12000/);
    r.doc.send({
      type: 'call.candidate',
      callId: r.callId,
      candidate: `candidate:${'1'.repeat(2000)}`,
      sdpMid: '0',
      sdpMLineIndex: 0,
    });
    expect((await r.doc.waitFor('call.error')).code).toBe('CALL_SIGNAL_TOO_LARGE');
    expect(await r.doc.none('call.offer')).toEqual([]);
    expect(await r.patient.none('call.candidate')).toEqual([]);
    // A normal one still goes through afterwards.
    r.patient.send({ type: 'call.offer', callId: r.callId, sdp: SDP('offer') });
    await r.doc.waitFor('call.offer');
    r.patient.send({ type: 'call.hangup', callId: r.callId });
    await r.doc.waitFor('call.ended');
  });

  it('SEC-1: signalling is rate limited: a burst of invitations is refused with a wait time', async () => {
    const c = await activeConsultation(t, doctor);
    const p = await client(c.patient.cookie);
    for (let i = 0; i < 7; i++) p.send({ type: 'call.invite', consultationId: c.id, media: 'voice' });
    const limited = await p.waitFor('call.error', (f) => f.code === 'CALL_RATE_LIMITED');
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.message).toMatch(/过于频繁/);
    // Every invitation is answered (created, already in a call, or rate limited) before the call is cancelled.
    await expect
      .poll(() => p.frames.filter((f) => f.type === 'call.created' || f.type === 'call.error').length)
      .toBe(7);
    const created = p.frames.filter((f) => f.type === 'call.created');
    expect(created).toHaveLength(1);
    p.send({ type: 'call.cancel', callId: created[0]!.callId });
    await p.waitFor('call.ended');
  });

  it('CON-2: a dropped connection can resume within the grace period (ICE restart follows); a participant who does not come back fails the call', async () => {
    const r = await answeredCall('voice');
    r.patient.ws.terminate(); // network loss: no close frame
    await r.patient.closed;
    const back = await client(r.c.patient.cookie);
    back.send({ type: 'call.resume', callId: r.callId });
    const resumed = await back.waitFor('call.resumed');
    expect(resumed).toMatchObject({ party: 'caller' });
    expect(resumed.ice?.iceServers.length).toBe(2);
    expect(await r.doc.waitFor('call.resumed')).toMatchObject({ party: 'caller' });
    back.send({ type: 'call.offer', callId: r.callId, sdp: SDP('offer'), restart: true });
    expect(await r.doc.waitFor('call.offer')).toMatchObject({ restart: true });
    r.doc.send({ type: 'call.restart', callId: r.callId });
    await back.waitFor('call.restart');
    await new Promise((res) => setTimeout(res, 1300)); // past the grace period: still going
    expect((await callRow(r.callId)).state).toBe('active');

    r.doc.ws.terminate();
    const ended = await back.waitFor('call.ended', () => true, 4000);
    expect(ended).toMatchObject({ outcome: 'failed', endedBy: 'system' });
  });

  it('CON-2: closing the page (close code 1001) hangs up at once', async () => {
    const r = await answeredCall('video');
    r.doc.ws.close(1001);
    expect(await r.patient.waitFor('call.ended')).toMatchObject({ outcome: 'completed', endedBy: 'callee' });
  });

  it('CON-2: when the doctor ends the consultation its call ends, and calls need an active consultation', async () => {
    const r = await answeredCall('video');
    expect((await post(t, `/api/consultations/${r.c.id}/end`, {}, doctor.cookie)).statusCode).toBe(200);
    await t.app.services.calls.sweep(); // the patient's socket hears it at once; the sweep covers the rest
    expect(await r.doc.waitFor('call.ended')).toMatchObject({ outcome: 'completed', endedBy: 'system' });
    r.patient.send({ type: 'call.invite', consultationId: r.c.id, media: 'voice' });
    expect((await r.patient.waitFor('call.error', (f) => f.consultationId === r.c.id)).code).toBe(
      'CALL_CONSULTATION_NOT_ACTIVE',
    );
  });

  it('CON-2: no session description or ICE candidate is stored anywhere in the database after calls', async () => {
    // The calls above relayed offers, answers and candidates; look through every row of every table.
    const tables = await sql<{ schema: string; name: string }>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`.execute(t.db);
    expect(tables.rows.map((r) => r.name)).toContain('calls');
    const hits: string[] = [];
    for (const { schema, name } of tables.rows) {
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(`${schema}.${name}`)} t`.execute(
        t.db,
      );
      for (const { row } of rows.rows)
        if (/v=0|a=candidate|candidate:\d|a=fingerprint|203\.0\.113\.7|192\.168\.1\.23/.test(row))
          hits.push(`${schema}.${name}`);
    }
    expect(hits).toEqual([]);
    expect(t.logs.join('\n')).not.toMatch(/a=fingerprint|203\.0\.113\.7|192\.168\.1\.23/);
  });

  it('CON-2: the API has no media or recording surface: no such route, no such frame, call routes only read metadata and ICE credentials', async () => {
    const openapi = (await get(t, '/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = t.app.printRoutes({ commonPrefix: false });
    for (const text of [Object.keys(openapi.paths).join('\n'), routes])
      expect(text).not.toMatch(/record|recording|sfu|mcu|rtp|capture|egress|transcri/i);
    const callPaths = Object.entries(openapi.paths).filter(([p]) => /call/i.test(p));
    expect(callPaths.map(([p, ops]) => [p, Object.keys(ops)])).toEqual([
      ['/api/consultations/{id}/calls', ['get']],
      ['/api/calls/{callId}/ice', ['get']],
    ]);
    // The WebSocket frames a client can send about calls: signalling only, nothing that carries media.
    const frameTypes = CallClientFrame.anyOf.map((f) => (f.properties.type as { const: string }).const);
    expect(frameTypes.sort()).toEqual(
      [
        'call.accept',
        'call.answer',
        'call.cancel',
        'call.candidate',
        'call.decline',
        'call.hangup',
        'call.invite',
        'call.offer',
        'call.restart',
        'call.resume',
        'call.ringing',
      ].sort(),
    );
    const columns = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns where table_name = 'calls'`.execute(t.db);
    expect(
      columns.rows.filter((c) => c.data_type === 'bytea' || /sdp|media_|blob|audio|video/.test(c.column_name)),
    ).toEqual([]);
  });
});

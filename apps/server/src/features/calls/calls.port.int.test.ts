import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { staffCookie } from '../../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../../../test/consultation-fixtures.js';
import { personalColumns } from '../../privacy/inventory/inventory.js';
import type { Actor } from '../identity/identity.service.js';
import { createCallsPort } from './calls.port.js';

let t: TestApp;
const port = createCallsPort();
let doctor: { cookie: string; id: string };
let otherDoctor: { cookie: string; id: string };

const actor = (userId: string, app: 'doctor' | 'patient'): Actor => ({
  userId,
  app,
  roles: [],
  sessionId: crypto.randomUUID(),
  stage: 'active',
  locale: 'zh-CN',
});
const ctx = (userId: string, app: 'doctor' | 'patient') => ({ actor: actor(userId, app), connId: crypto.randomUUID() });
const callOf = async (consultationId: string) =>
  t.db.selectFrom('calls').selectAll().where('consultation_id', '=', consultationId).executeTakeFirstOrThrow();

let a: Awaited<ReturnType<typeof activeConsultation>>;
let b: Awaited<ReturnType<typeof activeConsultation>>;
let callA: string;
let callB: string;

beforeAll(async () => {
  t = await createTestApp();
  const reviewer = await staffCookie(t, ['reviewer']);
  doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '951');
  otherDoctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '952');
  const calls = t.app.services.calls;
  // A calls the doctor by video, who declines asking to write instead; B's voice call to another doctor is cancelled.
  a = await activeConsultation(t, doctor);
  await calls.invite(ctx(a.patient.id, 'patient'), a.id, 'video');
  callA = (await callOf(a.id)).id;
  await calls.decline(ctx(doctor.id, 'doctor'), callA, 'text_instead');
  b = await activeConsultation(t, otherDoctor);
  await calls.invite(ctx(b.patient.id, 'patient'), b.id, 'voice');
  callB = (await callOf(b.id)).id;
  await calls.cancel(ctx(b.patient.id, 'patient'), callB);
}, 90_000);
afterAll(async () => t.close());

describe('calls personal-data port', () => {
  it('SEC-2: describe() lists exactly the personal columns of calls', () => {
    const expected = personalColumns()
      .filter((c) => c.table === 'calls')
      .map((c) => c.column)
      .sort();
    expect(port.describe().owner).toBe('features/calls/calls.repo.ts');
    expect([...port.describe().columns.calls!].sort()).toEqual(expected);
  });

  it('SEC-2: the export holds the person’s own call metadata (both sides), nothing of another person’s calls', async () => {
    const out = await port.export(t.db, { userId: a.patient.id });
    expect(out.files).toEqual([]);
    const json = JSON.stringify(out.data);
    expect(out.data.calls).toEqual([
      expect.objectContaining({
        id: callA,
        consultationId: a.id,
        direction: 'placed',
        media: 'video',
        outcome: 'declined',
        declineReason: 'text_instead',
        endedBy: 'other',
        startedAt: expect.any(String),
        endedAt: expect.any(String),
        durationSeconds: 0,
      }),
    ]);
    for (const other of [callB, b.id, b.patient.id, doctor.id]) expect(json).not.toContain(other);
    const asDoctor = await port.export(t.db, { userId: doctor.id });
    expect(asDoctor.data.calls).toEqual([expect.objectContaining({ id: callA, direction: 'received', endedBy: 'me' })]);
    expect(JSON.stringify(asDoctor.data)).not.toContain(a.patient.id);
  });

  it('SEC-2: erasure keeps call metadata as part of the medical record, with its basis; other calls untouched', async () => {
    const steps = await t.db.transaction().execute((trx) => port.erase(trx, { userId: a.patient.id }, 'delete'));
    expect(steps).toEqual([
      { table: 'calls', action: 'kept', rows: 1, basis: expect.stringMatching(/medical record.*15 years/) },
    ]);
    expect(await callOf(a.id)).toMatchObject({ id: callA, caller_id: a.patient.id, decline_reason: 'text_instead' });
    expect(await callOf(b.id)).toMatchObject({ id: callB, caller_id: b.patient.id, outcome: 'cancelled' });
  });
});

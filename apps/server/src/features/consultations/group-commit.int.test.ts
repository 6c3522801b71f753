import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createDb, type Db } from '../../db/database.js';
import { LocalBlobStore } from '../../platform/blob-store.js';
import { AppError } from '../../platform/errors.js';
import { ConsoleSmsProvider } from '../identity/sms/console-sms.js';
import type { Actor } from '../identity/identity.service.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { seedConsultations, seedUser, type SeededConsultation } from '../../../test/seed-consultations.js';
import { ConsultationService, type MessageInspector } from './consultations.service.js';
import { MediaStore } from './media.store.js';

/**
 * The message write path's group commit (messages of one consultation that arrive while its transaction runs
 * share the next one) and its fast path (appending from what the process knew after its last commit): neither may
 * weaken ordering, gap-free numbering, idempotency, authorisation or crypto-shredding.
 */
let t: TestApp;
const meta = { ip: '127.0.0.1', userAgent: 'test', requestId: 'r' };

async function actorOf(cookie: string, app = t.app): Promise<Actor> {
  const actor = await app.services.identity.authenticate(decodeURIComponent(cookie.split('=')[1]!));
  if (!actor || actor === 'expired') throw new Error('no actor');
  return actor;
}

async function consultation(): Promise<SeededConsultation & { patientActor: Actor; doctorActor: Actor }> {
  const [c] = await seedConsultations({ app: t.app, db: t.db, sms: t.sms }, 1);
  return { ...c!, patientActor: await actorOf(c!.patient.cookie), doctorActor: await actorOf(c!.doctor.cookie) };
}

const text = (actor: Actor, id: string, body: string, clientId: string = crypto.randomUUID()) =>
  t.app.services.consultations.send(actor, id, { clientId, kind: 'text', text: body }, meta);

async function stored(id: string) {
  const rows = await t.db
    .selectFrom('messages')
    .select(['seq', 'client_id'])
    .where('consultation_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), clientId: r.client_id }));
}

beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t.close());

describe('group commit of messages', () => {
  it('CON-1: messages sent at once share transactions, yet are numbered 1…n without gaps in the order they arrived, each acknowledged once', async () => {
    const c = await consultation();
    const clientIds = Array.from({ length: 40 }, () => crypto.randomUUID());
    const acks = await Promise.all(
      clientIds.map((clientId, i) => text(i % 3 === 0 ? c.doctorActor : c.patientActor, c.id, `第${i}条`, clientId)),
    );
    expect(acks.map((a) => a.seq)).toEqual(clientIds.map((_, i) => i + 1));
    expect(acks.every((a) => !a.duplicate)).toBe(true);
    expect(await stored(c.id)).toEqual(clientIds.map((clientId, i) => ({ seq: i + 1, clientId })));
    const page = await t.app.services.consultations.messages(c.doctorActor, c.id, 0, 100);
    expect(page.messages.map((m) => m.text)).toEqual(clientIds.map((_, i) => `第${i}条`));
    expect(page.lastSeq).toBe(40);
  });

  it('CON-1: messages for many consultations at once share transactions; each consultation is numbered on its own, gap-free, in arrival order; live delivery reads a burst across consultations for their participants only', async () => {
    const [first, ...rest] = await seedConsultations({ app: t.app, db: t.db, sms: t.sms }, 8, 1);
    const all = [first!, ...rest];
    const doctor = await actorOf(first!.doctor.cookie);
    const patients = await Promise.all(all.map((c) => actorOf(c.patient.cookie)));
    const sent = all.map(() => [] as string[]);
    const sends: Promise<{ seq: number }>[] = [];
    for (let round = 0; round < 10; round++)
      for (const [k, c] of all.entries()) {
        const body = `会诊${k}-第${round}条`;
        sent[k]!.push(body);
        sends.push(text(patients[k]!, c.id, body));
      }
    const acks = await Promise.all(sends);
    expect(acks.map((a) => a.seq)).toEqual(sends.map((_, n) => Math.floor(n / all.length) + 1));
    for (const c of all) expect((await stored(c.id)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const wanted = all.flatMap((c) => [3, 1, 2].map((seq) => ({ consultationId: c.id, seq })));
    const found = await t.app.services.consultations.announced(doctor, wanted);
    expect(found).toHaveLength(all.length);
    for (const f of found) {
      const k = all.findIndex((c) => c.id === f.consultationId);
      expect('messages' in f && f.messages.map((m) => [m.seq, m.text])).toEqual([
        [1, sent[k]![0]],
        [2, sent[k]![1]],
        [3, sent[k]![2]],
      ]);
    }
    // Someone who takes part in only one of them gets only that one.
    const onlyFirst = await t.app.services.consultations.announced(patients[0]!, wanted);
    expect(onlyFirst.map((f) => f.consultationId)).toEqual([first!.id]);
    // Just-stored messages kept in memory for live delivery serve only the recipient they were announced to, and
    // are exactly what the database returns; anyone else goes through the participant check and gets nothing.
    const [other] = await seedConsultations({ app: t.app, db: t.db, sms: t.sms }, 1, 1);
    expect(await t.app.services.consultations.announced(await actorOf(other!.doctor.cookie), wanted)).toEqual([]);
    const fromDb = await t.app.services.consultations.messages(doctor, first!.id, 0, 3);
    const live = found.find((f) => f.consultationId === first!.id);
    expect(live && 'messages' in live && live.messages).toEqual(fromDb.messages);
  });

  it('CON-1: a resend in the same batch as its original, or of a message already stored, is answered with the original; new messages around it get the next numbers', async () => {
    const c = await consultation();
    const a = crypto.randomUUID();
    expect((await text(c.patientActor, c.id, 'A', a)).seq).toBe(1);
    const b = crypto.randomUUID();
    const acks = await Promise.all([
      text(c.patientActor, c.id, 'X'),
      text(c.patientActor, c.id, 'B', b),
      text(c.patientActor, c.id, 'A', a),
      text(c.patientActor, c.id, 'B', b),
      text(c.patientActor, c.id, 'C'),
    ]);
    expect(acks.map((x) => [x.seq, x.duplicate])).toEqual([
      [2, false],
      [3, false],
      [1, true],
      [3, true],
      [4, false],
    ]);
    expect((await stored(c.id)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('SEC-1: someone else’s message in the same batch is refused on its own; the participants’ messages are stored', async () => {
    const c = await consultation();
    const stranger = await actorOf((await seedUser({ app: t.app, db: t.db, sms: t.sms }, 'patient')).cookie);
    await text(c.patientActor, c.id, 'first');
    const results = await Promise.allSettled([
      text(c.patientActor, c.id, 'one'),
      text(stranger, c.id, 'intruder'),
      text(c.doctorActor, c.id, 'two'),
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { seq: 2 } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'CONSULTATION_NOT_FOUND' } });
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: { seq: 3 } });
    // A stranger resending someone else's client id learns nothing either.
    const taken = (await stored(c.id))[0]!.clientId;
    await expect(text(stranger, c.id, 'x', taken)).rejects.toMatchObject({ code: 'CONSULTATION_NOT_FOUND' });
    expect(await stored(c.id)).toHaveLength(3);
  });

  it('CON-1: two server instances writing to one consultation keep numbers gap-free (a stale view falls back to the lock)', async () => {
    const c = await consultation();
    const otherDb: Db = createDb(t.dbUrl, 3);
    const other = await buildApp(
      { config: t.config, db: otherDb, masterKey: t.masterKey, sms: new ConsoleSmsProvider(() => {}), clock: t.clock },
      { logger: false },
    );
    try {
      const otherPatient = await actorOf(c.patient.cookie, other);
      for (let round = 0; round < 5; round++) {
        await Promise.all([
          text(c.patientActor, c.id, `a${round}`),
          text(c.patientActor, c.id, `b${round}`),
          other.services.consultations.send(
            otherPatient,
            c.id,
            { clientId: crypto.randomUUID(), kind: 'text', text: `c${round}` },
            meta,
          ),
        ]);
      }
      expect((await stored(c.id)).map((m) => m.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      const page = await other.services.consultations.messages(otherPatient, c.id, 0, 100);
      expect(new Set(page.messages.map((m) => m.text)).size).toBe(15);
    } finally {
      await other.close();
      await otherDb.destroy();
    }
  });

  it('CON-1: once the consultation is ended, resends are still answered and new messages refused, even in one batch', async () => {
    const c = await consultation();
    const a = crypto.randomUUID();
    await text(c.patientActor, c.id, 'A', a);
    await t.app.services.consultations.end(c.doctorActor, c.id, meta);
    const results = await Promise.allSettled([text(c.patientActor, c.id, 'A', a), text(c.patientActor, c.id, 'late')]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { seq: 1, duplicate: true } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'CONSULTATION_NOT_ACTIVE' } });
  });

  it('RIG-3: after the consultation’s key is destroyed (crypto-shredding), nothing more is written with the key this process still knows', async () => {
    const c = await consultation();
    await text(c.patientActor, c.id, 'before');
    await t.app.services.keys.destroy(t.db, c.id, 'test erasure');
    await expect(text(c.patientActor, c.id, 'after')).rejects.toMatchObject({ code: 'DATA_ERASED' });
    await expect(t.app.services.consultations.messages(c.patientActor, c.id, 0, 10)).rejects.toMatchObject({
      code: 'DATA_ERASED',
    });
    expect(await stored(c.id)).toHaveLength(1);
  });

  it('CON-4: an inspector that needs to write gets the real transaction, even for a consultation already written to, and even if it swallows errors', async () => {
    const c = await consultation();
    const s = t.app.services;
    const seen: string[] = [];
    const recording: MessageInspector = async (trx, message) => {
      seen.push(message.text);
      if (message.text !== 'record me') return [];
      try {
        await s.notices.create(trx, message.doctorId, 'consultation.attention', {
          consultationId: message.consultationId,
        });
      } catch {
        // An inspector that hides its failures must not lose its write either.
      }
      return [];
    };
    const service = new ConsultationService({
      db: t.db,
      keys: s.keys,
      clock: t.clock,
      policy: s.policy,
      bus: s.bus,
      notices: s.notices,
      media: new MediaStore(s.keys, new LocalBlobStore(path.join(t.config.dataDir, 'blobs'))),
      inspectors: [recording],
      crisis: s.crisis,
      doctors: s.directory,
    });
    const send = (body: string) =>
      service.send(c.patientActor, c.id, { clientId: crypto.randomUUID(), kind: 'text', text: body }, meta);
    await send('hello');
    await send('again');
    expect((await send('record me')).seq).toBe(3);
    const attention = await t.db
      .selectFrom('notices')
      .select('id')
      .where('user_id', '=', c.doctor.id)
      .where('kind', '=', 'consultation.attention')
      .execute();
    expect(attention).toHaveLength(1);
    expect(seen.filter((x) => x === 'record me').length).toBeGreaterThanOrEqual(1);
  });

  it('NOT-1: once the new-message notice is read, the next message brings a new one (the quick path needs an unread one)', async () => {
    const c = await consultation();
    const unread = () =>
      t.db
        .selectFrom('notices')
        .select('id')
        .where('user_id', '=', c.doctor.id)
        .where('kind', '=', 'consultation.message')
        .where('read_at', 'is', null)
        .execute();
    await text(c.patientActor, c.id, 'one');
    await text(c.patientActor, c.id, 'two');
    const [notice] = await unread();
    expect(notice).toBeDefined();
    await t.app.services.notices.markRead(c.doctor.id, notice!.id);
    expect(await unread()).toHaveLength(0);
    await text(c.patientActor, c.id, 'three');
    expect(await unread()).toHaveLength(1);
    await text(c.patientActor, c.id, 'four');
    expect(await unread()).toHaveLength(1);
  });

  it('CON-1: when an inspector fails for one message of a batch, only that message is refused; the others are stored and numbered without a gap', async () => {
    const c = await consultation();
    const s = t.app.services;
    const failing: MessageInspector = async (_trx, message) => {
      if (message.text === 'boom') throw new AppError('VALIDATION_FAILED', { field: 'text', detail: 'test' });
      return [];
    };
    const service = new ConsultationService({
      db: t.db,
      keys: s.keys,
      clock: t.clock,
      policy: s.policy,
      bus: s.bus,
      notices: s.notices,
      media: new MediaStore(s.keys, new LocalBlobStore(path.join(t.config.dataDir, 'blobs'))),
      inspectors: [failing],
      crisis: s.crisis,
      doctors: s.directory,
    });
    const send = (body: string) =>
      service.send(c.patientActor, c.id, { clientId: crypto.randomUUID(), kind: 'text', text: body }, meta);
    const results = await Promise.allSettled([send('zero'), send('one'), send('boom'), send('two')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.seq : 'refused'))).toEqual([1, 2, 'refused', 3]);
    expect((await stored(c.id)).map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});

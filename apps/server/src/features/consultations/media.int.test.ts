import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, post, type TestApp } from '../../../test/harness.js';
import { GPS_CANARY, photoWithGps, staffCookie } from '../../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor, consentedPatient } from '../../../test/consultation-fixtures.js';

let t: TestApp;
let doctor: { cookie: string; id: string };
let otherDoctor: { cookie: string; id: string };

/** The first bytes of a WebM/Opus file as Chrome's MediaRecorder writes it, padded with audio-like noise. */
function webmVoiceNote(bytes = 30_000): Buffer {
  const header = Buffer.concat([
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01]),
    Buffer.from([0x42, 0x82, 0x84]),
    Buffer.from('webm'),
  ]);
  return Buffer.concat([header, crypto.randomBytes(bytes - header.length)]);
}

function upload(
  cookie: string,
  id: string,
  body: Buffer,
  query: Record<string, string | number>,
  contentType = 'application/octet-stream',
) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return t.app.inject({
    method: 'POST',
    url: `/api/consultations/${id}/media-messages?${qs}`,
    payload: body,
    headers: { cookie, origin: ORIGIN, 'content-type': contentType },
  });
}

function blobFiles(): string[] {
  const dir = path.join(t.config.dataDir, 'blobs');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  t = await createTestApp();
  const reviewer = await staffCookie(t, ['reviewer']);
  doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '741');
  otherDoctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '742');
}, 60_000);
afterAll(async () => t.close());

describe('image and voice-note messages', () => {
  it('CON-1, CON-3: an image message is re-encoded without EXIF/GPS, stored encrypted, and delivered to both participants only', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    const original = await photoWithGps(1600, 1200);
    const before = blobFiles().length;
    const clientId = crypto.randomUUID();
    const ack = await upload(patient.cookie, id, original, { clientId, kind: 'image' }, 'image/png');
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ seq: 1, clientId, duplicate: false });

    const page = (await get(t, `/api/consultations/${id}/messages?after=0`, doctor.cookie)).json();
    expect(page.messages[0]).toMatchObject({
      seq: 1,
      kind: 'image',
      text: '',
      media: { contentType: 'image/jpeg', width: 1600, height: 1200, durationMs: null },
    });

    const full = await get(t, `/api/consultations/${id}/messages/1/media/full`, doctor.cookie);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.headers['cache-control']).toBe('private, no-store');
    const meta = await sharp(full.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(full.rawPayload.includes(Buffer.from(GPS_CANARY))).toBe(false);
    const thumb = await get(t, `/api/consultations/${id}/messages/1/media/thumb`, patient.cookie);
    expect(thumb.statusCode).toBe(200);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBeLessThanOrEqual(480);

    // Two files (full and thumbnail), neither readable at rest.
    const files = blobFiles();
    expect(blobFiles().length - before).toBe(2);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
      expect(bytes.includes(Buffer.from('JFIF'))).toBe(false);
    }

    // Nobody else: not another doctor, not another patient (as if it did not exist).
    const stranger = await consentedPatient(t);
    for (const cookie of [otherDoctor.cookie, stranger.cookie]) {
      const res = await get(t, `/api/consultations/${id}/messages/1/media/full`, cookie);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('CONSULTATION_NOT_FOUND');
      const post_ = await upload(cookie, id, original, { clientId: crypto.randomUUID(), kind: 'image' });
      expect(post_.statusCode).toBe(404);
    }
  });

  it('CON-1: a voice note of up to 60 s is stored encrypted and plays back byte for byte', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    const note = webmVoiceNote(40_000);
    const ack = await upload(doctor.cookie, id, note, {
      clientId: crypto.randomUUID(),
      kind: 'voice',
      durationMs: 4_200,
    });
    expect(ack.statusCode, ack.body).toBe(200);
    const page = (await get(t, `/api/consultations/${id}/messages?after=0`, patient.cookie)).json();
    expect(page.messages[0]).toMatchObject({
      kind: 'voice',
      media: { contentType: 'audio/webm', durationMs: 4_200, byteSize: note.length, width: null },
    });
    const audio = await get(t, `/api/consultations/${id}/messages/1/media/audio`, patient.cookie);
    expect(audio.headers['content-type']).toBe('audio/webm');
    expect(audio.rawPayload.equals(note)).toBe(true);
    expect((await get(t, `/api/consultations/${id}/messages/1/media/full`, patient.cookie)).statusCode).toBe(404);
  });

  it('CON-1: bad files get a clear 4xx and leave nothing behind', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    const before = blobFiles().length;
    const cases: [Buffer, Record<string, string | number>, number, string][] = [
      [Buffer.from('not a picture at all, just text'), { kind: 'image' }, 415, 'PHOTO_TYPE_UNSUPPORTED'],
      [
        Buffer.from('GIF89a-but-not-really-a-voice-note'),
        { kind: 'voice', durationMs: 3000 },
        415,
        'VOICE_NOTE_UNSUPPORTED',
      ],
      [webmVoiceNote(), { kind: 'voice' }, 400, 'VOICE_NOTE_DURATION_REQUIRED'],
      [webmVoiceNote(), { kind: 'voice', durationMs: 61_000 }, 400, 'VALIDATION_FAILED'],
      // 200 kB cannot be a 5-second voice note
      [webmVoiceNote(200_000), { kind: 'voice', durationMs: 5_000 }, 413, 'VOICE_NOTE_TOO_LARGE'],
      [Buffer.alloc(0), { kind: 'image' }, 415, 'PHOTO_TYPE_UNSUPPORTED'],
    ];
    for (const [body, query, status, code] of cases) {
      const res = await upload(patient.cookie, id, body, { clientId: crypto.randomUUID(), ...query });
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // A body far beyond any voice note is refused from its Content-Length, before it is read.
    const huge = await upload(patient.cookie, id, Buffer.alloc(3 * 1024 * 1024), {
      clientId: crypto.randomUUID(),
      kind: 'voice',
      durationMs: 60_000,
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('VOICE_NOTE_TOO_LARGE');
    expect(blobFiles().length).toBe(before);
    expect((await get(t, `/api/consultations/${id}/messages?after=0`, patient.cookie)).json().messages).toEqual([]);
  });

  it('CON-1: resending the same upload never stores a second message or a second copy of the file', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    const clientId = crypto.randomUUID();
    const photo = await photoWithGps(800, 600);
    const first = await upload(patient.cookie, id, photo, { clientId, kind: 'image' });
    const before = blobFiles().length;
    const again = await Promise.all(
      [1, 2, 3].map(() => upload(patient.cookie, id, photo, { clientId, kind: 'image' })),
    );
    for (const res of again) expect(res.json()).toMatchObject({ seq: first.json().seq, duplicate: true });
    expect(blobFiles().length).toBe(before);
    const rows = await t.db.selectFrom('consultation_media').select('id').where('consultation_id', '=', id).execute();
    expect(rows).toHaveLength(2);
  });

  it('CON-1: files whose message never committed (a crash in between) are swept after an hour; stored ones stay', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    const ok = await upload(patient.cookie, id, await photoWithGps(), { clientId: crypto.randomUUID(), kind: 'image' });
    expect(ok.statusCode).toBe(200);
    // As if the process died after writing the files and before the message's commit.
    const media = t.app.services.media;
    const files = await media.prepare('voice', webmVoiceNote(), 3_000);
    const orphan = await media.write(t.db, id, files, t.clock.now());
    const before = blobFiles().length;
    expect(await media.sweep(t.db, t.clock.now())).toEqual({ removed: 0, kept: 0 }); // too young to judge
    t.clock.advance(61 * 60_000);
    const swept = await media.sweep(t.db, t.clock.now());
    expect(swept.removed).toBe(1);
    expect(blobFiles().length).toBe(before - 1);
    expect(blobFiles().some((f) => f.endsWith(orphan[0]!.id))).toBe(false);
    // The committed image is untouched and its upload notes are gone.
    expect(
      (await get(t, `/api/consultations/${id}/messages/${ok.json().seq}/media/full`, patient.cookie)).statusCode,
    ).toBe(200);
    expect(await t.db.selectFrom('media_uploads').select('id').where('consultation_id', '=', id).execute()).toEqual([]);
  });

  it('CON-1: a consultation’s files are capped in total', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    const first = await upload(patient.cookie, id, await photoWithGps(), {
      clientId: crypto.randomUUID(),
      kind: 'image',
    });
    expect(first.statusCode).toBe(200);
    await t.db
      .updateTable('consultation_media')
      .set({ byte_size: 200 * 1024 * 1024 - 1_000 })
      .where('consultation_id', '=', id)
      .where('variant', '=', 'full')
      .execute();
    const over = await upload(patient.cookie, id, await photoWithGps(), {
      clientId: crypto.randomUUID(),
      kind: 'image',
    });
    expect(over.statusCode).toBe(413);
    expect(over.json().error.code).toBe('MEDIA_QUOTA_EXCEEDED');
  });

  it('CON-1: once the consultation has ended, uploads are refused before anything is stored', async () => {
    const { patient, id } = await activeConsultation(t, doctor);
    await post(t, `/api/consultations/${id}/end`, {}, doctor.cookie);
    const before = blobFiles().length;
    const res = await upload(patient.cookie, id, await photoWithGps(), {
      clientId: crypto.randomUUID(),
      kind: 'image',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONSULTATION_NOT_ACTIVE');
    expect(blobFiles().length).toBe(before);
  });
});

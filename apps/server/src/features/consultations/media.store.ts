import crypto from 'node:crypto';
import type { MediaVariant } from '@anxin/contracts';
import { sniffAudioType, voiceNoteSizeOk, VOICE_NOTE_MAX_BYTES } from '@anxin/domain';
import type { Queryable } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { BlobStore } from '../../platform/blob-store.js';
import { AppError } from '../../platform/errors.js';
import { processPhoto } from '../onboarding/photo-pipeline.js';

/** A processed file ready to be sealed: what is stored is exactly these bytes, never the upload as sent. */
export interface MediaFile {
  variant: MediaVariant;
  bytes: Buffer;
  contentType: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

/**
 * Images go through the same pipeline as credential photos (CON-3): decoded and re-encoded, so EXIF/GPS and
 * anything appended are gone. Chat pictures may be small or long screenshots, hence looser size and shape limits.
 */
export async function prepareImage(bytes: Buffer): Promise<MediaFile[]> {
  const { full, thumb } = await processPhoto(bytes, { minSide: 16, maxAspect: 25 });
  return [
    { variant: 'full', ...full, durationMs: null },
    { variant: 'thumb', ...thumb, durationMs: null },
  ];
}

/** Voice notes: the container is read from the bytes, and the size must fit the declared length (≤ 60 s). */
export function prepareVoiceNote(bytes: Buffer, durationMs: number | undefined): MediaFile[] {
  if (bytes.length > VOICE_NOTE_MAX_BYTES) throw new AppError('VOICE_NOTE_TOO_LARGE');
  const contentType = sniffAudioType(bytes);
  if (!contentType) throw new AppError('VOICE_NOTE_UNSUPPORTED');
  if (durationMs === undefined) throw new AppError('VOICE_NOTE_DURATION_REQUIRED');
  if (!voiceNoteSizeOk(bytes.length, durationMs)) throw new AppError('VOICE_NOTE_TOO_LARGE');
  return [{ variant: 'audio', bytes, contentType, width: null, height: null, durationMs }];
}

/**
 * Files of image and voice-note messages, sealed with the consultation's data key (AAD binds the file id) before
 * they reach the blob store. Files are written before the message's transaction and deleted again if it does not
 * commit, so a committed message always has its bytes and a failed one leaves nothing behind.
 */
export class MediaStore {
  constructor(
    private readonly keys: KeyStore,
    private readonly blobs: BlobStore,
  ) {}

  private ref(id: string) {
    return { table: 'consultation_media', column: 'content', rowId: id };
  }

  /** Seals and writes the files; returns what the rows need. */
  async write(db: Queryable, consultationId: string, files: MediaFile[]) {
    const written: (MediaFile & { id: string; sha256: string; byteSize: number })[] = [];
    try {
      for (const file of files) {
        const id = crypto.randomUUID();
        const sealed = await this.keys.encrypt(db, consultationId, this.ref(id), file.bytes);
        await this.blobs.put(id, sealed);
        written.push({
          ...file,
          id,
          byteSize: file.bytes.length,
          sha256: crypto.createHash('sha256').update(sealed).digest('hex'),
        });
      }
    } catch (err) {
      await this.discard(written.map((w) => w.id));
      throw err;
    }
    return written;
  }

  async discard(ids: string[]): Promise<void> {
    for (const id of ids) await this.blobs.delete(id).catch(() => undefined);
  }

  async read(db: Queryable, consultationId: string, id: string): Promise<Buffer> {
    const sealed = await this.blobs.get(id);
    if (!sealed) throw new AppError('MEDIA_NOT_FOUND');
    return this.keys.decrypt(db, consultationId, this.ref(id), sealed);
  }
}

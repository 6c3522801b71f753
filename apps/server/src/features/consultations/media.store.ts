import crypto from 'node:crypto';
import type { MediaKind, MediaVariant } from '@anxin/contracts';
import { sniffAudioType, voiceNoteSizeOk, VOICE_NOTE_MAX_BYTES } from '@anxin/domain';
import type { Queryable } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { BlobStore } from '../../platform/blob-store.js';
import { AppError } from '../../platform/errors.js';
import * as repo from './consultations.repo.js';
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
/** All files of one consultation together; far beyond what a consultation needs, a bound on what one can fill. */
export const CONSULTATION_MEDIA_QUOTA_BYTES = 200 * 1024 * 1024;
/** Decoding an image takes up to ~100 MB of memory: at most this many at once, the rest wait in line. */
const IMAGE_SLOTS = 2;
const IMAGE_QUEUE = 16;
/** An upload whose message has not committed after this long never will: its files are swept. */
export const UPLOAD_SWEEP_AFTER_MS = 3600_000;

export class MediaStore {
  private imagesRunning = 0;
  private readonly imageQueue: (() => void)[] = [];

  constructor(
    private readonly keys: KeyStore,
    private readonly blobs: BlobStore,
  ) {}

  /** Checks and processes an upload; images one or two at a time (429 MEDIA_BUSY when too many are waiting). */
  async prepare(kind: MediaKind, bytes: Buffer, durationMs: number | undefined): Promise<MediaFile[]> {
    if (kind === 'voice') return prepareVoiceNote(bytes, durationMs);
    if (this.imagesRunning >= IMAGE_SLOTS) {
      if (this.imageQueue.length >= IMAGE_QUEUE) throw new AppError('MEDIA_BUSY');
      await new Promise<void>((resolve) => this.imageQueue.push(resolve));
    }
    this.imagesRunning++;
    try {
      return await prepareImage(bytes);
    } finally {
      this.imagesRunning--;
      this.imageQueue.shift()?.();
    }
  }

  /** Refuses an upload that would take the consultation's files past their quota. */
  async checkQuota(db: Queryable, consultationId: string, incoming: number): Promise<void> {
    if ((await repo.mediaBytesOf(db, consultationId)) + incoming > CONSULTATION_MEDIA_QUOTA_BYTES)
      throw new AppError('MEDIA_QUOTA_EXCEEDED');
  }

  /**
   * Deletes the files of uploads whose message never committed (the process stopped between writing the file and
   * the commit), and forgets the uploads that did commit. Run by a recurring job.
   */
  async sweep(db: Queryable, now: Date): Promise<{ removed: number; kept: number }> {
    const old = await repo.uploadsBefore(db, new Date(now.getTime() - UPLOAD_SWEEP_AFTER_MS), 1000);
    const orphans = old.filter((u) => u.stored === null).map((u) => u.id);
    for (const id of orphans) await this.blobs.delete(id).catch(() => undefined);
    await repo.forgetUploads(
      db,
      old.map((u) => u.id),
    );
    return { removed: orphans.length, kept: old.length - orphans.length };
  }

  private ref(id: string) {
    return { table: 'consultation_media', column: 'content', rowId: id };
  }

  /** Seals and writes the files; returns what the rows need. */
  async write(db: Queryable, consultationId: string, files: MediaFile[], now = new Date()) {
    const written: (MediaFile & { id: string; sha256: string; byteSize: number })[] = [];
    try {
      for (const file of files) {
        const id = crypto.randomUUID();
        // Noted before the file exists, so a crash after this point leaves something the sweep can find.
        await repo.noteUpload(db, id, consultationId, now);
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

  async discard(ids: string[], db?: Queryable): Promise<void> {
    for (const id of ids) await this.blobs.delete(id).catch(() => undefined);
    if (db) await repo.forgetUploads(db, ids);
  }

  async read(db: Queryable, consultationId: string, id: string): Promise<Buffer> {
    const sealed = await this.blobs.get(id);
    if (!sealed) throw new AppError('MEDIA_NOT_FOUND');
    return this.keys.decrypt(db, consultationId, this.ref(id), sealed);
  }
}

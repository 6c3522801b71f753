import crypto from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { KeyStore } from '../../crypto/key-store.js';
import type { BlobStore } from '../../platform/blob-store.js';
import { AppError } from '../../platform/errors.js';
import type { ProcessedImage } from './photo-pipeline.js';
import * as repo from './onboarding.repo.js';

/**
 * Encrypted photos: the bytes are sealed with the owner's data key (AAD binds the blob id) before they reach the
 * blob store, so the store (a folder today, S3 tomorrow) never holds anything readable, and crypto-shredding the
 * owner makes every copy unreadable.
 */
export class PhotoStore {
  constructor(
    private readonly keys: KeyStore,
    private readonly blobs: BlobStore,
  ) {}

  private ref(id: string) {
    return { table: 'blobs', column: 'content', rowId: id };
  }

  /** Writes both variants (files first, then rows) and returns the photo id and the file ids written. */
  async save(
    db: Queryable,
    ownerId: string,
    full: ProcessedImage,
    thumb: ProcessedImage,
  ): Promise<{ id: string; files: string[] }> {
    const fullId = crypto.randomUUID();
    const thumbId = crypto.randomUUID();
    for (const [id, img, variant, parent] of [
      [fullId, full, 'full', null],
      [thumbId, thumb, 'thumb', fullId],
    ] as const) {
      const sealed = await this.keys.encrypt(db, ownerId, this.ref(id), img.bytes);
      await repo.insertBlob(db, {
        id,
        owner_id: ownerId,
        variant,
        parent_id: parent,
        content_type: img.contentType,
        byte_size: img.bytes.length,
        width: img.width,
        height: img.height,
        sha256: crypto.createHash('sha256').update(sealed).digest('hex'),
      });
      await this.blobs.put(id, sealed);
    }
    return { id: fullId, files: [fullId, thumbId] };
  }

  /** The decrypted bytes of a photo (full) or its thumbnail. */
  async read(
    db: Queryable,
    fullId: string,
    variant: 'full' | 'thumb',
  ): Promise<{ bytes: Buffer; contentType: string }> {
    const row = variant === 'full' ? await repo.findBlob(db, fullId) : await repo.findThumbOf(db, fullId);
    if (!row) throw new AppError('PHOTO_NOT_FOUND');
    const sealed = await this.blobs.get(row.id);
    if (!sealed) throw new AppError('PHOTO_NOT_FOUND');
    return {
      bytes: await this.keys.decrypt(db, row.owner_id, this.ref(row.id), sealed),
      contentType: row.content_type,
    };
  }

  /**
   * Deletes the rows of a photo and its thumbnail in the caller's transaction and returns their ids. The files are
   * deleted by deleteFiles() only after that transaction commits, so a rollback never leaves rows without bytes.
   */
  async removeRows(db: Queryable, fullId: string): Promise<string[]> {
    const ids = await repo.photoBlobIds(db, fullId);
    if (ids.length > 0) await repo.deleteBlobs(db, ids);
    return ids;
  }

  async deleteFiles(ids: string[]): Promise<void> {
    for (const id of ids) await this.blobs.delete(id);
  }
}

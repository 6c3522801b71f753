import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError } from '../../platform/errors.js';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MIN_SIDE = 300;
const MAX_ASPECT = 4;
const FULL_MAX = 2400;
const THUMB_MAX = 480;

export type SniffedType = 'jpeg' | 'png' | 'webp' | 'heif';

/** What the bytes really are, from their magic numbers; the declared Content-Type and file name are not trusted. */
export function sniffImageType(bytes: Buffer): SniffedType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP')
    return 'webp';
  if (
    bytes.length >= 12 &&
    bytes.toString('ascii', 4, 8) === 'ftyp' &&
    /^(heic|heix|hevc|hevx|mif1|msf1|heif|avif)$/.test(bytes.toString('ascii', 8, 12))
  ) {
    return 'heif';
  }
  return null;
}

export interface ProcessedImage {
  bytes: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
}

/**
 * CON-3: every photo is decoded and re-encoded. Re-encoding writes only pixels: EXIF (GPS, camera, time), ICC
 * comments and anything appended after the image data are gone. Orientation is applied first so nothing
 * depends on metadata. Output is always JPEG; a thumbnail is made from the same pixels.
 */
export async function processPhoto(
  bytes: Buffer,
  limits: { minSide?: number; maxAspect?: number } = {},
): Promise<{ full: ProcessedImage; thumb: ProcessedImage }> {
  const minSide = limits.minSide ?? MIN_SIDE;
  const maxAspect = limits.maxAspect ?? MAX_ASPECT;
  if (bytes.length > MAX_PHOTO_BYTES) throw new AppError('PHOTO_TOO_LARGE', { limitMb: MAX_PHOTO_BYTES / 1024 / 1024 });
  const type = sniffImageType(bytes);
  if (!type) throw new AppError('PHOTO_TYPE_UNSUPPORTED');
  let decoded: Sharp;
  let meta: Metadata;
  try {
    decoded = sharp(bytes, { failOn: 'error', limitInputPixels: 25_000_000 }).rotate();
    meta = await decoded.metadata();
  } catch {
    // HEIC photos need a decoder the bundled libvips may lack; say so plainly.
    throw new AppError(type === 'heif' ? 'PHOTO_TYPE_UNSUPPORTED' : 'PHOTO_UNREADABLE');
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;
  if (!width || !height) throw new AppError('PHOTO_UNREADABLE');
  if (Math.min(width, height) < minSide) throw new AppError('PHOTO_TOO_SMALL', { min: minSide });
  // A strip 100 times wider than tall is not a photo of a card or a face; it would shrink to nothing.
  if (Math.max(width, height) / Math.min(width, height) > maxAspect) throw new AppError('PHOTO_UNREADABLE');
  const encode = async (max: number, quality: number): Promise<ProcessedImage> => {
    try {
      const { data, info } = await decoded
        .clone()
        .resize({ width: max, height: max, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      return { bytes: data, contentType: 'image/jpeg', width: info.width, height: info.height };
    } catch {
      throw new AppError('PHOTO_UNREADABLE');
    }
  };
  return { full: await encode(FULL_MAX, 85), thumb: await encode(THUMB_MAX, 75) };
}

/** A heavily blurred version for reviewers before they reveal the photo with a purpose. */
export async function blurredPreview(thumb: Buffer): Promise<Buffer> {
  return sharp(thumb).resize({ width: 240, height: 240, fit: 'inside' }).blur(18).jpeg({ quality: 60 }).toBuffer();
}

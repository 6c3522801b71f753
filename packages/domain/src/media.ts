/**
 * Voice notes (CON-1): what a recording really is, from its first bytes, never from the declared type. Browsers
 * record Opus in WebM (Chrome, Firefox, Android) or AAC in MP4 (Safari, iOS); Ogg is accepted for Firefox's
 * older recorder.
 */
export type AudioContainer = 'audio/webm' | 'audio/ogg' | 'audio/mp4';

export const VOICE_NOTE_MAX_MS = 60_000;
/** 60 s at 128 kbit/s, far above what a voice recorder produces (Opus speech is about 32 kbit/s). */
export const VOICE_NOTE_MAX_BYTES = Math.ceil((VOICE_NOTE_MAX_MS / 1000) * (128_000 / 8)) + 16_384;

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

export function sniffAudioType(bytes: Uint8Array): AudioContainer | null {
  if (bytes.length < 12) return null;
  // EBML header; the DocType must be "webm" (Matroska video files are not voice notes).
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return ascii(bytes, 0, Math.min(bytes.length, 64)).includes('webm') ? 'audio/webm' : null;
  }
  if (ascii(bytes, 0, 4) === 'OggS') return 'audio/ogg';
  // ISO base media: "ftyp" box first, with an audio or generic MP4 brand (not HEIF images, not QuickTime video).
  if (ascii(bytes, 4, 8) === 'ftyp' && /^(M4A |mp41|mp42|isom|iso[2-9]|dash|M4B )$/.test(ascii(bytes, 8, 12)))
    return 'audio/mp4';
  return null;
}

/** Whether a recording's size fits its declared length (a guard against a long file sent as a short note). */
export function voiceNoteSizeOk(byteSize: number, durationMs: number): boolean {
  if (durationMs <= 0 || durationMs > VOICE_NOTE_MAX_MS) return false;
  // up to 128 kbit/s of audio plus a generous allowance for container headers
  return byteSize > 0 && byteSize <= Math.min(VOICE_NOTE_MAX_BYTES, (durationMs / 1000) * 16_000 + 16_384);
}

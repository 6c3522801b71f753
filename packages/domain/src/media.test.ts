import { describe, expect, it } from 'vitest';
import { sniffAudioType, VOICE_NOTE_MAX_BYTES, voiceNoteSizeOk } from './media.js';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('voice-note containers', () => {
  it('CON-1: recognises WebM, Ogg and MP4 audio by their first bytes', () => {
    expect(sniffAudioType(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01], 'B\x82\x84webmB\x87'))).toBe(
      'audio/webm',
    );
    expect(sniffAudioType(bytes('OggS', [0, 2, 0, 0, 0, 0, 0, 0]))).toBe('audio/ogg');
    expect(sniffAudioType(bytes([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]))).toBe('audio/mp4');
    expect(sniffAudioType(bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 0, 0]))).toBe('audio/mp4');
  });

  it('CON-1: refuses images, Matroska video, HEIF, text and short junk whatever they claim to be', () => {
    expect(sniffAudioType(bytes([0xff, 0xd8, 0xff, 0xe0], '0123456789'))).toBeNull();
    expect(
      sniffAudioType(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01], 'B\x82\x88matroska')),
    ).toBeNull();
    expect(sniffAudioType(bytes([0, 0, 0, 0x20], 'ftypheic', [0, 0, 0, 0]))).toBeNull();
    expect(sniffAudioType(bytes('hello, this is text'))).toBeNull();
    expect(sniffAudioType(bytes('OggS'))).toBeNull();
  });

  it('CON-1: a voice note lasts at most 60 s and its size must fit that length', () => {
    expect(voiceNoteSizeOk(200_000, 60_000)).toBe(true);
    expect(voiceNoteSizeOk(200_000, 60_001)).toBe(false);
    expect(voiceNoteSizeOk(VOICE_NOTE_MAX_BYTES + 1, 60_000)).toBe(false);
    expect(voiceNoteSizeOk(VOICE_NOTE_MAX_BYTES, 60_000)).toBe(true);
    // 5 s cannot take 200 kB: a long recording declared as a short one
    expect(voiceNoteSizeOk(200_000, 5_000)).toBe(false);
    expect(voiceNoteSizeOk(40_000, 5_000)).toBe(true);
    expect(voiceNoteSizeOk(0, 3_000)).toBe(false);
    expect(voiceNoteSizeOk(1000, 0)).toBe(false);
  });
});

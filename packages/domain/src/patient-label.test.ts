import { describe, expect, it } from 'vitest';
import { caseCode, summarizeConcern } from './patient-label.js';

describe('case code', () => {
  it('reads the leading bits five at a time in Crockford base32', () => {
    // 0b00000 00001 00010 00011 11111 ... = "0123Z"
    const digest = Uint8Array.from([0b00000000, 0b01000100, 0b00111111, 0b11000000, 0, 0]);
    expect(caseCode(digest, 5)).toBe('0123Z');
    expect(caseCode(new Uint8Array(32).fill(255))).toBe('ZZZZZZ');
  });
  it('never uses the letters I, L, O or U', () => {
    const codes = Array.from({ length: 256 }, (_, i) => caseCode(Uint8Array.from([i, 255 - i, i * 7, i * 13, 3, 9])));
    expect(codes.join('')).not.toMatch(/[ILOU]/);
  });
  it('refuses a digest too short for the code', () => {
    expect(() => caseCode(new Uint8Array(3), 6)).toThrow(RangeError);
  });
});

describe('concern summary', () => {
  it('keeps a short concern as it is, on one line', () => {
    expect(summarizeConcern('最近两周\n失眠加重，  想调整用药 ')).toBe('最近两周 失眠加重， 想调整用药');
  });
  it('cuts a long concern after the limit with an ellipsis, counting characters not UTF-16 units', () => {
    const long = '😀'.repeat(10) + '睡'.repeat(100);
    const s = summarizeConcern(long, 20);
    expect(s).toBe('😀'.repeat(10) + '睡'.repeat(10) + '…');
  });
});

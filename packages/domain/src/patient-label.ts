/**
 * How a patient appears on their doctor's screens: a stable case code when they chose no name, and the start of
 * what they wrote when asking for the consultation.
 */

/** Crockford base32: no I, L, O or U, so a code read aloud or copied by hand is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A case code of `length` characters (5 bits each) from the leading bits of a digest, e.g. "K7Q2MX". */
export function caseCode(digest: Uint8Array, length = 6): string {
  if (digest.length * 8 < length * 5) throw new RangeError('digest too short for the code length');
  let code = '';
  for (let i = 0; i < length; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const word = ((digest[byte] ?? 0) << 8) | (digest[byte + 1] ?? 0);
    code += ALPHABET[(word >> (11 - (bit & 7))) & 31];
  }
  return code;
}

/** Characters of the concern shown on a queue card. */
export const CONCERN_SUMMARY_MAX = 60;

/** The concern on one line (whitespace collapsed), cut after `max` characters with an ellipsis. */
export function summarizeConcern(text: string, max = CONCERN_SUMMARY_MAX): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max).join('').trimEnd()}…`;
}

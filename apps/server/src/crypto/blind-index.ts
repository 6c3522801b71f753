import crypto from 'node:crypto';

/**
 * Blind index: HMAC-SHA256 under its own key, so we can find a person by phone number (unique constraint, rate
 * limits) without keeping the number in clear. The `kind` domain-separates indexes of different fields.
 */
export function blindIndex(
  key: Buffer,
  kind: 'phone' | 'ip' | 'resident_id' | 'practice_certificate' | 'qualification_certificate' | 'push_endpoint',
  value: string,
): Buffer {
  return crypto.createHmac('sha256', key).update(`${kind}\u0000${value}`).digest();
}

import crypto from 'node:crypto';

/** Opaque random token for the cookie; only its SHA-256 is stored, so a database leak yields no usable session. */
export function newToken(): { token: string; hash: Buffer } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

/** Uniform 6-digit code from a CSPRNG. */
export function newOtpCode(): string {
  return crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** Codes are stored as HMAC(otpKey, challengeId:code): useless without the server key, bound to one challenge. */
export function hashOtp(key: Buffer, challengeId: string, code: string): Buffer {
  return crypto.createHmac('sha256', key).update(`${challengeId}:${code}`).digest();
}

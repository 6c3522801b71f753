import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Deletion certificates (RIG-3, RIG-5): what an erasure removed, what it kept and why, signed with the server's
 * Ed25519 key (kept in the data folder, created on first use). A certificate holds no personal data: ids, table
 * names, counts, dates and legal bases. `npm run -s certificate:verify -- FILE` checks one.
 */
export const CERTIFICATE_FORMAT = 'anxin.deletion-certificate.v1';
export const SIGNING_KEY_FILE = 'certificate-signing.key';

export interface CertificateBody {
  format: typeof CERTIFICATE_FORMAT;
  requestId: string;
  kind: 'cancellation' | 'erasure';
  /** The account's pseudonymous id (random; after erasure it identifies nobody). */
  subject: string;
  requestedAt: string;
  processedAt: string;
  /** When the person's data key was destroyed (cancellation), or null (erasure of some data only). */
  keyDestroyedAt: string | null;
  erased: Array<{ table: string; action: 'deleted' | 'anonymised'; rows: number }>;
  kept: Array<{ table: string; rows: number; basis: string; until: string }>;
  recipients: Array<{ recipient: string; askedAt: string; answer: string }>;
  /** After this date no backup holds even the ciphertext (backup retention). */
  backupsClearBy: string;
  issuer: string;
}

export interface SignedCertificate {
  certificate: CertificateBody;
  /** Base64 Ed25519 signature over the canonical JSON of `certificate`. */
  signature: string;
  /** The signing key's public half (SPKI, PEM) and its SHA-256 fingerprint, to compare with the operator's. */
  publicKey: string;
  publicKeyFingerprint: string;
}

/** JSON with object keys sorted at every level: the bytes that are signed. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function fingerprint(publicKeyPem: string): string {
  const der = crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex');
}

export class CertificateSigner {
  private key: crypto.KeyObject | null = null;
  constructor(private readonly dataDir: string) {}

  private privateKey(): crypto.KeyObject {
    if (this.key) return this.key;
    const file = path.join(this.dataDir, SIGNING_KEY_FILE);
    if (!fs.existsSync(file)) {
      const { privateKey } = crypto.generateKeyPairSync('ed25519');
      fs.mkdirSync(this.dataDir, { recursive: true });
      // 'wx': two instances starting together never overwrite each other's key.
      try {
        fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    this.key = crypto.createPrivateKey(fs.readFileSync(file));
    return this.key;
  }

  publicKeyPem(): string {
    return crypto.createPublicKey(this.privateKey()).export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(certificate: CertificateBody): SignedCertificate {
    const signature = crypto.sign(null, Buffer.from(canonicalJson(certificate)), this.privateKey()).toString('base64');
    const publicKey = this.publicKeyPem();
    return { certificate, signature, publicKey, publicKeyFingerprint: fingerprint(publicKey) };
  }
}

/** Whether a certificate is intact and signed by the key it names (and, if given, that this is the expected key). */
export function verifyCertificate(
  doc: unknown,
  expectedPublicKeyPem?: string,
): { ok: true; fingerprint: string } | { ok: false; reason: string } {
  if (!doc || typeof doc !== 'object') return { ok: false, reason: 'not a JSON object' };
  const { certificate, signature, publicKey } = doc as Partial<SignedCertificate>;
  if (!certificate || typeof signature !== 'string' || typeof publicKey !== 'string')
    return { ok: false, reason: 'missing certificate, signature or publicKey' };
  if (certificate.format !== CERTIFICATE_FORMAT) return { ok: false, reason: 'unknown certificate format' };
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey(publicKey);
  } catch {
    return { ok: false, reason: 'publicKey is not a valid key' };
  }
  if (expectedPublicKeyPem && fingerprint(expectedPublicKeyPem) !== fingerprint(publicKey))
    return { ok: false, reason: "signed by another key than this server's" };
  const valid = crypto.verify(null, Buffer.from(canonicalJson(certificate)), key, Buffer.from(signature, 'base64'));
  return valid ? { ok: true, fingerprint: fingerprint(publicKey) } : { ok: false, reason: 'signature does not match' };
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MASTER_KEY_FILE = 'master.key';

export class MasterKeyError extends Error {}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32)
    throw new MasterKeyError(`${source} must be 32 bytes, base64 or hex encoded (got ${key.length} bytes)`);
  return key;
}

/**
 * The master key wraps every person's data key. It comes from ANXIN_MASTER_KEY, or from a key file in the data
 * folder that we create on first start (mode 0600). Without it no encrypted data can be read: it belongs in every backup.
 */
export function loadMasterKey(opts: {
  fromEnv: string | null;
  dataDir: string;
  onGenerated?: (file: string) => void;
}): Buffer {
  if (opts.fromEnv) return decodeKey(opts.fromEnv, 'ANXIN_MASTER_KEY');
  const file = path.join(opts.dataDir, MASTER_KEY_FILE);
  if (fs.existsSync(file)) return decodeKey(fs.readFileSync(file, 'utf8'), file);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  opts.onGenerated?.(file);
  return key;
}

/** Separate keys for separate jobs, derived with HKDF so that one leaking says nothing about the others. */
export interface DerivedKeys {
  /** Wraps data keys (key-encryption key). */
  kek: Buffer;
  /** HMAC key for blind indexes (lookups by phone number and the like). */
  blindIndex: Buffer;
  /** HMAC key for one-time codes at rest. */
  otp: Buffer;
  /** HMAC key for fingerprints of automated-decision inputs. */
  decisionInputs: Buffer;
  /** Seals server secrets that belong to no person (the push VAPID private key). */
  serverSecrets: Buffer;
}

export function deriveKeys(master: Buffer): DerivedKeys {
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return {
    kek: derive('anxin/kek/v1'),
    blindIndex: derive('anxin/blind-index/v1'),
    otp: derive('anxin/otp/v1'),
    decisionInputs: derive('anxin/decision-inputs/v1'),
    serverSecrets: derive('anxin/server-secrets/v1'),
  };
}

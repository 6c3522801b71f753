import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { open, seal } from './aead.js';
import { blindIndex } from './blind-index.js';
import { deriveKeys, loadMasterKey, MASTER_KEY_FILE, MasterKeyError } from './master-key.js';

const key = (fill: number) => Buffer.alloc(32, fill);

describe('aead (AES-256-GCM)', () => {
  it('SEC-1: open(seal(x)) gives x back for any plaintext and associated data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 60 }), (bytes, aad) => {
        const k = crypto.randomBytes(32);
        const plaintext = Buffer.from(bytes);
        const sealed = seal(k, plaintext, aad);
        expect(sealed.length).toBe(12 + 16 + plaintext.length);
        expect(open(k, sealed, aad).equals(plaintext)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('SEC-1: the plaintext does not appear in the sealed output, and sealing twice gives different outputs (random IV)', () => {
    const k = key(7);
    const plaintext = Buffer.from('13800138000 张三 13800138000 张三', 'utf8');
    const a = seal(k, plaintext, 'users.phone_enc:1');
    const b = seal(k, plaintext, 'users.phone_enc:1');
    expect(a.includes(Buffer.from('13800138000'))).toBe(false);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
  });

  it('SEC-1: flipping any single bit of any byte of the sealed output (IV, tag or body) makes open throw', () => {
    const k = key(1);
    const aad = 'anxin:field:v1:users.phone_enc:u1';
    const sealed = seal(k, Buffer.from('sensitive: 13800138000', 'utf8'), aad);
    for (let i = 0; i < sealed.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const tampered = Buffer.from(sealed);
        tampered[i] = tampered[i]! ^ bit;
        expect(() => open(k, tampered, aad), `byte ${i} bit ${bit}`).toThrow();
      }
    }
    // The untampered copy still opens, so the throws above come from the tampering.
    expect(open(k, sealed, aad).toString('utf8')).toBe('sensitive: 13800138000');
  });

  it('SEC-1: any change of the associated data (another row or column) makes open throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (aad, other) => {
        fc.pre(aad !== other);
        const k = key(2);
        const sealed = seal(k, Buffer.from('x'), aad);
        expect(() => open(k, sealed, other)).toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('SEC-1: a different key, a truncated or appended-to ciphertext, or one shorter than IV + tag, makes open throw', () => {
    const sealed = seal(key(3), Buffer.from('hello'), 'a');
    expect(() => open(key(4), sealed, 'a')).toThrow();
    expect(() => open(key(3), sealed.subarray(0, sealed.length - 1), 'a')).toThrow();
    expect(() => open(key(3), Buffer.concat([sealed, Buffer.from([0])]), 'a')).toThrow();
    expect(() => open(key(3), sealed.subarray(0, 27), 'a')).toThrow(/too short/);
  });
});

describe('master key', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-master-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-1: ANXIN_MASTER_KEY is accepted base64 encoded', () => {
    const raw = crypto.randomBytes(32);
    const loaded = loadMasterKey({ fromEnv: raw.toString('base64'), dataDir: '/nonexistent/anxin' });
    expect(loaded.equals(raw)).toBe(true);
  });

  it('SEC-1: ANXIN_MASTER_KEY is accepted hex encoded (upper or lower case, surrounding whitespace ignored)', () => {
    const raw = crypto.randomBytes(32);
    expect(loadMasterKey({ fromEnv: raw.toString('hex'), dataDir: '/nonexistent/anxin' }).equals(raw)).toBe(true);
    const upper = ` ${raw.toString('hex').toUpperCase()}\n`;
    expect(loadMasterKey({ fromEnv: upper, dataDir: '/nonexistent/anxin' }).equals(raw)).toBe(true);
  });

  it('SEC-1: a key of the wrong length throws MasterKeyError naming ANXIN_MASTER_KEY and the length found', () => {
    const load = (fromEnv: string) => () => loadMasterKey({ fromEnv, dataDir: '/nonexistent/anxin' });
    expect(load(crypto.randomBytes(16).toString('base64'))).toThrow(MasterKeyError);
    expect(load(crypto.randomBytes(16).toString('base64'))).toThrow(/ANXIN_MASTER_KEY.*16 bytes/);
    expect(load(crypto.randomBytes(33).toString('base64'))).toThrow(MasterKeyError);
    expect(load(crypto.randomBytes(31).toString('hex'))).toThrow(MasterKeyError);
    expect(load('not-a-key')).toThrow(MasterKeyError);
  });

  it('SEC-1: without ANXIN_MASTER_KEY a key file is generated with mode 0600, and the next start reads the same key', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const generated: string[] = [];
    const first = loadMasterKey({ fromEnv: null, dataDir, onGenerated: (f) => generated.push(f) });
    const file = path.join(dataDir, MASTER_KEY_FILE);
    expect(generated).toEqual([file]);
    expect(first.length).toBe(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true);

    const second = loadMasterKey({ fromEnv: null, dataDir, onGenerated: (f) => generated.push(f) });
    expect(second.equals(first)).toBe(true);
    expect(generated).toHaveLength(1);
  });

  it('SEC-1: two fresh data folders get two different generated keys', () => {
    const a = loadMasterKey({ fromEnv: null, dataDir: tempDir() });
    const b = loadMasterKey({ fromEnv: null, dataDir: tempDir() });
    expect(a.equals(b)).toBe(false);
  });

  it('SEC-1: ANXIN_MASTER_KEY takes precedence over an existing key file', () => {
    const dataDir = tempDir();
    const fromFile = loadMasterKey({ fromEnv: null, dataDir });
    const raw = crypto.randomBytes(32);
    const loaded = loadMasterKey({ fromEnv: raw.toString('base64'), dataDir });
    expect(loaded.equals(raw)).toBe(true);
    expect(loaded.equals(fromFile)).toBe(false);
  });

  it('SEC-1: a damaged key file throws MasterKeyError naming the file instead of silently generating a new key', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, MASTER_KEY_FILE);
    fs.writeFileSync(file, 'c2hvcnQ=\n', { mode: 0o600 });
    expect(() => loadMasterKey({ fromEnv: null, dataDir })).toThrow(MasterKeyError);
    expect(() => loadMasterKey({ fromEnv: null, dataDir })).toThrow(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('c2hvcnQ=\n');
  });

  it('SEC-1: deriveKeys gives three different 32-byte keys, none equal to the master', () => {
    const master = crypto.randomBytes(32);
    const { kek, blindIndex: bidx, otp } = deriveKeys(master);
    for (const k of [kek, bidx, otp]) {
      expect(k.length).toBe(32);
      expect(k.equals(master)).toBe(false);
    }
    expect(kek.equals(bidx)).toBe(false);
    expect(kek.equals(otp)).toBe(false);
    expect(bidx.equals(otp)).toBe(false);
  });

  it('SEC-1: deriveKeys is deterministic for one master and different for another', () => {
    const master = key(9);
    const again = deriveKeys(Buffer.from(master));
    const once = deriveKeys(master);
    expect(once.kek.equals(again.kek)).toBe(true);
    expect(once.blindIndex.equals(again.blindIndex)).toBe(true);
    expect(once.otp.equals(again.otp)).toBe(true);
    const other = deriveKeys(key(10));
    expect(other.kek.equals(once.kek)).toBe(false);
    expect(other.blindIndex.equals(once.blindIndex)).toBe(false);
    expect(other.otp.equals(once.otp)).toBe(false);
  });
});

describe('blind index', () => {
  it('SEC-1: the same value under the same key and kind always gives the same 32-byte index', () => {
    const k = key(5);
    const a = blindIndex(k, 'phone', '13800138000');
    expect(a.length).toBe(32);
    expect(blindIndex(Buffer.from(k), 'phone', '13800138000').equals(a)).toBe(true);
  });

  it('SEC-1: the index is a keyed hash: it does not contain the value and is not a plain hash of it', () => {
    const idx = blindIndex(key(5), 'phone', '13800138000');
    expect(idx.includes(Buffer.from('13800138000'))).toBe(false);
    expect(idx.equals(crypto.createHash('sha256').update('13800138000').digest())).toBe(false);
    expect(idx.equals(crypto.createHash('sha256').update('phone\u000013800138000').digest())).toBe(false);
  });

  it("SEC-1: a different kind ('phone' vs 'ip'), key or value gives a different index", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (value, other) => {
        const k = key(5);
        const base = blindIndex(k, 'phone', value);
        expect(blindIndex(k, 'ip', value).equals(base)).toBe(false);
        expect(blindIndex(key(6), 'phone', value).equals(base)).toBe(false);
        if (other !== value) expect(blindIndex(k, 'phone', other).equals(base)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

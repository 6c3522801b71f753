import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { SIGNING_KEY_FILE, verifyCertificate } from '../privacy/rights/certificate.js';
import crypto from 'node:crypto';
import { parseArgs } from './args.js';

/**
 * npm run -s certificate:verify -- FILE [--public-key PEM_FILE]
 * Checks a deletion certificate's signature. With this server's data folder at hand (ANXIN_DATA_DIR) it also checks
 * that this server signed it; with --public-key, that the key given signed it. Exit 0: valid; 1: invalid; 2: usage.
 */
const { flags, positional } = parseArgs(process.argv.slice(2));
const file = positional[0];
if (!file) {
  console.error('用法 Usage: npm run -s certificate:verify -- FILE [--public-key PEM_FILE]');
  process.exit(2);
}
let doc: unknown;
try {
  doc = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
} catch (err) {
  console.error(`无法读取证明文件 Cannot read the certificate: ${(err as Error).message}`);
  process.exit(2);
}
let expected: string | undefined;
if (typeof flags['public-key'] === 'string') expected = fs.readFileSync(path.resolve(flags['public-key']), 'utf8');
else {
  const keyFile = path.join(loadConfig().dataDir, SIGNING_KEY_FILE);
  if (fs.existsSync(keyFile))
    expected = crypto.createPublicKey(fs.readFileSync(keyFile)).export({ type: 'spki', format: 'pem' }).toString();
}
const result = verifyCertificate(doc, expected);
if (result.ok) {
  console.log(`有效 Valid: signed by key sha256:${result.fingerprint}${expected ? " (this server's key)" : ''}`);
  process.exit(0);
}
console.error(`无效 Invalid: ${result.reason}`);
process.exit(1);

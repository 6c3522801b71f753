import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CERTIFICATE_FORMAT, CertificateSigner, verifyCertificate, type CertificateBody } from './certificate.js';

const repoRoot = new URL('../../../../../', import.meta.url).pathname;
const body: CertificateBody = {
  format: CERTIFICATE_FORMAT,
  requestId: '7b0e6a9e-2c53-4d55-9a3f-0d1c2b3a4f5e',
  kind: 'cancellation',
  subject: 'c2d6f1a8-9b7e-4c3d-8a2b-1e0f9d8c7b6a',
  requestedAt: '2026-09-18T03:00:00.000Z',
  processedAt: '2026-09-24T00:30:00.000Z',
  keyDestroyedAt: '2026-09-24T00:30:00.000Z',
  erased: [{ table: 'users', action: 'anonymised', rows: 1 }],
  kept: [{ table: 'messages', rows: 12, basis: 'medical record', until: '2041-09-24T00:30:00.000Z' }],
  recipients: [],
  backupsClearBy: '2026-10-29T00:30:00.000Z',
  issuer: 'https://anxin.example.cn',
};

describe('deletion certificates (RIG-3)', () => {
  it('RIG-3: a certificate signed with the server key verifies with `npm run -s certificate:verify`; a changed one does not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-cert-'));
    try {
      const signer = new CertificateSigner(dir);
      const signed = signer.sign(body);
      expect(fs.statSync(path.join(dir, 'certificate-signing.key')).mode & 0o777).toBe(0o600);
      expect(verifyCertificate(signed, signer.publicKeyPem())).toMatchObject({ ok: true });
      // Another server's key: valid signature, but not ours.
      const other = new CertificateSigner(fs.mkdtempSync(path.join(dir, 'other-')));
      expect(verifyCertificate(other.sign(body), signer.publicKeyPem())).toMatchObject({ ok: false });

      const file = path.join(dir, 'cert.json');
      fs.writeFileSync(file, JSON.stringify(signed));
      const cli = (f: string) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/certificate-verify.ts', f], {
          cwd: repoRoot,
          encoding: 'utf8',
          env: { ...process.env, ANXIN_DATA_DIR: dir },
        });
      const ok = cli(file);
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/this server's key/);
      const tampered = structuredClone(signed);
      tampered.certificate.kept = [];
      fs.writeFileSync(file, JSON.stringify(tampered));
      expect(cli(file).status).toBe(1);
      expect(cli(path.join(dir, 'missing.json')).status).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

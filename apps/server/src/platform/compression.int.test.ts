import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, get, ORIGIN, signIn, type TestApp } from '../../test/harness.js';
import { staffCookie } from '../../test/onboarding-fixtures.js';
import { activeConsultation, approvedDoctor } from '../../test/consultation-fixtures.js';

/**
 * A web build as vite writes it (apps/web/vite.config.ts): hashed assets and pages, each text file over 1 KiB
 * with a .br and a .gz copy next to it. The copies differ from what compressing the original gives, so a test
 * can tell the precompressed file from on-the-fly compression.
 */
const SCRIPT = `console.log(${JSON.stringify('安心'.repeat(2000))});\n`;
const PAGE = `<!doctype html><html lang="zh-CN"><title>安心医生</title><div id="root">${'<p>安心</p>'.repeat(300)}</div>`;
const MARK = '/* precompressed */';

function writeBuild(dir: string) {
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(text + MARK));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(text + MARK));
  };
  write('assets/doctor-AbC123.js', SCRIPT);
  write('index.html', PAGE);
  write('patient/index.html', PAGE.replace('安心医生', '安心'));
  write('admin/index.html', PAGE.replace('安心医生', '管理后台'));
}

let t: TestApp;
let web: string;

beforeAll(async () => {
  web = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-web-dist-'));
  writeBuild(web);
  t = await createTestApp({ env: { ANXIN_WEB_DIST: web } });
}, 60_000);
afterAll(async () => {
  await t.close();
  fs.rmSync(web, { recursive: true, force: true });
});

describe('static files are served precompressed', () => {
  it('a built asset goes out as brotli, gzip or identity per Accept-Encoding, with its type, Vary and long caching', async () => {
    const url = '/assets/doctor-AbC123.js';
    const br = await get(t, url, undefined, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT + MARK);

    const gz = await get(t, url, undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT + MARK);

    const plain = await get(t, url, undefined, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.toString()).toBe(SCRIPT);

    for (const res of [br, gz, plain]) {
      expect(res.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('the page fallback (deep links of each app) also sends the precompressed page, never cached', async () => {
    for (const [url, title] of [
      ['/', '安心医生'],
      ['/consultations/abc', '安心医生'],
      ['/patient/me', '安心'],
      ['/admin/reviews', '管理后台'],
    ] as const) {
      const res = await get(t, url, undefined, { 'accept-encoding': 'br' });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['vary'], url).toMatch(/accept-encoding/i);
      expect(zlib.brotliDecompressSync(res.rawPayload).toString(), url).toContain(`<title>${title}</title>`);
    }
    const plain = await get(t, '/patient/me');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.toString()).toContain('<title>安心</title>');
  });
});

describe('API responses are compressed above 1 KiB', () => {
  it('a large response (the policy text) is compressed; a tiny one (/healthz) is not', async () => {
    const large = await get(t, '/api/policy/current?locale=zh-CN', undefined, { 'accept-encoding': 'br, gzip' });
    expect(large.statusCode).toBe(200);
    expect(large.headers['content-encoding']).toBe('br');
    expect(large.headers['vary']).toMatch(/accept-encoding/i);
    const body = JSON.parse(zlib.brotliDecompressSync(large.rawPayload).toString());
    expect(body.version).toBeGreaterThan(0);
    expect(large.rawPayload.length).toBeLessThan(Buffer.byteLength(JSON.stringify(body)) / 2);

    const gz = await get(t, '/api/policy/current?locale=zh-CN', undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString())).toEqual(body);

    const small = await get(t, '/healthz', undefined, { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ status: 'ok' });
  });

  it('media files (encrypted at rest, no-store) go out byte for byte, uncompressed', async () => {
    const reviewer = await staffCookie(t, ['reviewer']);
    const doctor = await approvedDoctor(t, reviewer.cookie, 'psychiatrist', '761');
    const { id } = await activeConsultation(t, doctor);
    const header = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01]);
    const note = Buffer.concat([header, Buffer.from([0x42, 0x82, 0x84]), Buffer.from('webm'), Buffer.alloc(20_000)]);
    const ack = await t.app.inject({
      method: 'POST',
      url: `/api/consultations/${id}/media-messages?clientId=${crypto.randomUUID()}&kind=voice&durationMs=2000`,
      payload: note,
      headers: { cookie: doctor.cookie, origin: ORIGIN, 'content-type': 'application/octet-stream' },
    });
    expect(ack.statusCode, ack.body).toBe(200);
    const audio = await get(t, `/api/consultations/${id}/messages/1/media/audio`, doctor.cookie, {
      'accept-encoding': 'br, gzip',
    });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['content-encoding']).toBeUndefined();
    expect(audio.headers['cache-control']).toBe('private, no-store');
    // Zero padding would shrink to almost nothing if it were compressed.
    expect(audio.rawPayload.equals(note)).toBe(true);
  });

  it('the WebSocket is never compressed by the HTTP layer: a client asking for br gets plain JSON frames', async () => {
    const base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
    const patient = await signIn(t, 'patient');
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, {
      headers: { cookie: patient.cookie, origin: base, 'accept-encoding': 'br, gzip' },
    });
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (raw) => resolve(raw.toString()));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    expect(JSON.parse(first)).toMatchObject({ type: 'hello' });
    ws.close();
  });
});

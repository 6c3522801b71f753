// Generates the PWA icons in public/icons: a solid background with a white heart, drawn with the
// implicit heart curve and 4×4 supersampling, encoded as PNG with node:zlib only (no image libraries).
// Run: node apps/web/scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const outDir = new URL('../public/icons/', import.meta.url);

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function encodePng(size, rgbAt) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b] = rgbAt(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function hex(colour) {
  const n = parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Inside the heart (x² + y² − 1)³ − x²y³ ≤ 0, on a canvas where the heart spans `scale` of the icon. */
function inHeart(u, v, scale) {
  const x = ((u - 0.5) / scale) * 2.6;
  const y = -((v - 0.495) / scale) * 2.6 + 0.15;
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
}

function drawIcon(size, background, scale) {
  const bg = hex(background);
  const fg = [255, 255, 255];
  const samples = 4;
  return encodePng(size, (px, py) => {
    let hits = 0;
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const u = (px + (sx + 0.5) / samples) / size;
        const v = (py + (sy + 0.5) / samples) / size;
        if (inHeart(u, v, scale)) hits++;
      }
    }
    const t = hits / (samples * samples);
    return bg.map((c, i) => Math.round(c * (1 - t) + fg[i] * t));
  });
}

const svg = (background) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="${background}"/>` +
  `<path fill="#fff" d="M12 19.5C12 19.5 4.5 15 4.5 9.9 4.5 7.6 6.3 5.8 8.5 5.8 10 5.8 11.3 6.6 12 7.9 12.7 6.6 14 5.8 15.5 5.8 17.7 5.8 19.5 7.6 19.5 9.9 19.5 15 12 19.5 12 19.5Z"/></svg>\n`;

const palettes = { doctor: '#0f766e', patient: '#3b6fb6', admin: '#1f2937' };

mkdirSync(outDir, { recursive: true });
for (const [name, colour] of Object.entries(palettes)) {
  writeFileSync(new URL(`${name}.svg`, outDir), svg(colour));
  if (name === 'admin') continue;
  // The mark stays inside the central 60 % so the same file works as a maskable icon.
  writeFileSync(new URL(`${name}-192.png`, outDir), drawIcon(192, colour, 0.5));
  writeFileSync(new URL(`${name}-512.png`, outDir), drawIcon(512, colour, 0.5));
  writeFileSync(new URL(`${name}-apple-touch-icon.png`, outDir), drawIcon(180, colour, 0.56));
}

#!/usr/bin/env node
// Draws the app and tray icons as PNGs (no image tools needed): a key on a rounded square, and for the
// tray one small key per agent state with a coloured status dot. Output is committed under resources/;
// run again after changing the drawing: `node scripts/make-icons.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'resources');

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Signed distance functions in unit coordinates (0..1), composed with coverage-based anti-aliasing.
const roundedBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const box = (x, y, x0, y0, x1, y1) => roundedBox(x, y, (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2, 0);

function keyShape(x, y) {
  const ring = Math.max(circle(x, y, 0.36, 0.5, 0.2), -circle(x, y, 0.36, 0.5, 0.085));
  const shaft = box(x, y, 0.5, 0.455, 0.86, 0.545);
  const tooth1 = box(x, y, 0.7, 0.545, 0.76, 0.66);
  const tooth2 = box(x, y, 0.8, 0.545, 0.86, 0.63);
  return Math.min(ring, shaft, tooth1, tooth2);
}

function draw(size, layers) {
  const buf = Buffer.alloc(size * size * 4);
  const aa = 1 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const { sdf, color } of layers) {
        const cov = Math.min(1, Math.max(0, 0.5 - sdf(x, y) / aa));
        if (cov <= 0) continue;
        const ca = cov * (color[3] ?? 1);
        r = color[0] * ca + r * (1 - ca);
        g = color[1] * ca + g * (1 - ca);
        b = color[2] * ca + b * (1 - ca);
        a = ca + a * (1 - ca);
      }
      const i = (py * size + px) * 4;
      buf[i] = a ? Math.round(r / a) : 0;
      buf[i + 1] = a ? Math.round(g / a) : 0;
      buf[i + 2] = a ? Math.round(b / a) : 0;
      buf[i + 3] = Math.round(a * 255);
    }
  }
  return png(size, buf);
}

const blue = [11, 92, 173];
const white = [255, 255, 255];
const statusColors = { idle: [29, 140, 62], working: [11, 120, 220], attention: [230, 160, 0], error: [200, 40, 30] };

const appLayers = [
  { sdf: (x, y) => roundedBox(x, y, 0.5, 0.5, 0.44, 0.44, 0.12), color: blue },
  { sdf: keyShape, color: white },
];

mkdirSync(path.join(out, 'icons'), { recursive: true });
writeFileSync(path.join(out, 'icon.png'), draw(512, appLayers));
for (const size of [16, 32, 48, 64, 128, 256, 512])
  writeFileSync(path.join(out, 'icons', `${size}x${size}.png`), draw(size, appLayers));

// Tray: the key on transparent ground (readable on light and dark panels thanks to a dark outline)
// and a status dot at the lower right. 32 px and @2x.
for (const [status, color] of Object.entries(statusColors)) {
  const layers = [
    { sdf: (x, y) => keyShape(x, y) - 0.04, color: [30, 30, 30] },
    { sdf: keyShape, color: white },
    { sdf: (x, y) => circle(x, y, 0.76, 0.76, 0.22), color: [30, 30, 30] },
    { sdf: (x, y) => circle(x, y, 0.76, 0.76, 0.17), color },
  ];
  writeFileSync(path.join(out, `tray-${status}.png`), draw(32, layers));
  writeFileSync(path.join(out, `tray-${status}@2x.png`), draw(64, layers));
}
console.log(`icons written to ${path.relative(process.cwd(), out) || out}/`);

#!/usr/bin/env node
// Draws the Passerelle mark (the footbridge of src/assets/favicon.svg) into the PNG icons the web
// app manifest needs, with nothing but Node: a tiny rasteriser (4×4 supersampling) and a PNG
// encoder (zlib + CRC32). Run it again only if the mark changes; the PNGs are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/assets/icons');
const blue = [0x1f, 0x4e, 0x8c];
const white = [0xff, 0xff, 0xff];

// The mark's strokes in its 32×32 design grid: three lines and the arch (a cubic Bézier).
function markSegments() {
  const segments = [
    [7, 21, 25, 21],
    [10, 21, 10, 15],
    [22, 21, 22, 15],
  ];
  const [x0, y0, x1, y1, x2, y2, x3, y3] = [8, 15, 11, 10, 21, 10, 24, 15];
  let px = x0;
  let py = y0;
  for (let i = 1; i <= 24; i++) {
    const t = i / 24;
    const u = 1 - t;
    const x = u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
    const y = u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
    segments.push([px, py, x, y]);
    px = x;
    py = y;
  }
  return segments;
}

function distanceToSegment(x, y, [ax, ay, bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function insideRoundedRect(x, y, size, radius) {
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/**
 * `maskable`: the background fills the square and the mark shrinks into the safe zone (the
 * central circle of 80 % the launcher may crop to); otherwise the rounded tile of the favicon.
 */
function draw(size, maskable) {
  const segments = markSegments();
  const scale = maskable ? 0.62 : 1;
  const grid = 32;
  const half = 2.4 / 2;
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let background = 0;
      let stroke = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size) * grid;
          const y = ((py + (sy + 0.5) / samples) / size) * grid;
          if (!maskable && !insideRoundedRect(x, y, grid, 7)) continue;
          background += 1;
          // Into the mark's own grid, centred.
          const mx = (x - grid / 2) / scale + grid / 2;
          const my = (y - grid / 2) / scale + grid / 2;
          if (segments.some((segment) => distanceToSegment(mx, my, segment) <= half)) stroke += 1;
        }
      }
      const total = samples * samples;
      const alpha = background / total;
      const mix = background ? stroke / background : 0;
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) pixels[offset + c] = Math.round(blue[c] * (1 - mix) + white[c] * mix);
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, pixels);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // no filter
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(outDir, { recursive: true });
const icons = [
  ['passerelle-192.png', 192, false],
  ['passerelle-512.png', 512, false],
  ['passerelle-maskable-512.png', 512, true],
  ['passerelle-apple-180.png', 180, true],
];
for (const [name, size, maskable] of icons) {
  writeFileSync(path.join(outDir, name), draw(size, maskable));
  console.log(`${name}: ${size}×${size}${maskable ? ' (maskable)' : ''}`);
}

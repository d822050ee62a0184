// `node build/make-icons.mjs`: draws the app icon and writes every file electron-builder.yml names for
// it: build/icons/NxN.png (Linux), build/icon.ico (Windows) and build/icon.icns (macOS). Node built-ins
// only, so it runs the same anywhere; the output is committed and changes only when this script does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const here = import.meta.dirname;
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
// Windows draws small sizes from uncompressed bitmaps best; 256 is stored as PNG, as the format allows.
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS entry types by the pixel size they hold (the @2x types are the same pixels at half the points).
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

// The picture, in unit coordinates (0,0 top left): a blue rounded square, a white shield, a blue tick.
const TOP = [30, 64, 175];
const BOTTOM = [37, 99, 235];
const TICK = [29, 78, 216];

function inRoundedSquare(x, y) {
  const margin = 0.06;
  const radius = 0.18;
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - margin - radius), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - margin - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
}

function inShield(x, y) {
  const top = 0.22;
  const shoulder = 0.5;
  const tip = 0.82;
  const half = 0.25;
  if (y < top || y > tip) return false;
  // A gentle dip along the top edge, then straight sides, then a curved taper to the point.
  if (y < top + 0.025 * (1 - ((x - 0.5) / half) ** 2)) return false;
  const t = (y - shoulder) / (tip - shoulder);
  const width = y < shoulder ? half : half * (1 - t ** 1.6);
  return Math.abs(x - 0.5) <= width;
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

function onTick(x, y) {
  const a = [0.385, 0.5];
  const b = [0.47, 0.59];
  const c = [0.625, 0.4];
  return Math.min(distanceToSegment(x, y, a, b), distanceToSegment(x, y, b, c)) <= 0.034;
}

/** One sample: [r, g, b, a] with a in 0..1. */
function sample(x, y) {
  if (!inRoundedSquare(x, y)) return [0, 0, 0, 0];
  if (inShield(x, y)) return onTick(x, y) ? [...TICK, 1] : [255, 255, 255, 1];
  const t = y;
  return [0, 1, 2].map((i) => TOP[i] + (BOTTOM[i] - TOP[i]) * t).concat(1);
}

/** RGBA pixels, each averaged over a grid of samples so that edges are smooth at every size. */
function render(size) {
  const grid = size <= 64 ? 8 : 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const [sr, sg, sb, sa] = sample((px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size);
          r += sr * sa;
          g += sg * sa;
          b += sb * sa;
          a += sa;
        }
      }
      const at = (py * size + px) * 4;
      pixels[at] = a ? Math.round(r / a) : 0;
      pixels[at + 1] = a ? Math.round(g / a) : 0;
      pixels[at + 2] = a ? Math.round(b / a) : 0;
      pixels[at + 3] = Math.round((255 * a) / (grid * grid));
    }
  }
  return pixels;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 32-bit bottom-up BGRA bitmap with its (all-clear) AND mask, as ICO entries store small sizes. */
function dib(size, pixels) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows and mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const colour = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4;
      colour[to] = pixels[from + 2];
      colour[to + 1] = pixels[from + 1];
      colour[to + 2] = pixels[from];
      colour[to + 3] = pixels[from + 3];
    }
  }
  const mask = Buffer.alloc(Math.ceil(size / 32) * 4 * size);
  return Buffer.concat([header, colour, mask]);
}

function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    entries.push(entry);
    offset += data.length;
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

function icns(entries) {
  const parts = entries.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])];
const pixels = new Map(sizes.map((size) => [size, render(size)]));
const pngs = new Map(sizes.map((size) => [size, png(size, pixels.get(size))]));

mkdirSync(join(here, 'icons'), { recursive: true });
for (const size of LINUX_SIZES) writeFileSync(join(here, 'icons', `${size}x${size}.png`), pngs.get(size));
writeFileSync(
  join(here, 'icon.ico'),
  ico(
    ICO_SIZES.map((size) => ({
      size,
      data: size >= 256 ? pngs.get(size) : dib(size, pixels.get(size)),
    })),
  ),
);
writeFileSync(join(here, 'icon.icns'), icns(ICNS_TYPES.map(([type, size]) => [type, pngs.get(size)])));

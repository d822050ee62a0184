import { crc32, deflateSync } from 'node:zlib';
import { glyph } from './font5x7';

export type Rgb = readonly [number, number, number];

/**
 * An RGB raster with just what a chart needs (rectangles, lines, 5x7 bitmap text), encoded as a PNG with
 * node:zlib: the seed draws its screenshot-like evidence without an image library.
 */
export class Raster {
  readonly #pixels: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.#pixels = Buffer.alloc(width * height * 3);
    this.fill(0, 0, width, height, background);
  }

  fill(x: number, y: number, w: number, h: number, [r, g, b]: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let row = y0; row < y1; row++) {
      for (let col = x0; col < x1; col++) {
        const i = (row * this.width + col) * 3;
        this.#pixels[i] = r;
        this.#pixels[i + 1] = g;
        this.#pixels[i + 2] = b;
      }
    }
  }

  /** Upper-case text in the 5x7 font, each font pixel drawn as a `scale` square. */
  text(x: number, y: number, text: string, color: Rgb, scale = 2): void {
    let cursor = x;
    for (const char of text.toUpperCase()) {
      const rows = glyph(char);
      rows.forEach((bits, row) => {
        for (let col = 0; col < 5; col++) {
          if (bits & (0x10 >> col)) this.fill(cursor + col * scale, y + row * scale, scale, scale, color);
        }
      });
      cursor += 6 * scale;
    }
  }

  textWidth(text: string, scale = 2): number {
    return text.length * 6 * scale - scale;
  }

  toPng(): Buffer {
    // Each scanline starts with its filter type; 0 (none) is valid and deflates flat colours well.
    const stride = this.width * 3;
    const raw = Buffer.alloc((stride + 1) * this.height);
    for (let row = 0; row < this.height; row++) {
      this.#pixels.copy(raw, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, deflate, adaptive filtering, no interlace
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export interface BarChart {
  readonly title: string;
  readonly subtitle: string;
  readonly bars: readonly { readonly label: string; readonly value: number }[];
  /** Values at or above this are drawn in the alert colour, with a dashed line across. */
  readonly threshold?: number;
}

const ink: Rgb = [33, 37, 41];
const muted: Rgb = [108, 117, 125];
const grid: Rgb = [222, 226, 230];
const bar: Rgb = [13, 110, 253];
const alert: Rgb = [220, 53, 69];

/** A dashboard-style bar chart, the kind of screenshot people attach as evidence. */
export function barChartPng(chart: BarChart): Buffer {
  const width = 720;
  const height = 400;
  const canvas = new Raster(width, height, [255, 255, 255]);
  canvas.fill(0, 0, width, 52, [248, 249, 250]);
  canvas.fill(0, 52, width, 1, grid);
  canvas.text(24, 12, chart.title, ink, 2);
  canvas.text(24, 34, chart.subtitle, muted, 1);

  const left = 64;
  const top = 80;
  const bottom = height - 56;
  const right = width - 24;
  const max = Math.max(1, ...chart.bars.map((b) => b.value), chart.threshold ?? 0);
  const ceiling = niceCeiling(max);
  const y = (value: number) => bottom - ((bottom - top) * value) / ceiling;
  for (let i = 0; i <= 4; i++) {
    const value = (ceiling * i) / 4;
    canvas.fill(left, y(value), right - left, 1, grid);
    const label = String(Math.round(value));
    canvas.text(left - 10 - canvas.textWidth(label, 1), y(value) - 3, label, muted, 1);
  }
  const slot = (right - left) / chart.bars.length;
  chart.bars.forEach((b, i) => {
    const x = left + i * slot + slot * 0.18;
    const colour = chart.threshold !== undefined && b.value >= chart.threshold ? alert : bar;
    canvas.fill(x, y(b.value), slot * 0.64, bottom - y(b.value), colour);
    const label = b.label.slice(0, Math.max(1, Math.floor(slot / 6)));
    canvas.text(x + (slot * 0.64 - canvas.textWidth(label, 1)) / 2, bottom + 10, label, muted, 1);
  });
  if (chart.threshold !== undefined) {
    for (let x = left; x < right; x += 10) canvas.fill(x, y(chart.threshold), 6, 2, alert);
    canvas.text(right - canvas.textWidth('THRESHOLD', 1), y(chart.threshold) - 12, 'THRESHOLD', alert, 1);
  }
  canvas.fill(left, bottom, right - left, 1, muted);
  return canvas.toPng();
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

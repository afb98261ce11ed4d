/**
 * A PNG contact sheet of one batch (spectrograms or images) with each example's label printed
 * above it in a built-in 5x7 pixel font, coloured with the spectrogram PNG writer's maps. Generic over the example kind: spectrograms are drawn
 * with time to the right and low frequencies at the bottom, images as they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ConfigError } from '../errors.ts';
import type { Batch } from '../types.ts';
import { colorAt, type ColorMapName } from './spectrogram-png.ts';

/** Options of {@link renderBatchGrid}. */
export interface BatchGridOptions {
  /** `spectrogram`: [frames, bins] drawn transposed (time right, low bins at the bottom); `image`: rows down, columns right. @default 'spectrogram' */
  layout?: 'spectrogram' | 'image';
  /** Tiles per row. @default ceil(sqrt(size)) capped at 10 */
  columns?: number;
  /** Pixels per value. @default 2 */
  scale?: number;
  /** Gap between tiles, pixels. @default 4 */
  gapPx?: number;
  /** Colour map (shared with the spectrogram PNG writer). @default 'viridis' */
  colorMap?: ColorMapName;
}

// 5x7 glyphs, one 5-bit row per entry, top row first (labels are drawn in capitals).
const FONT: Record<string, readonly number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17], B: [30, 17, 17, 30, 17, 17, 30], C: [14, 17, 16, 16, 16, 17, 14], D: [30, 17, 17, 17, 17, 17, 30],
  E: [31, 16, 16, 30, 16, 16, 31], F: [31, 16, 16, 30, 16, 16, 16], G: [14, 17, 16, 23, 17, 17, 15], H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14], J: [7, 2, 2, 2, 2, 18, 12], K: [17, 18, 20, 24, 20, 18, 17], L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17], N: [17, 17, 25, 21, 19, 17, 17], O: [14, 17, 17, 17, 17, 17, 14], P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13], R: [30, 17, 17, 30, 20, 18, 17], S: [15, 16, 16, 14, 1, 1, 30], T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14], V: [17, 17, 17, 17, 17, 10, 4], W: [17, 17, 17, 21, 21, 21, 10], X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4], Z: [31, 1, 2, 4, 8, 16, 31],
  0: [14, 17, 19, 21, 25, 17, 14], 1: [4, 12, 4, 4, 4, 4, 14], 2: [14, 17, 1, 2, 4, 8, 31], 3: [31, 2, 4, 2, 1, 17, 14],
  4: [2, 6, 10, 18, 31, 2, 2], 5: [31, 16, 30, 1, 1, 17, 14], 6: [6, 8, 16, 30, 17, 17, 14], 7: [31, 1, 2, 4, 8, 8, 8],
  8: [14, 17, 17, 14, 17, 17, 14], 9: [14, 17, 17, 15, 1, 2, 12],
  _: [0, 0, 0, 0, 0, 0, 31], '-': [0, 0, 0, 31, 0, 0, 0], '.': [0, 0, 0, 0, 0, 12, 12], ' ': [0, 0, 0, 0, 0, 0, 0],
};
const GLYPH_W = 5;
const GLYPH_H = 7;

/** Width in pixels of `text` in the built-in font at `scale`. */
export function textWidth(text: string, scale = 1): number {
  return text.length * (GLYPH_W + 1) * scale;
}

function drawText(png: PNG, text: string, x0: number, y0: number, scale: number): void {
  let x = x0;
  for (const ch of text.toUpperCase()) {
    const glyph = FONT[ch] ?? FONT['.']!;
    for (let r = 0; r < GLYPH_H; r++) {
      for (let c = 0; c < GLYPH_W; c++) {
        if (!((glyph[r]! >> (GLYPH_W - 1 - c)) & 1)) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const px = x + c * scale + dx;
            const py = y0 + r * scale + dy;
            if (px >= png.width || py >= png.height) continue;
            const k = (py * png.width + px) * 4;
            png.data[k] = png.data[k + 1] = png.data[k + 2] = 0;
          }
        }
      }
    }
    x += (GLYPH_W + 1) * scale;
  }
}

function percentile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/**
 * Renders a batch as a PNG grid; colours span the batch's 1st..99th percentile.
 * @param labels class names indexed by `batch.y`
 * @throws ConfigError for an empty batch or bad options
 */
export function renderBatchGrid(batch: Batch, labels: readonly string[], options: BatchGridOptions = {}): PNG {
  const { layout = 'spectrogram', scale = 2, gapPx = 4, colorMap = 'viridis' } = options;
  if (batch.size < 1) throw new ConfigError('batch.size', 'at least 1', batch.size);
  const columns = options.columns ?? Math.min(10, Math.ceil(Math.sqrt(batch.size)));
  if (!Number.isInteger(columns) || columns < 1) throw new ConfigError('columns', 'an integer >= 1', columns);
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) throw new ConfigError('scale', 'an integer in [1, 16]', scale);
  const [h, w, c] = batch.exampleShape;
  const tileW = (layout === 'spectrogram' ? h : w) * scale;
  const tileH = (layout === 'spectrogram' ? w : h) * scale;
  const labelH = GLYPH_H + 4;
  const cellW = Math.max(tileW, textWidth('_unknown_')) + gapPx;
  const cellH = tileH + labelH + gapPx;
  const rows = Math.ceil(batch.size / columns);
  const png = new PNG({ width: columns * cellW + gapPx, height: rows * cellH + gapPx });
  png.data.fill(255);
  const sorted = Float32Array.from(batch.x).sort();
  const lo = percentile(sorted, 0.01);
  const hi = percentile(sorted, 0.99);
  const span = hi > lo ? hi - lo : 1;
  const per = h * w * c;
  for (let e = 0; e < batch.size; e++) {
    const x0 = gapPx + (e % columns) * cellW;
    const y0 = gapPx + Math.floor(e / columns) * cellH;
    const label = labels[batch.y[e]!] ?? String(batch.y[e]);
    drawText(png, label.length * (GLYPH_W + 1) > cellW ? label.slice(0, Math.floor(cellW / (GLYPH_W + 1))) : label, x0, y0, 1);
    const ty = y0 + labelH;
    for (let py = 0; py < tileH; py++) {
      for (let px = 0; px < tileW; px++) {
        const sx = Math.floor(px / scale);
        const sy = Math.floor(py / scale);
        // spectrogram: x = frame, y = bin from the top (high bins first); image: row y, column x
        const [row, col] = layout === 'spectrogram' ? [sx, w - 1 - sy] : [sy, sx];
        const v = batch.x[e * per + (row * w + col) * c]!;
        const [r, g, b] = colorAt(colorMap, (v - lo) / span);
        const k = ((ty + py) * png.width + x0 + px) * 4;
        png.data[k] = r;
        png.data[k + 1] = g;
        png.data[k + 2] = b;
        png.data[k + 3] = 255;
      }
    }
  }
  return png;
}

/** Renders a batch grid and writes it as a PNG file (folders created). */
export function writeBatchGrid(file: string, batch: Batch, labels: readonly string[], options: BatchGridOptions = {}): void {
  const png = renderBatchGrid(batch, labels, options);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png));
}

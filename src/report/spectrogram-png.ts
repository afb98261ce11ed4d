/**
 * Spectrogram images: a frames-major feature matrix rendered as a PNG (time left to right,
 * low bins at the bottom) through a perceptual colour map. Reusable for any 2-D matrix.
 */
import { PNG } from 'pngjs';
import { ConfigError } from '../errors.ts';
import { writeFileAtomicSync } from '../export/atomic-write.ts';

/** Colour maps: `viridis` and `magma` (matplotlib's, 9 stops interpolated) or `gray`. */
export type ColorMapName = 'viridis' | 'magma' | 'gray';

const STOPS: Record<ColorMapName, readonly string[]> = {
  viridis: ['440154', '472c7a', '3b518b', '2c718e', '21908d', '27ad81', '5cc863', 'aadc32', 'fde725'],
  magma: ['000004', '1c1044', '4f127b', '812581', 'b5367a', 'e55064', 'fb8761', 'fec287', 'fcfdbf'],
  gray: ['000000', 'ffffff'],
};

/** Options of {@link renderSpectrogramPng} / {@link writeSpectrogramPng}. */
export interface SpectrogramPngOptions {
  /** Pixel columns per frame. @default 4 */
  pixelsPerFrame?: number;
  /** Pixel rows per bin. @default 4 */
  pixelsPerBin?: number;
  /** Colour map. @default 'viridis' */
  colorMap?: ColorMapName;
  /** Value drawn with the lowest colour (lower values are clipped). @default the data minimum */
  minValue?: number;
  /** Value drawn with the highest colour (higher values are clipped). @default the data maximum */
  maxValue?: number;
}

/** RGB of a colour map at position `t` in [0, 1]. */
export function colorAt(map: ColorMapName, t: number): [number, number, number] {
  const stops = STOPS[map];
  if (!stops) throw new ConfigError('colorMap', `one of ${Object.keys(STOPS).join(', ')}`, map);
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = parseInt(stops[i]!, 16);
  const b = parseInt(stops[i + 1]!, 16);
  const ch = (v: number, s: number) => (v >> s) & 0xff;
  return [16, 8, 0].map((s) => Math.round(ch(a, s) + (ch(b, s) - ch(a, s)) * f)) as [number, number, number];
}

/**
 * Encodes a frames-major matrix (`data[t * numBins + b]`) as PNG bytes: width
 * `numFrames * pixelsPerFrame`, height `numBins * pixelsPerBin`, bin 0 at the bottom.
 * @throws ConfigError for inconsistent sizes or options
 */
export function renderSpectrogramPng(data: Float32Array, numFrames: number, numBins: number, opts: SpectrogramPngOptions = {}): Buffer {
  const { pixelsPerFrame = 4, pixelsPerBin = 4, colorMap = 'viridis' } = opts;
  if (!Number.isInteger(numFrames) || numFrames < 1) throw new ConfigError('numFrames', 'an integer >= 1', numFrames);
  if (!Number.isInteger(numBins) || numBins < 1) throw new ConfigError('numBins', 'an integer >= 1', numBins);
  if (data.length !== numFrames * numBins) throw new ConfigError('data.length', `numFrames x numBins = ${numFrames * numBins}`, data.length);
  for (const [name, v] of [['pixelsPerFrame', pixelsPerFrame], ['pixelsPerBin', pixelsPerBin]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 64) throw new ConfigError(name, 'an integer in [1, 64]', v);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const minValue = opts.minValue ?? (Number.isFinite(lo) ? lo : 0);
  const maxValue = opts.maxValue ?? (Number.isFinite(hi) ? hi : 1);
  const span = maxValue > minValue ? maxValue - minValue : 1;
  const width = numFrames * pixelsPerFrame;
  const height = numBins * pixelsPerBin;
  const png = new PNG({ width, height });
  for (let t = 0; t < numFrames; t++) {
    for (let b = 0; b < numBins; b++) {
      const [r, g, bl] = colorAt(colorMap, (data[t * numBins + b]! - minValue) / span);
      const y0 = (numBins - 1 - b) * pixelsPerBin;
      for (let dy = 0; dy < pixelsPerBin; dy++) {
        for (let dx = 0; dx < pixelsPerFrame; dx++) {
          const p = ((y0 + dy) * width + t * pixelsPerFrame + dx) * 4;
          png.data[p] = r;
          png.data[p + 1] = g;
          png.data[p + 2] = bl;
          png.data[p + 3] = 255;
        }
      }
    }
  }
  return PNG.sync.write(png);
}

/**
 * Writes {@link renderSpectrogramPng}'s image to `filePath` atomically (temporary file, rename).
 * @returns the image size in pixels
 */
export function writeSpectrogramPng(
  filePath: string, data: Float32Array, numFrames: number, numBins: number, opts: SpectrogramPngOptions = {},
): { width: number; height: number } {
  const bytes = renderSpectrogramPng(data, numFrames, numBins, opts);
  writeFileAtomicSync(filePath, bytes);
  return { width: numFrames * (opts.pixelsPerFrame ?? 4), height: numBins * (opts.pixelsPerBin ?? 4) };
}

/**
 * Image folders with one subfolder per class (`DIR/<class>/*.png`), the notMNIST layout and the
 * generic `--dataset folder`. PNG files are decoded with pngjs; unreadable files are skipped and
 * counted (the real notMNIST_small has some), never a crash. Images are converted to grey
 * (ITU-R 601 luma) or RGB and resized (bilinear) to one size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ConfigError, DatasetError } from '../../errors.ts';
import type { ImageSet } from './image-set.ts';

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** Channels of the result: 1 (grey) or 3 (RGB). @default 1 */
  channels?: 1 | 3;
  /** Height to resize to. @default the first readable image's */
  height?: number;
  /** Width to resize to. @default the first readable image's */
  width?: number;
  /** Class names in label order; classes missing on disk are an error. @default sorted subfolder names */
  labels?: readonly string[];
  /** Called after each file (done, total) for progress display. */
  onProgress?: (done: number, total: number) => void;
}

/** File extensions read as images. */
export const IMAGE_EXTENSIONS = ['.png'];

/** Decoded image: `channels` bytes per pixel, HWC. */
interface Decoded { width: number; height: number; rgba: Uint8Array }

function decodePng(bytes: Buffer): Decoded {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}

/** Converts RGBA to `channels` and resizes (bilinear, pixel centres aligned) into `out`. */
export function convertImage(img: Decoded, channels: 1 | 3, height: number, width: number, out: Uint8Array, offset: number): void {
  const sy = img.height / height;
  const sx = img.width / width;
  const at = (y: number, x: number, ch: number) => img.rgba[(y * img.width + x) * 4 + ch]!;
  const value = (y: number, x: number, ch: number) => (channels === 1
    ? 0.299 * at(y, x, 0) + 0.587 * at(y, x, 1) + 0.114 * at(y, x, 2)
    : at(y, x, ch));
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      for (let ch = 0; ch < channels; ch++) {
        const v = (1 - wy) * ((1 - wx) * value(y0, x0, ch) + wx * value(y0, x1, ch)) + wy * ((1 - wx) * value(y1, x0, ch) + wx * value(y1, x1, ch));
        out[offset + (y * width + x) * channels + ch] = Math.round(Math.min(255, Math.max(0, v)));
      }
    }
  }
}

/**
 * Loads `dir/<class>/*.png` as an ImageSet.
 * @throws DatasetError when `dir` has no class folders or no readable image
 */
export function loadImageFolder(dir: string, options: ImageFolderOptions = {}): ImageSet {
  const { channels = 1, onProgress } = options;
  if (channels !== 1 && channels !== 3) throw new ConfigError('channels', '1 or 3', channels);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new DatasetError(`${dir}: cannot read the image folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const onDisk = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const labels = options.labels ? [...options.labels] : onDisk;
  if (labels.length < 2) throw new DatasetError(`${dir}: expected one subfolder per class (at least 2), found ${onDisk.length}: ${onDisk.join(', ') || 'none'}`);
  const missing = labels.filter((l) => !onDisk.includes(l));
  if (missing.length) throw new DatasetError(`${dir}: missing class folders ${missing.join(', ')}`);
  const files: { file: string; label: number }[] = [];
  labels.forEach((label, k) => {
    for (const name of fs.readdirSync(path.join(dir, label)).sort()) {
      if (IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase())) files.push({ file: path.join(dir, label, name), label: k });
    }
  });
  let height = options.height;
  let width = options.width;
  const skipped: string[] = [];
  const decoded: { img: Decoded; label: number; file: string }[] = [];
  // Decode everything first (the size may come from the first image), converting as we go would need it upfront.
  let done = 0;
  for (const { file, label } of files) {
    try {
      const img = decodePng(fs.readFileSync(file));
      if (img.width < 1 || img.height < 1) throw new Error('empty image');
      height ??= img.height;
      width ??= img.width;
      decoded.push({ img, label, file });
    } catch (err) {
      skipped.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    }
    onProgress?.(++done, files.length);
  }
  if (decoded.length === 0 || height === undefined || width === undefined) {
    throw new DatasetError(`${dir}: no readable PNG image in ${labels.length} class folders (${skipped.length} unreadable)`);
  }
  const size = height * width * channels;
  const pixels = new Uint8Array(decoded.length * size);
  const classes = new Int32Array(decoded.length);
  decoded.forEach((d, i) => {
    convertImage(d.img, channels, height!, width!, pixels, i * size);
    classes[i] = d.label;
  });
  return { labels, height, width, channels, pixels, classes, files: decoded.map((d) => d.file), skipped };
}

/** notMNIST letters (class folders A-J). */
export const NOTMNIST_LABELS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];

/** Loads a notMNIST folder (`A/ ... J/`, 28x28 grey PNGs); unreadable files are skipped and listed. */
export function loadNotMnist(dir: string, options: Pick<ImageFolderOptions, 'onProgress'> = {}): ImageSet {
  return loadImageFolder(dir, { channels: 1, height: 28, width: 28, labels: NOTMNIST_LABELS, ...options });
}

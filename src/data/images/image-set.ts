/**
 * ImageSet: a labelled set of same-sized images in memory (uint8 pixels, HWC, example-major),
 * the common form of every image loader (IDX, notMNIST, class folders).
 */
import { ConfigError } from '../../errors.ts';

/** Images of one size with class indices. */
export interface ImageSet {
  /** Class names in label-index order. */
  labels: string[];
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Channels (1 grey, 3 RGB). */
  channels: number;
  /** `count * height * width * channels` bytes, example-major, then rows, columns, channels. */
  pixels: Uint8Array;
  /** Class index of each image. */
  classes: Int32Array;
  /** Source file of each image, when loaded from files (for reports). */
  files?: string[];
  /** Files skipped as unreadable (path and reason). */
  skipped: string[];
}

/** Number of images in a set. */
export function imageCount(set: ImageSet): number {
  return set.classes.length;
}

/** The images at `indices` of `set`, as a new set (same labels and size). */
export function subsetImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const pixels = new Uint8Array(indices.length * size);
  const classes = new Int32Array(indices.length);
  const files: string[] | undefined = set.files ? [] : undefined;
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    pixels.set(set.pixels.subarray(k * size, (k + 1) * size), i * size);
    classes[i] = set.classes[k]!;
    files?.push(set.files![k]!);
  }
  return { ...set, pixels, classes, ...(files ? { files } : {}), skipped: [] };
}

/** Concatenates sets with the same labels and image size. @throws ConfigError when they differ */
export function concatImages(sets: readonly ImageSet[]): ImageSet {
  const first = sets[0];
  if (!first) throw new ConfigError('sets', 'at least one image set', 0);
  for (const s of sets) {
    if (s.height !== first.height || s.width !== first.width || s.channels !== first.channels || s.labels.join('\n') !== first.labels.join('\n')) {
      throw new ConfigError('image sets', `the same labels and ${first.height}x${first.width}x${first.channels} size`, `${s.height}x${s.width}x${s.channels}`);
    }
  }
  const pixels = new Uint8Array(sets.reduce((n, s) => n + s.pixels.length, 0));
  const classes = new Int32Array(sets.reduce((n, s) => n + s.classes.length, 0));
  let p = 0;
  let c = 0;
  for (const s of sets) {
    pixels.set(s.pixels, p);
    classes.set(s.classes, c);
    p += s.pixels.length;
    c += s.classes.length;
  }
  const files = sets.every((s) => s.files) ? sets.flatMap((s) => s.files!) : undefined;
  return { ...first, pixels, classes, ...(files ? { files } : {}), skipped: sets.flatMap((s) => s.skipped) };
}

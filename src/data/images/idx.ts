/**
 * IDX files (MNIST, Fashion-MNIST): `readIdx` decodes one file (gzip or raw, detected by
 * content; magic number checked), `loadIdxDataset` loads the four standard files of a folder.
 * Format: 2 zero bytes, type code (0x08 = unsigned byte), number of dimensions, sizes (int32
 * big-endian), then the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DatasetError } from '../../errors.ts';
import type { ImageSet } from './image-set.ts';

/** A decoded IDX array of unsigned bytes. */
export interface IdxArray {
  /** Sizes of each dimension, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The values, row-major. */
  data: Uint8Array;
}

/** IDX type code of unsigned bytes (the only type MNIST uses). */
export const IDX_UBYTE = 0x08;

/** MNIST class names. */
export const MNIST_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** Fashion-MNIST class names (zalandoresearch/fashion-mnist). */
export const FASHION_MNIST_LABELS = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Standard file stems of an IDX dataset folder. */
export const IDX_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/**
 * Decodes IDX bytes (gunzips first when they start with the gzip magic).
 * @param file used in error messages
 * @throws DatasetError for a bad magic number, an unsupported type, or a size mismatch
 */
export function decodeIdx(bytes: Uint8Array, file = '<memory>'): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = zlib.gunzipSync(buf);
    } catch (err) {
      throw new DatasetError(`${file}: corrupt gzip data (${(err as Error).message})`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new DatasetError(`${file}: not an IDX file (magic number must start with two zero bytes, got ${Array.from(buf.subarray(0, 4)).map((b) => b.toString(16).padStart(2, '0')).join(' ')})`);
  }
  if (buf[2] !== IDX_UBYTE) throw new DatasetError(`${file}: IDX type 0x${buf[2]!.toString(16)} is not supported (expected 0x08, unsigned byte)`);
  const rank = buf[3]!;
  if (rank < 1 || buf.length < 4 + 4 * rank) throw new DatasetError(`${file}: truncated IDX header (${rank} dimensions)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (buf.length - start !== count) {
    throw new DatasetError(`${file}: IDX header says ${dims.join('x')} = ${count} values but the file has ${buf.length - start}`);
  }
  return { dims, data: buf.subarray(start, start + count) };
}

/** Reads and decodes an IDX file. @throws DatasetError naming the file */
export function readIdx(file: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new DatasetError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return decodeIdx(bytes, file);
}

/** The path of `stem` or `stem.gz` in `dir`, or undefined. */
export function findIdxFile(dir: string, stem: string): string | undefined {
  for (const name of [stem, `${stem}.gz`, stem.replace(/-idx(\d)-/, '.idx$1-')]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** Loads one images + labels pair as an ImageSet. @throws DatasetError when counts or sizes disagree */
export function loadIdxPair(imagesFile: string, labelsFile: string, labels: readonly string[]): ImageSet {
  const images = readIdx(imagesFile);
  const lab = readIdx(labelsFile);
  if (images.dims.length !== 3) throw new DatasetError(`${imagesFile}: expected 3 dimensions (count, rows, columns), got ${images.dims.join('x')}`);
  if (lab.dims.length !== 1) throw new DatasetError(`${labelsFile}: expected 1 dimension (count), got ${lab.dims.join('x')}`);
  if (lab.dims[0] !== images.dims[0]) throw new DatasetError(`${labelsFile}: ${lab.dims[0]} labels for ${images.dims[0]} images in ${imagesFile}`);
  const classes = Int32Array.from(lab.data);
  const bad = classes.findIndex((c) => c >= labels.length);
  if (bad >= 0) throw new DatasetError(`${labelsFile}: label ${classes[bad]} at index ${bad} is outside [0, ${labels.length})`);
  return { labels: [...labels], height: images.dims[1]!, width: images.dims[2]!, channels: 1, pixels: images.data, classes, skipped: [] };
}

/**
 * Loads an MNIST-layout folder: `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
 * `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`.
 * @returns the training set and, when its files exist, the test set
 * @throws DatasetError naming the missing or bad file
 */
export function loadIdxDataset(dir: string, labels: readonly string[] = MNIST_LABELS): { train?: ImageSet; test?: ImageSet } {
  const out: { train?: ImageSet; test?: ImageSet } = {};
  for (const part of ['train', 'test'] as const) {
    const img = findIdxFile(dir, IDX_FILES[part].images);
    const lab = findIdxFile(dir, IDX_FILES[part].labels);
    if (img && lab) out[part] = loadIdxPair(img, lab, labels);
    else if (img || lab) throw new DatasetError(`${dir}: found ${path.basename((img ?? lab)!)} but not its ${img ? 'labels' : 'images'} file (${img ? IDX_FILES[part].labels : IDX_FILES[part].images}[.gz])`);
  }
  if (!out.train && !out.test) {
    throw new DatasetError(`${dir}: no IDX files (expected ${IDX_FILES.train.images}[.gz] and ${IDX_FILES.train.labels}[.gz], and/or the t10k-* pair)`);
  }
  return out;
}

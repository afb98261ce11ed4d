/** Generates tiny image datasets for tests: IDX files (gzip or raw) and PNG class folders. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PNG } from 'pngjs';

/** IDX bytes of unsigned-byte data with the given dims. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

/** A class-k image: a bright bar in row band k (size x size), with a little per-index texture. */
export function classImage(k: number, index: number, size = 20): Uint8Array {
  const img = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) img[y * size + x] = (Math.floor(y / 2) === k ? 200 : 10) + ((x * 7 + index * 13) % 40);
  }
  return img;
}

/** Writes an MNIST-layout folder with `perClass` train and test images per class (10 classes: every MNIST label present). */
export function writeIdxDataset(dir: string, options: { classes?: number; perClass?: number; gzip?: boolean; size?: number } = {}): void {
  const { classes = 10, perClass = 4, gzip = true, size = 20 } = options;
  fs.mkdirSync(dir, { recursive: true });
  for (const [part, offset] of [['train', 0], ['t10k', 1000]] as const) {
    const n = classes * perClass;
    const pixels = new Uint8Array(n * size * size);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % classes;
      pixels.set(classImage(i % classes, i + offset, size), i * size * size);
    }
    const write = (name: string, bytes: Uint8Array) => fs.writeFileSync(path.join(dir, gzip ? `${name}.gz` : name), gzip ? zlib.gzipSync(bytes) : bytes);
    write(`${part}-images-idx3-ubyte`, idxBytes([n, size, size], pixels));
    write(`${part}-labels-idx1-ubyte`, idxBytes([n], labels));
  }
}

/** PNG bytes of a grey image. */
export function pngBytes(grey: Uint8Array, size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) {
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = grey[i]!;
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** Writes `dir/<label>/<n>.png` folders plus one corrupt PNG; returns the corrupt file's path. */
export function writePngFolders(dir: string, labels: readonly string[], perClass = 10, size = 8): string {
  labels.forEach((label, k) => {
    fs.mkdirSync(path.join(dir, label), { recursive: true });
    for (let i = 0; i < perClass; i++) fs.writeFileSync(path.join(dir, label, `${i}.png`), pngBytes(classImage(k, i, size), size));
  });
  const corrupt = path.join(dir, labels[0]!, 'broken.png');
  fs.writeFileSync(corrupt, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  fs.writeFileSync(path.join(dir, labels[0]!, 'notes.txt'), 'not an image');
  return corrupt;
}

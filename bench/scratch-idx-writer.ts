/**
 * Example writer of bench/scratch.ts: copies one 28x28 MNIST image (bytes in a shared buffer)
 * into a batch, scaled to [0, 1]. Bench-only: the library's MNIST loader lives in src/data/images.
 */
import type { ExampleWriter } from '../src/batch/example-writer.ts';

/** Init data: all images of all splits, 784 bytes each. */
export interface BenchIdxInit {
  pixels: SharedArrayBuffer;
}

/** Writer factory (referenced by name in the WriterSpec). */
export function createBenchIdxWriter(init: BenchIdxInit): ExampleWriter {
  const pixels = new Uint8Array(init.pixels);
  return {
    exampleShape: [28, 28, 1],
    write(item, _label, _rng, _augment, out, offset) {
      const base = item * 784;
      for (let i = 0; i < 784; i++) out[offset + i] = pixels[base + i]! / 255;
    },
  };
}

/**
 * The image {@link ExampleWriter} for the shared batcher: copies (evaluation) or augments
 * (training) one uint8 image from a SharedArrayBuffer into the batch, scaled to [0, 1].
 * Built by the batcher in the main thread or in workers through `createImageWriter(init)`.
 */
import type { ExampleWriter } from '../../batch/example-writer.ts';
import { augmentImage, augmentsAnything, type ImageAugmentOptions } from '../../augment/image.ts';
import type { ExampleShape } from '../../types.ts';

/** Structured-clonable init data of {@link createImageWriter}. */
export interface ImageWriterInit {
  /** All images (uint8, HWC, example-major); item `i` is image `i`. */
  pixels: SharedArrayBuffer;
  /** Shape of one image. */
  exampleShape: ExampleShape;
  /** Augmentation of training examples. */
  augment: ImageAugmentOptions;
  /** Pixel scale (output = scale * byte). */
  scale: number;
}

/** The scale that maps bytes to [0, 1]. */
export const PIXEL_SCALE = 1 / 255;

/** Writer factory (the batcher calls it by name in every thread). */
export function createImageWriter(init: ImageWriterInit): ExampleWriter {
  const pixels = new Uint8Array(init.pixels);
  const shape = init.exampleShape;
  const size = shape[0] * shape[1] * shape[2];
  const active = augmentsAnything(init.augment);
  return {
    exampleShape: shape,
    write(item, _label, rng, augment, out, offset) {
      const src = item * size;
      if (augment && active) {
        augmentImage(pixels, src, shape, init.augment, rng, init.scale, out, offset);
      } else {
        for (let i = 0; i < size; i++) out[offset + i] = init.scale * pixels[src + i]!;
      }
    },
  };
}

/**
 * The one example-kind-specific part of batch production: an {@link ExampleWriter} turns an
 * item of a dataset (a clip, an image) into the features of one example, written straight
 * into a batch buffer. The batcher builds writers from a serialisable {@link WriterSpec}, so
 * the same writer runs in the main thread or in worker threads.
 *
 * @example
 * ```ts
 * // my-writer.ts: exports a factory that takes structured-clonable init data
 * // (SharedArrayBuffers are shared with workers, not copied).
 * export function createMyWriter(init: { pixels: SharedArrayBuffer }): ExampleWriter {
 *   const pixels = new Uint8Array(init.pixels);
 *   return {
 *     exampleShape: [28, 28, 1],
 *     write(item, label, rng, augment, out, offset) {
 *       for (let i = 0; i < 784; i++) out[offset + i] = pixels[item * 784 + i]! / 255;
 *     },
 *   };
 * }
 * // elsewhere:
 * const spec: WriterSpec<MyInit> = { moduleUrl: new URL('./my-writer.ts', import.meta.url).href, factory: 'createMyWriter', init };
 * ```
 */
import type { ExampleShape } from '../types.ts';
import { createRng, type Rng } from '../data/rng.ts';
import { ConfigError } from '../errors.ts';

/** Writes the features of one example into a batch buffer. */
export interface ExampleWriter {
  /** Shape of one example ([rows, columns, channels]); it fills `rows*columns*channels` floats. */
  readonly exampleShape: ExampleShape;
  /**
   * Writes example `item` (class `label`) into `out[offset .. offset + size)`.
   * @param rng the example's own generator (derived from seed, epoch and position)
   * @param augment false for evaluation: no random transforms (the rng may still pick
   *   deterministic content, e.g. the noise of a `_silence_` example)
   */
  write(item: number, label: number, rng: Rng, augment: boolean, out: Float32Array, offset: number): void;
}

/** How to build an {@link ExampleWriter} in any thread: `import(moduleUrl)[factory](init)`. */
export interface WriterSpec<Init = unknown> {
  /** URL of the module that exports the factory (a `file:` URL; `.ts` works through tsx). */
  moduleUrl: string;
  /** Name of the exported factory function `(init) => ExampleWriter | Promise<ExampleWriter>`. */
  factory: string;
  /** Structured-clonable init data (SharedArrayBuffers inside are shared, not copied). */
  init: Init;
}

/** Loads the module of a spec and builds its writer. @throws ConfigError when the factory is missing */
export async function buildWriter(spec: WriterSpec): Promise<ExampleWriter> {
  const mod = (await import(spec.moduleUrl)) as Record<string, unknown>;
  const factory = mod[spec.factory];
  if (typeof factory !== 'function') {
    throw new ConfigError('WriterSpec.factory', `a function exported by ${spec.moduleUrl}`, spec.factory);
  }
  return (await (factory as (init: unknown) => ExampleWriter | Promise<ExampleWriter>)(spec.init));
}

/** Number of floats in one example of this shape. */
export function exampleSize(shape: ExampleShape): number {
  return shape[0] * shape[1] * shape[2];
}

/**
 * The generator of the example at `position` of a stream keyed `seedKey` (for training:
 * seed and epoch). Independent of which thread makes the example, so batches are bit-for-bit
 * the same with any number of workers.
 */
export function exampleRng(seedKey: string, position: number): Rng {
  return createRng(`${seedKey}#${position}`);
}

/** A slice of a batch to write: examples `firstPosition ...` of a stream. */
export interface WriteRequest {
  /** Item index of each example. */
  items: Int32Array;
  /** Class index of each example. */
  labels: Int32Array;
  /** Stream key of the examples' generators (see {@link exampleRng}). */
  seedKey: string;
  /** Stream position of the first example. */
  firstPosition: number;
  /** Apply random transforms (training) or not (evaluation). */
  augment: boolean;
}

/** Writes every example of `request` into `out`, starting at example slot `firstSlot`. */
export function writeExamples(writer: ExampleWriter, request: WriteRequest, out: Float32Array, firstSlot: number): void {
  const size = exampleSize(writer.exampleShape);
  for (let i = 0; i < request.items.length; i++) {
    const rng = exampleRng(request.seedKey, request.firstPosition + i);
    writer.write(request.items[i]!, request.labels[i]!, rng, request.augment, out, (firstSlot + i) * size);
  }
}

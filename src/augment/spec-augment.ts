/**
 * SpecAugment masks (Park et al., 2019) as a batch transform: random time and frequency bands of
 * each training example's spectrogram are set to a fill value. Applied after featurization, so it
 * wraps any {@link TrainingData} of spectrograms ({@link withSpecAugment}); evaluation batches pass
 * through untouched. Seeded: the masks of epoch `e`, batch `b` come from `rng.fork(e/b)`, so the
 * same seed gives the same batches bit for bit.
 */
import { ConfigError } from '../errors.ts';
import { createRng, type Rng } from '../data/rng.ts';
import type { Batch, TrainingData } from '../types.ts';

/** What masked values are set to: the example's mean (scale-free, the default) or zero. */
export type SpecAugmentFill = 'mean' | 'zero';

/** Options of the SpecAugment masks. Counts of 0 turn a mask kind off. */
export interface SpecAugmentOptions {
  /** Time masks per example. @default 2 */
  timeMasks?: number;
  /** Largest time-mask width, frames (each width uniform in [0, max]). @default 10 */
  maxTimeMaskFrames?: number;
  /** Frequency masks per example. @default 2 */
  freqMasks?: number;
  /** Largest frequency-mask width, bins (uniform in [0, max]). @default 6 */
  maxFreqMaskBins?: number;
  /** Fill value of masked cells. @default 'mean' */
  fill?: SpecAugmentFill;
}

/** Defaults of {@link SpecAugmentOptions}. */
export const DEFAULT_SPEC_AUGMENT: Readonly<Required<SpecAugmentOptions>> = Object.freeze({
  timeMasks: 2,
  maxTimeMaskFrames: 10,
  freqMasks: 2,
  maxFreqMaskBins: 6,
  fill: 'mean',
});

/** SpecAugment turned off. */
export const NO_SPEC_AUGMENT: Readonly<Required<SpecAugmentOptions>> = Object.freeze({
  timeMasks: 0,
  maxTimeMaskFrames: 0,
  freqMasks: 0,
  maxFreqMaskBins: 0,
  fill: 'mean',
});

/**
 * Fills defaults and validates.
 * @throws ConfigError naming the option, its range and the value
 */
export function resolveSpecAugment(options: SpecAugmentOptions = {}): Required<SpecAugmentOptions> {
  const {
    timeMasks = DEFAULT_SPEC_AUGMENT.timeMasks,
    maxTimeMaskFrames = DEFAULT_SPEC_AUGMENT.maxTimeMaskFrames,
    freqMasks = DEFAULT_SPEC_AUGMENT.freqMasks,
    maxFreqMaskBins = DEFAULT_SPEC_AUGMENT.maxFreqMaskBins,
    fill = DEFAULT_SPEC_AUGMENT.fill,
  } = options;
  for (const [name, v] of [['timeMasks', timeMasks], ['maxTimeMaskFrames', maxTimeMaskFrames], ['freqMasks', freqMasks], ['maxFreqMaskBins', maxFreqMaskBins]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 1000) throw new ConfigError(name, 'an integer in [0, 1000]', v);
  }
  if (fill !== 'mean' && fill !== 'zero') throw new ConfigError('fill', "'mean' or 'zero'", fill);
  return { timeMasks, maxTimeMaskFrames, freqMasks, maxFreqMaskBins, fill };
}

/** True when the options mask anything. */
export function specAugmentActive(o: Required<SpecAugmentOptions>): boolean {
  return (o.timeMasks > 0 && o.maxTimeMaskFrames > 0) || (o.freqMasks > 0 && o.maxFreqMaskBins > 0);
}

/**
 * Masks one example in place: `x[offset ...]` holds `frames * bins * channels` values, frames-major
 * (NHWC without the batch axis). Each mask's width is uniform in [0, max], its start uniform over
 * the positions where it fits.
 */
export function specAugmentInPlace(
  x: Float32Array, offset: number, shape: readonly [number, number, number], options: Required<SpecAugmentOptions>, rng: Rng,
): void {
  const [frames, bins, channels] = shape;
  const size = frames * bins * channels;
  let fillValue = 0;
  if (options.fill === 'mean') {
    let sum = 0;
    for (let i = 0; i < size; i++) sum += x[offset + i]!;
    fillValue = sum / size;
  }
  const rowSize = bins * channels;
  for (let m = 0; m < options.timeMasks; m++) {
    const width = Math.min(frames, rng.int(options.maxTimeMaskFrames + 1));
    const start = rng.int(frames - width + 1);
    x.fill(fillValue, offset + start * rowSize, offset + (start + width) * rowSize);
  }
  for (let m = 0; m < options.freqMasks; m++) {
    const width = Math.min(bins, rng.int(options.maxFreqMaskBins + 1));
    const start = rng.int(bins - width + 1);
    if (width === 0) continue;
    for (let t = 0; t < frames; t++) {
      const base = offset + t * rowSize + start * channels;
      x.fill(fillValue, base, base + width * channels);
    }
  }
}

/** Masks every example of a batch in place (see {@link specAugmentInPlace}). */
export function specAugmentBatch(batch: Batch, options: Required<SpecAugmentOptions>, rng: Rng): Batch {
  const [h, w, c] = batch.exampleShape;
  const size = h * w * c;
  for (let i = 0; i < batch.size; i++) specAugmentInPlace(batch.x, i * size, batch.exampleShape, options, rng);
  return batch;
}

/**
 * Wraps training data so every training batch gets SpecAugment masks (evaluation batches are
 * unchanged). Every other member is delegated to `data`.
 * @param seed seed of the masks (combine with the training seed)
 */
export function withSpecAugment<T extends TrainingData>(data: T, options: SpecAugmentOptions, seed: number | string): T {
  const resolved = resolveSpecAugment(options);
  if (!specAugmentActive(resolved)) return data;
  const root = createRng(`specaugment/${String(seed)}`);
  const trainBatches = (epoch: number, batchSize: number): AsyncIterable<Batch> => ({
    async *[Symbol.asyncIterator]() {
      let b = 0;
      for await (const batch of data.trainBatches(epoch, batchSize)) {
        yield specAugmentBatch(batch, resolved, root.fork(`${epoch}/${b++}`));
      }
    },
  });
  return new Proxy(data, {
    get(target, prop, receiver) {
      if (prop === 'trainBatches') return trainBatches;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * ImageTrainingData: the {@link TrainingData} of an image classifier. A seeded, stratified
 * train/validation split of the training images (and a held-out test split when the dataset
 * has no test files); augmented training batches through the shared Sampler (class balancing)
 * and Batcher (worker threads, prefetch); unaugmented, deterministic evaluation batches.
 * Pixels are scaled to [0, 1].
 *
 *   const data = await ImageTrainingData.create(train, test, { validationFraction: 0.1, seed: 1, augment });
 *   try { await train(model, data, ...) } finally { await data.close(); }
 */
import { Batcher, type BatcherOptions } from '../../batch/batcher.ts';
import { Sampler, type ClassBalance } from '../../batch/sampler.ts';
import { checkAugmentOptions, type ImageAugmentOptions } from '../../augment/image.ts';
import { ConfigError } from '../../errors.ts';
import type { Batch, ExampleShape, SplitName, TrainingData } from '../../types.ts';
import { createRng } from '../rng.ts';
import { concatImages, imageCount, type ImageSet } from './image-set.ts';
import { PIXEL_SCALE, type ImageWriterInit } from './image-writer.ts';

/** Options of {@link ImageTrainingData.create}. */
export interface ImageDataOptions {
  /** Fraction of the training images held out for validation (stratified, seeded). @default 0.1 */
  validationFraction?: number;
  /** Fraction held out as the test split when there is no separate test set. @default 0.1 */
  testFraction?: number;
  /** Seed of the split, the epoch plans and the augmentation. @default 0 */
  seed?: number;
  /**
   * Seed of the validation/test split alone, so models trained with different `seed`s (an
   * ensemble) hold out the same images. @default seed
   */
  splitSeed?: number;
  /** Augmentation of training examples. @default none */
  augment?: ImageAugmentOptions;
  /** Class balancing of training epochs. @default 'none' */
  balance?: ClassBalance;
  /** Batcher worker threads (0: inline). @default 1 */
  workers?: BatcherOptions['workers'];
  /** Batches produced ahead. @default 3 */
  prefetchBatches?: BatcherOptions['prefetchBatches'];
}

/** Defaults of {@link ImageDataOptions}. */
export const DEFAULT_IMAGE_DATA_OPTIONS = { validationFraction: 0.1, testFraction: 0.1, seed: 0, balance: 'none', workers: 1 } as const;

/** Input settings of an image model, saved in its metadata. */
export interface ImageInputSettings {
  kind: 'image';
  height: number;
  width: number;
  channels: number;
  /** Model input = scale * pixel byte. */
  scale: number;
  [key: string]: unknown;
}

/**
 * Splits item indices per class: `fractions[k]` of each class (rounded) to part k, the rest to
 * the last part. Seeded and stratified.
 */
export function stratifiedSplit(classes: Int32Array, numClasses: number, fractions: readonly number[], seed: string): Int32Array[] {
  const rng = createRng(seed);
  const parts: number[][] = Array.from({ length: fractions.length + 1 }, () => []);
  for (let c = 0; c < numClasses; c++) {
    const items: number[] = [];
    classes.forEach((k, i) => { if (k === c) items.push(i); });
    rng.shuffle(items);
    let start = 0;
    fractions.forEach((f, p) => {
      const n = Math.round(f * items.length);
      parts[p]!.push(...items.slice(start, start + n));
      start += n;
    });
    parts[fractions.length]!.push(...items.slice(start));
  }
  return parts.map((p) => Int32Array.from(p.sort((a, b) => a - b)));
}

/** Training data over images in memory. Call {@link close} when done (stops the workers). */
export class ImageTrainingData implements TrainingData {
  readonly labels: readonly string[];
  readonly exampleShape: ExampleShape;
  readonly skipped: readonly string[];
  /** Input settings to save with a model. */
  readonly input: ImageInputSettings;
  private readonly classes: Int32Array;
  private readonly splits: Record<SplitName, Int32Array>;
  private readonly sampler: Sampler;
  private readonly batcher: Batcher;
  private readonly seed: number;

  private constructor(args: { set: ImageSet; splits: Record<SplitName, Int32Array>; sampler: Sampler; batcher: Batcher; seed: number; skipped: string[] }) {
    this.labels = args.set.labels;
    this.exampleShape = [args.set.height, args.set.width, args.set.channels];
    this.classes = args.set.classes;
    this.splits = args.splits;
    this.sampler = args.sampler;
    this.batcher = args.batcher;
    this.seed = args.seed;
    this.skipped = args.skipped;
    this.input = { kind: 'image', height: args.set.height, width: args.set.width, channels: args.set.channels, scale: PIXEL_SCALE };
  }

  /**
   * Builds the splits, the sampler and the batcher.
   * @param train images to train and validate on
   * @param test separate test images (never used for choices); when absent, `testFraction` of
   *   `train` is held out instead
   * @throws ConfigError for bad fractions, sets of different sizes/labels, or a class without training images
   */
  static async create(train: ImageSet, test: ImageSet | undefined, options: ImageDataOptions = {}): Promise<ImageTrainingData> {
    const {
      validationFraction = DEFAULT_IMAGE_DATA_OPTIONS.validationFraction,
      testFraction = DEFAULT_IMAGE_DATA_OPTIONS.testFraction,
      seed = DEFAULT_IMAGE_DATA_OPTIONS.seed,
      splitSeed = seed,
      augment = {},
      balance = DEFAULT_IMAGE_DATA_OPTIONS.balance,
      workers = DEFAULT_IMAGE_DATA_OPTIONS.workers,
      prefetchBatches,
    } = options;
    if (!(validationFraction >= 0 && validationFraction < 1)) throw new ConfigError('validationFraction', 'a number in [0, 1)', validationFraction);
    if (!(testFraction >= 0 && testFraction < 1) || validationFraction + (test ? 0 : testFraction) >= 1) {
      throw new ConfigError('testFraction', `a number in [0, ${1 - validationFraction}) (validation + test < 1)`, testFraction);
    }
    checkAugmentOptions(augment);
    const all = test ? concatImages([train, test]) : train;
    const nTrain = imageCount(train);
    const numClasses = train.labels.length;
    const trainClasses = train.classes;
    const parts = stratifiedSplit(trainClasses, numClasses, test ? [validationFraction] : [validationFraction, testFraction], `${splitSeed}/split`);
    const splits: Record<SplitName, Int32Array> = test
      ? { validation: parts[0]!, training: parts[1]!, testing: Int32Array.from({ length: imageCount(test) }, (_, i) => nTrain + i) }
      : { validation: parts[0]!, testing: parts[1]!, training: parts[2]! };
    const perClass = new Int32Array(numClasses);
    for (const i of splits.training) perClass[all.classes[i]!]!++;
    const empty = train.labels.filter((_, c) => perClass[c] === 0);
    if (empty.length) {
      throw new ConfigError('training split', 'at least one image of every class (after the validation/test hold-out)', `none of ${empty.join(', ')}`);
    }
    const sampler = new Sampler({
      labels: Int32Array.from(splits.training, (i) => all.classes[i]!),
      numClasses,
      seed: `${seed}`,
      balance,
    });
    const shared = new SharedArrayBuffer(all.pixels.length);
    new Uint8Array(shared).set(all.pixels);
    const init: ImageWriterInit = { pixels: shared, exampleShape: [all.height, all.width, all.channels], augment, scale: PIXEL_SCALE };
    const batcher = await Batcher.create({ moduleUrl: new URL('./image-writer.ts', import.meta.url).href, factory: 'createImageWriter', init }, { workers, prefetchBatches });
    return new ImageTrainingData({ set: { ...all, pixels: new Uint8Array(0) }, splits, sampler, batcher, seed, skipped: [...train.skipped, ...(test?.skipped ?? [])] });
  }

  batchesPerEpoch(batchSize: number): number {
    return this.sampler.batchesPerEpoch(batchSize);
  }

  splitSize(split: SplitName): number {
    return split === 'training' ? this.sampler.epochSize : this.splits[split].length;
  }

  classWeights(): Float32Array | undefined {
    return this.sampler.classWeights();
  }

  trainBatches(epoch: number, batchSize: number): AsyncIterable<Batch> {
    const plan = this.sampler.epoch(epoch);
    const items = Int32Array.from(plan.items, (i) => this.splits.training[i]!);
    return this.batcher.batches({ items, labels: plan.labels, seedKey: `${this.seed}/epoch/${epoch}`, augment: true }, batchSize);
  }

  evalBatches(split: Exclude<SplitName, 'training'>, batchSize: number): AsyncIterable<Batch> {
    const items = this.splits[split];
    const labels = Int32Array.from(items, (i) => this.classes[i]!);
    return this.batcher.batches({ items, labels, seedKey: `${this.seed}/${split}`, augment: false }, batchSize);
  }

  /** Stops the batcher's worker threads. */
  async close(): Promise<void> {
    await this.batcher.close();
  }
}

/**
 * ArrayTrainingData: a {@link TrainingData} over examples already in memory (Float32 NHWC),
 * with a seeded shuffle per epoch and no augmentation. For small experiments and tests; image
 * and keyword datasets have their own implementations with augmentation.
 */
import { createRng } from '../data/rng.ts';
import { ConfigError } from '../errors.ts';
import type { Batch, ExampleShape, SplitName, TrainingData } from '../types.ts';

/** One split: `x` holds `y.length` examples of the example shape, NHWC. */
export interface ArraySplit {
  x: Float32Array;
  y: Int32Array;
}

/** Options of {@link ArrayTrainingData}. */
export interface ArrayTrainingDataOptions {
  labels: readonly string[];
  exampleShape: ExampleShape;
  training: ArraySplit;
  /** @default empty */
  validation?: ArraySplit;
  /** @default empty */
  testing?: ArraySplit;
  /** Seed of the per-epoch shuffle. @default 0 */
  seed?: number;
  /** Drop the last partial training batch. @default false */
  dropRemainder?: boolean;
  /** Per-class loss weights returned by `classWeights()`. @default none */
  classWeights?: Float32Array;
}

const EMPTY: ArraySplit = { x: new Float32Array(0), y: new Int32Array(0) };

/** In-memory training data with a seeded shuffle (same seed and epoch: same batches). */
export class ArrayTrainingData implements TrainingData {
  readonly labels: readonly string[];
  readonly exampleShape: ExampleShape;
  readonly skipped: readonly string[] = [];
  private readonly splits: Record<SplitName, ArraySplit>;
  private readonly seed: number;
  private readonly dropRemainder: boolean;
  private readonly weights: Float32Array | undefined;
  private readonly exampleSize: number;

  /** @throws ConfigError when a split's sizes do not match the example shape or labels are out of range */
  constructor(options: ArrayTrainingDataOptions) {
    this.labels = options.labels;
    this.exampleShape = options.exampleShape;
    this.exampleSize = options.exampleShape[0] * options.exampleShape[1] * options.exampleShape[2];
    this.splits = { training: options.training, validation: options.validation ?? EMPTY, testing: options.testing ?? EMPTY };
    for (const [name, split] of Object.entries(this.splits)) {
      if (split.x.length !== split.y.length * this.exampleSize) {
        throw new ConfigError(`${name}.x length`, `${split.y.length} x ${this.exampleSize} = ${split.y.length * this.exampleSize}`, split.x.length);
      }
      const bad = split.y.find((l) => !(l >= 0 && l < this.labels.length));
      if (bad !== undefined) throw new ConfigError(`${name}.y`, `labels in [0, ${this.labels.length})`, bad);
    }
    this.seed = options.seed ?? 0;
    this.dropRemainder = options.dropRemainder ?? false;
    this.weights = options.classWeights;
  }

  batchesPerEpoch(batchSize: number): number {
    const n = this.splits.training.y.length;
    return this.dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  }

  splitSize(split: SplitName): number {
    return this.splits[split].y.length;
  }

  classWeights(): Float32Array | undefined {
    return this.weights;
  }

  async *trainBatches(epoch: number, batchSize: number): AsyncIterable<Batch> {
    const n = this.splits.training.y.length;
    const order = createRng(`${this.seed}/epoch/${epoch}`).shuffle(Array.from({ length: n }, (_, i) => i));
    yield* this.batchesOf(this.splits.training, order, batchSize, this.dropRemainder);
  }

  async *evalBatches(split: Exclude<SplitName, 'training'>, batchSize: number): AsyncIterable<Batch> {
    const s = this.splits[split];
    yield* this.batchesOf(s, Array.from({ length: s.y.length }, (_, i) => i), batchSize, false);
  }

  private *batchesOf(split: ArraySplit, order: number[], batchSize: number, dropRemainder: boolean): Iterable<Batch> {
    const size = this.exampleSize;
    for (let start = 0; start < order.length; start += batchSize) {
      const count = Math.min(batchSize, order.length - start);
      if (dropRemainder && count < batchSize) break;
      const x = new Float32Array(count * size);
      const y = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const k = order[start + i]!;
        x.set(split.x.subarray(k * size, (k + 1) * size), i * size);
        y[i] = split.y[k]!;
      }
      yield { x, y, size: count, exampleShape: this.exampleShape };
    }
  }
}

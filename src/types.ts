/**
 * Shared data types: the contracts between the audio front-end, the batcher and the trainer.
 */

/** Mono audio: samples in [-1, 1] at a sample rate. */
export interface AudioClip {
  /** Mono samples, nominally in [-1, 1]. */
  samples: Float32Array;
  /** Sample rate in Hz. */
  sampleRateHz: number;
}

/** Shape of one example fed to a model: [height (frames or rows), width (bins or columns), channels]. */
export type ExampleShape = readonly [number, number, number];

/** A batch of examples, row-major, ready to become tensors. */
export interface Batch {
  /** `size * h * w * c` values, example-major, then rows, columns, channels (NHWC). */
  x: Float32Array;
  /** Class index per example (length `size`). */
  y: Int32Array;
  /** Number of examples in this batch (the last batch of an evaluation split may be smaller). */
  size: number;
  /** Shape of one example. */
  exampleShape: ExampleShape;
}

/** Names of the data splits. */
export type SplitName = 'training' | 'validation' | 'testing';

/**
 * A labelled dataset the trainer consumes (audio or images): seeded augmented training
 * batches and deterministic, unaugmented evaluation batches.
 */
export interface TrainingData {
  /** Class names in label-index order. */
  readonly labels: readonly string[];
  /** Shape of one example. */
  readonly exampleShape: ExampleShape;
  /** Number of training batches in one epoch at this batch size. */
  batchesPerEpoch(batchSize: number): number;
  /** The augmented training batches of epoch `epoch` (same seed and epoch: same batches). */
  trainBatches(epoch: number, batchSize: number): AsyncIterable<Batch>;
  /** Deterministic, unaugmented batches of an evaluation split (same every call). */
  evalBatches(split: Exclude<SplitName, 'training'>, batchSize: number): AsyncIterable<Batch>;
  /** Number of examples of a split. */
  splitSize(split: SplitName): number;
  /** Per-class loss weights when class balancing is `weights`, else undefined. */
  classWeights?(): Float32Array | undefined;
  /** Files skipped as unreadable while indexing or loading (reported at the end). */
  readonly skipped: readonly string[];
}

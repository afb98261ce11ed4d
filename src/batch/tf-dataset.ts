/**
 * Bridge from a {@link TrainingData} (audio or images) to `tf.data` and `model.fitDataset`:
 * batches become `{xs: [batch, h, w, c] float32, ys: [batch, classes] one-hot float32}`.
 *
 * @example
 * ```ts
 * const train = toTfDataset(data, { split: 'training', batchSize: 100 });
 * const val = toTfDataset(data, { split: 'validation', batchSize: 100 });
 * await model.fitDataset(train, { epochs: 10, validationData: val });
 * ```
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import type { Batch, SplitName, TrainingData } from '../types.ts';
import { checkBatchSize } from './sampler.ts';

/** Options of {@link toTfDataset}. */
export interface TfDatasetOptions {
  /** Which split to serve. */
  split: SplitName;
  /** Examples per batch. */
  batchSize: number;
  /**
   * Training only: epoch number of the first pass; every new iteration of the dataset (as
   * `fitDataset` does once per epoch) serves the next epoch. @default 0
   */
  firstEpoch?: number;
  /** Labels as one-hot float32 `[batch, classes]` (for categoricalCrossentropy) or int32 `[batch]`. @default true */
  oneHot?: boolean;
}

/** One batch as tensors. */
export interface TensorBatch extends tfTypes.TensorContainerObject {
  /** `[batch, h, w, c]` float32. */
  xs: tfTypes.Tensor4D;
  /** One-hot `[batch, classes]` float32, or `[batch]` int32 class indices. */
  ys: tfTypes.Tensor;
}

/** Turns one {@link Batch} into tensors (the caller owns and disposes them). */
export function batchToTensors(batch: Batch, numClasses: number, oneHot = true): TensorBatch {
  const tf = getTf();
  const [h, w, c] = batch.exampleShape;
  const xs = tf.tensor4d(batch.x, [batch.size, h, w, c], 'float32');
  const ys = oneHot
    ? tf.tidy(() => tf.oneHot(tf.tensor1d(batch.y, 'int32'), numClasses).toFloat())
    : tf.tensor1d(batch.y, 'int32');
  return { xs, ys };
}

/**
 * A `tf.data.Dataset` over a split of `data`. Each pass over a training dataset serves the
 * next epoch (`firstEpoch`, `firstEpoch + 1`, ...; counted when a pass starts reading);
 * evaluation datasets are the same each time.
 * @throws ConfigError for a bad batch size
 */
export function toTfDataset(data: TrainingData, options: TfDatasetOptions): tfTypes.data.Dataset<TensorBatch> {
  const { split, batchSize, firstEpoch = 0, oneHot = true } = options;
  checkBatchSize(batchSize);
  const tf = getTf();
  let epoch = firstEpoch;
  const numClasses = data.labels.length;
  return tf.data.generator(() => {
    // The epoch is taken when the pass starts pulling, so iterators that fitDataset creates
    // but never reads do not skip an epoch.
    let it: AsyncIterator<Batch> | undefined;
    return {
      async next(): Promise<IteratorResult<TensorBatch>> {
        it ??= (split === 'training' ? data.trainBatches(epoch++, batchSize) : data.evalBatches(split, batchSize))[Symbol.asyncIterator]();
        const r = await it.next();
        if (r.done) return { done: true, value: undefined };
        return { done: false, value: batchToTensors(r.value, numClasses, oneHot) };
      },
    } as AsyncIterator<TensorBatch>;
  });
}

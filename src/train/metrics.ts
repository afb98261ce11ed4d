/**
 * Evaluation metrics: confusion matrix, accuracy, mean cross-entropy over a split of a
 * {@link TrainingData}, computed batch by batch without leaking tensors.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import type { Batch, SplitName, TrainingData } from '../types.ts';

/** Result of an evaluation. */
export interface EvalResult {
  /** Fraction of examples whose arg-max class is the label. */
  accuracy: number;
  /** Mean cross-entropy (natural log) of the predicted probabilities. */
  loss: number;
  /** Number of examples. */
  count: number;
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
}

/** Default evaluation batch size. */
export const DEFAULT_EVAL_BATCH_SIZE = 256;

/** Probabilities are clipped to [EPSILON, 1] before the log (Keras' epsilon). */
export const PROBABILITY_EPSILON = 1e-7;

/** A square matrix of zeros. */
export function emptyConfusion(numClasses: number): number[][] {
  return Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
}

/** Accuracy from a confusion matrix (0 when empty). */
export function confusionAccuracy(confusion: number[][]): number {
  let correct = 0;
  let total = 0;
  confusion.forEach((row, i) => row.forEach((n, j) => {
    total += n;
    if (i === j) correct += n;
  }));
  return total === 0 ? 0 : correct / total;
}

/** A model-like predictor: NHWC batch -> probabilities [n, classes]. */
export type Predictor = (x: tfTypes.Tensor4D) => tfTypes.Tensor2D;

/** Adds one batch's predictions to `confusion`; returns the summed cross-entropy of the batch. */
export function accumulateBatch(predict: Predictor, batch: Batch, confusion: number[][]): number {
  const tf = getTf();
  const [h, w, c] = batch.exampleShape;
  const { predicted, ceSum } = tf.tidy(() => {
    const x = tf.tensor4d(batch.x.subarray(0, batch.size * h * w * c), [batch.size, h, w, c]);
    const probs = predict(x);
    const labels = tf.tensor1d(batch.y.subarray(0, batch.size), 'int32');
    const picked = tf.sum(tf.mul(probs, tf.oneHot(labels, probs.shape[1])), 1);
    const ce = tf.sum(tf.neg(tf.log(tf.clipByValue(picked, PROBABILITY_EPSILON, 1))));
    return { predicted: tf.argMax(probs, 1), ceSum: ce };
  });
  const p = predicted.dataSync();
  const sum = ceSum.dataSync()[0]!;
  predicted.dispose();
  ceSum.dispose();
  for (let i = 0; i < batch.size; i++) confusion[batch.y[i]!]![p[i]!]! += 1;
  return sum;
}

/**
 * Evaluates a predictor on the batches of a split.
 * @param numClasses size of the confusion matrix
 */
export async function evaluateBatches(predict: Predictor, batches: AsyncIterable<Batch>, numClasses: number): Promise<EvalResult> {
  const confusion = emptyConfusion(numClasses);
  let ceTotal = 0;
  let count = 0;
  for await (const batch of batches) {
    ceTotal += accumulateBatch(predict, batch, confusion);
    count += batch.size;
  }
  return { accuracy: confusionAccuracy(confusion), loss: count ? ceTotal / count : 0, count, confusion };
}

/** Evaluates `model` (inference mode) on split `split` of `data`. */
export async function evaluateModel(
  model: tfTypes.LayersModel,
  data: TrainingData,
  split: Exclude<SplitName, 'training'>,
  batchSize = DEFAULT_EVAL_BATCH_SIZE,
): Promise<EvalResult> {
  const predict: Predictor = (x) => model.predict(x) as tfTypes.Tensor2D;
  return evaluateBatches(predict, data.evalBatches(split, batchSize), data.labels.length);
}

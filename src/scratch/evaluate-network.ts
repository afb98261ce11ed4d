/**
 * Loss and accuracy of a from-scratch network over an evaluation split of a TrainingData.
 */
import type { SplitName, TrainingData } from '../types.ts';
import { ensureFloat, type FloatArray } from './float-array.ts';
import { oneHot } from './losses.ts';
import type { Network } from './network.ts';

/** Loss and accuracy over a split. */
export interface EvaluationResult {
  /** Mean data loss per example (no L1/L2 penalty, as Keras' evaluate on a model without regularisers). */
  loss: number;
  /** Fraction of examples whose highest output is the label. */
  accuracy: number;
  /** Examples evaluated. */
  examples: number;
}

/** Reusable buffers for feeding batches to a network. */
export interface FeedBuffers {
  x?: FloatArray;
  targets?: FloatArray;
}

/**
 * The batch's inputs and one-hot targets in the network's dtype: float32 inputs are used as
 * they are (NHWC flattened per example is already `[size, h·w·c]`), float64 ones are copied.
 */
export function feedBatch(network: Network, batch: { x: Float32Array; y: Int32Array; size: number }, buffers: FeedBuffers): { x: FloatArray; targets: FloatArray } {
  let x: FloatArray = batch.x;
  if (network.dtype === 'float64') {
    buffers.x = ensureFloat(buffers.x, 'float64', batch.x.length);
    buffers.x.set(batch.x);
    x = buffers.x;
  }
  buffers.targets = ensureFloat(buffers.targets, network.dtype, batch.size * network.outputSize);
  return { x, targets: oneHot(batch.y, network.outputSize, buffers.targets) };
}

/** Number of correct argmax predictions of `output` (`[size, classes]`) against `labels`. */
export function countCorrect(output: FloatArray, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const o = i * classes;
    let best = 0;
    for (let j = 1; j < classes; j++) if (output[o + j]! > output[o + best]!) best = j;
    if (best === labels[i]) correct++;
  }
  return correct;
}

/**
 * Evaluates `network` on a split (deterministic, unaugmented batches, dropout off).
 * @param batchSize examples per batch @default 1000
 */
export async function evaluateNetwork(
  network: Network, data: TrainingData, split: Exclude<SplitName, 'training'>, batchSize = 1000,
): Promise<EvaluationResult> {
  const buffers: FeedBuffers = {};
  let lossSum = 0;
  let correct = 0;
  let examples = 0;
  for await (const batch of data.evalBatches(split, batchSize)) {
    const { x, targets } = feedBatch(network, batch, buffers);
    const out = network.forward(x, batch.size, false);
    lossSum += network.dataLoss(out, targets, batch.size) * batch.size;
    correct += countCorrect(out, batch.y, network.outputSize);
    examples += batch.size;
  }
  return { loss: examples > 0 ? lossSum / examples : NaN, accuracy: examples > 0 ? correct / examples : NaN, examples };
}

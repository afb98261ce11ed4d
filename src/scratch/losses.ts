/**
 * Losses of the from-scratch network, averaged over the batch as Keras does: categorical
 * cross-entropy (on probabilities, or fused with softmax on logits for stability) and mean
 * squared error. Each returns the loss and, when given a buffer, writes its gradient.
 */
import { ConfigError } from '../errors.ts';
import type { FloatArray } from './float-array.ts';

/** Names of the losses. */
export const LOSS_NAMES = ['cross-entropy', 'mse'] as const;

/** A loss: `cross-entropy` (categorical, one-hot or soft targets) or `mse`. */
export type LossName = (typeof LOSS_NAMES)[number];

/** Probabilities are clipped to [ε, 1−ε] in the unfused cross-entropy (Keras' epsilon). */
export const CROSS_ENTROPY_EPSILON = 1e-7;

/** Shape of the loss inputs: `[batchSize, classes]` row-major. */
export interface LossShape {
  /** Examples in the batch (the divisor of the mean). */
  batchSize: number;
  /** Outputs per example. */
  classes: number;
}

/** Validates a loss name. @throws ConfigError listing the valid names */
export function checkLoss(param: string, name: unknown): LossName {
  if (typeof name !== 'string' || !(LOSS_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(param, `one of ${LOSS_NAMES.join(', ')}`, name);
  }
  return name as LossName;
}

/**
 * Cross-entropy of softmax(`logits`), computed stably with log-sum-exp:
 * `mean_i −Σ_j t_ij · log softmax(z_i)_j`; gradient w.r.t. the logits `(softmax(z) − t)/N`.
 * @param grad optional `[batchSize, classes]` output for the gradient w.r.t. `logits`
 */
export function softmaxCrossEntropy(logits: FloatArray, targets: FloatArray, shape: LossShape, grad?: FloatArray): number {
  const { batchSize, classes } = shape;
  let total = 0;
  const invN = 1 / batchSize;
  for (let o = 0; o < batchSize * classes; o += classes) {
    let max = -Infinity;
    for (let j = 0; j < classes; j++) if (logits[o + j]! > max) max = logits[o + j]!;
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(logits[o + j]! - max);
    const logSum = Math.log(sum) + max;
    let tSum = 0;
    for (let j = 0; j < classes; j++) {
      const t = targets[o + j]!;
      total -= t * (logits[o + j]! - logSum);
      tSum += t;
    }
    if (grad) {
      for (let j = 0; j < classes; j++) {
        grad[o + j] = (tSum * Math.exp(logits[o + j]! - logSum) - targets[o + j]!) * invN;
      }
    }
  }
  return total * invN;
}

/**
 * Cross-entropy of probabilities: `mean_i −Σ_j t_ij · log clip(p_ij)`, with p clipped to
 * [ε, 1−ε] (gradient 0 where clipped).
 * @param grad optional `[batchSize, classes]` output for the gradient w.r.t. `probs`
 */
export function crossEntropy(probs: FloatArray, targets: FloatArray, shape: LossShape, grad?: FloatArray): number {
  const { batchSize, classes } = shape;
  const n = batchSize * classes;
  const invN = 1 / batchSize;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const raw = probs[i]!;
    const clipped = raw < CROSS_ENTROPY_EPSILON || raw > 1 - CROSS_ENTROPY_EPSILON;
    const p = Math.min(Math.max(raw, CROSS_ENTROPY_EPSILON), 1 - CROSS_ENTROPY_EPSILON);
    const t = targets[i]!;
    total -= t * Math.log(p);
    if (grad) grad[i] = clipped ? 0 : (-t / p) * invN;
  }
  return total * invN;
}

/**
 * Mean squared error as Keras: `mean_i mean_j (y_ij − t_ij)²`; gradient `2(y − t)/(N·C)`.
 * @param grad optional `[batchSize, classes]` output for the gradient w.r.t. `output`
 */
export function meanSquaredError(output: FloatArray, targets: FloatArray, shape: LossShape, grad?: FloatArray): number {
  const { batchSize, classes } = shape;
  const n = batchSize * classes;
  const scale = 1 / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = output[i]! - targets[i]!;
    total += d * d;
    if (grad) grad[i] = 2 * d * scale;
  }
  return total * scale;
}

/**
 * One-hot targets `[labels.length, classes]` from class indices, written into `out`.
 * @throws ConfigError for a label outside [0, classes)
 */
export function oneHot(labels: Int32Array, classes: number, out: FloatArray): FloatArray {
  out.fill(0);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    if (!(k >= 0 && k < classes)) throw new ConfigError(`labels[${i}]`, `a class index in [0, ${classes})`, k);
    out[i * classes + k] = 1;
  }
  return out;
}

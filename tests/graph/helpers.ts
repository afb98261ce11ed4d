/** Shared helpers of the graph-mode tests: seeded data, an eager tfjs reference step, comparisons. */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../../src/backend.ts';
import { createRng } from '../../src/data/rng.ts';

/** Seeded batches: x uniform in [-1, 1), y uniform class indices. */
export function seededBatches(seed: number, count: number, batch: number, inputShape: number[], numClasses: number) {
  const rng = createRng(seed);
  const size = inputShape.reduce((a, d) => a * d, 1);
  return Array.from({ length: count }, () => {
    const x = new Float32Array(batch * size);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
    const y = new Int32Array(batch);
    for (let i = 0; i < batch; i++) y[i] = rng.int(numClasses);
    return { x, y };
  });
}

/** A second model with the same architecture and the same weights (via JSON + setWeights). */
export function twin(build: () => tfTypes.LayersModel, source: tfTypes.LayersModel): tfTypes.LayersModel {
  const m = build();
  m.setWeights(source.getWeights());
  return m;
}

/** Options of the eager reference step. */
export interface EagerLossOptions {
  labelSmoothing?: number;
  /** L2 on every kernel (added like the graph's l2 option). */
  l2?: number;
  l1?: number;
}

/**
 * One eager tfjs training step: mean categorical cross-entropy of the model's softmax output
 * (training mode), minimized by `optimizer` over the model's trainable weights. Returns the loss.
 */
export function eagerStep(model: tfTypes.LayersModel, optimizer: tfTypes.Optimizer, x: Float32Array, y: Int32Array,
  inputShape: number[], numClasses: number, options: EagerLossOptions = {}): number {
  const tf = getTf();
  const { labelSmoothing = 0, l2 = 0, l1 = 0 } = options;
  const n = y.length;
  return tf.tidy(() => {
    const xs = tf.tensor(x, [n, ...inputShape]);
    const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), numClasses).toFloat();
    const targets = labelSmoothing > 0 ? onehot.mul(1 - labelSmoothing).add(labelSmoothing / numClasses) : onehot;
    const vars = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
    const kernels = model.trainableWeights.filter((w) => /kernel/.test(w.name)).map((w) => w.read());
    const cost = optimizer.minimize(() => {
      const p = model.apply(xs, { training: true }) as tfTypes.Tensor;
      let loss = tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.log(p)), -1))) as tfTypes.Scalar;
      for (const k of kernels) {
        if (l2 > 0) loss = loss.add(tf.sum(tf.square(k)).mul(l2));
        if (l1 > 0) loss = loss.add(tf.sum(tf.abs(k)).mul(l1));
      }
      return loss;
    }, true, vars);
    return cost!.dataSync()[0]!;
  });
}

/** Largest |a - b| / (atol + |b|) style error: max over elements of |a-b| / (1 + |b|). */
export function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}

/** Max scaled difference over all weights of two models (same architecture). */
export function weightsDiff(a: tfTypes.LayersModel, b: tfTypes.LayersModel): number {
  const wa = a.getWeights();
  const wb = b.getWeights();
  let worst = 0;
  for (let i = 0; i < wa.length; i++) worst = Math.max(worst, maxScaledDiff(wa[i]!.dataSync(), wb[i]!.dataSync()));
  return worst;
}

/**
 * The tfjs twin of a from-scratch network: a `tf.sequential` model with the same topology,
 * activations, penalties and initial weights, trained by a plain tfjs loop (`trainOnBatch`)
 * on the same batches with the same SGD, so the two can be compared step for step.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf, type Tf } from '../backend.ts';
import { batchToTensors } from '../batch/tf-dataset.ts';
import { ConfigError } from '../errors.ts';
import type { ExampleShape, TrainingData } from '../types.ts';
import { ActivationLayer } from './activation-layer.ts';
import { IMPROVED_SIGMOID_AMPLITUDE, IMPROVED_SIGMOID_SLOPE } from './activations.ts';
import { DenseLayer } from './dense-layer.ts';
import { DropoutLayer } from './dropout-layer.ts';
import type { EvaluationResult } from './evaluate-network.ts';
import type { Network } from './network.ts';
import type { EpochMetrics } from '../train/trainer-types.ts';
import { epochMetrics, lrAtStep, type ResolvedScratchTrainOptions, type TrainHooks } from './train-scratch-network.ts';

/** Class name of the tfjs layer computing 1.7159·tanh(2x/3). */
export const IMPROVED_SIGMOID_LAYER_CLASS = 'KeyspotImprovedSigmoid';

let improvedSigmoidClass: (new () => tfTypes.layers.Layer) | undefined;

/** A tfjs layer computing the improved sigmoid (registered for serialisation on first use). */
function improvedSigmoidLayer(tf: Tf): tfTypes.layers.Layer {
  if (!improvedSigmoidClass) {
    class ImprovedSigmoid extends tf.layers.Layer {
      static className = IMPROVED_SIGMOID_LAYER_CLASS;
      constructor() {
        super({});
      }
      override call(inputs: tfTypes.Tensor | tfTypes.Tensor[]): tfTypes.Tensor {
        return tf.tidy(() => {
          const x = Array.isArray(inputs) ? inputs[0]! : inputs;
          return tf.mul(tf.tanh(tf.mul(x, IMPROVED_SIGMOID_SLOPE)), IMPROVED_SIGMOID_AMPLITUDE);
        });
      }
      override computeOutputShape(shape: tfTypes.Shape | tfTypes.Shape[]): tfTypes.Shape | tfTypes.Shape[] {
        return shape;
      }
    }
    tf.serialization.registerClass(ImprovedSigmoid);
    improvedSigmoidClass = ImprovedSigmoid;
  }
  return new improvedSigmoidClass();
}

/**
 * Builds the tfjs model of `network`: flatten (from `exampleShape`), then per scratch layer a
 * dense layer (with the following activation fused in), a dropout layer or an activation layer,
 * with the network's L1/L2 as kernel regularisers. Weights are set from `weights` (the
 * {@link Network.getWeights} order, which is Keras' kernel-then-bias order) or from the network.
 * @throws ConfigError when the example shape does not match the network input
 */
export function buildTfjsTwin(network: Network, exampleShape: ExampleShape, weights?: readonly ArrayLike<number>[]): tfTypes.Sequential {
  const tf = getTf();
  const [h, w, c] = exampleShape;
  if (h * w * c !== network.inputSize) throw new ConfigError('exampleShape', `${network.inputSize} values (the network input)`, exampleShape);
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [h, w, c] }));
  const regulariser = network.l1 > 0 || network.l2 > 0 ? tf.regularizers.l1l2({ l1: network.l1, l2: network.l2 }) : undefined;
  const layers = network.layers;
  let dropoutSeed = 1;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    if (layer instanceof DenseLayer) {
      const next = layers[i + 1];
      let activation: 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'softmax' = 'linear';
      if (next instanceof ActivationLayer && next.activation !== 'improved-sigmoid') {
        activation = next.activation;
        i++;
      }
      model.add(tf.layers.dense({ units: layer.outputSize, activation, kernelRegularizer: regulariser, name: layer.name }));
    } else if (layer instanceof ActivationLayer) {
      model.add(layer.activation === 'improved-sigmoid' ? improvedSigmoidLayer(tf) : tf.layers.activation({ activation: layer.activation }));
    } else if (layer instanceof DropoutLayer) {
      model.add(tf.layers.dropout({ rate: layer.rate, seed: dropoutSeed++ }));
    } else {
      throw new ConfigError('network.layers', 'dense, activation or dropout layers', layer.kind);
    }
  }
  const values = weights ?? network.getWeights();
  const shapes = network.params().map((p) => p.shape as number[]);
  const tensors = values.map((v, k) => tf.tensor(Float32Array.from(v), shapes[k]));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/** Result of {@link trainTfjsTwin}. */
export interface TfjsTwinResult {
  /** The trained model (the caller disposes it). */
  model: tfTypes.Sequential;
  /** Metrics per epoch (same fields as the scratch network's). */
  history: EpochMetrics[];
  /** Test-split result, or null without a test split. */
  test: EvaluationResult | null;
}

/** The tfjs optimiser equal to {@link SgdOptimizer} with these options (momentum form `v ← μv + g`). */
export function createTwinOptimizer(options: Pick<ResolvedScratchTrainOptions, 'learningRate' | 'momentum'>): tfTypes.SGDOptimizer {
  const tf = getTf();
  return options.momentum > 0 ? tf.train.momentum(options.learningRate, options.momentum) : tf.train.sgd(options.learningRate);
}

/**
 * Disposes a twin optimiser completely: tfjs 4.22's `MomentumOptimizer.dispose()` forgets the
 * learning-rate scalar kept by its SGD base class, so that one is disposed here too.
 */
export function disposeTwinOptimizer(optimizer: tfTypes.SGDOptimizer): void {
  const tf = getTf();
  optimizer.dispose();
  if (optimizer instanceof tf.MomentumOptimizer) tf.SGDOptimizer.prototype.dispose.call(optimizer);
}

/** Compiles `model` with the twin optimiser and the network's loss (plus an accuracy metric). */
export function compileTwin(model: tfTypes.Sequential, network: Network, options: Pick<ResolvedScratchTrainOptions, 'learningRate' | 'momentum'>): tfTypes.SGDOptimizer {
  const optimizer = createTwinOptimizer(options);
  model.compile({ optimizer, loss: network.loss === 'mse' ? 'meanSquaredError' : 'categoricalCrossentropy', metrics: ['accuracy'] });
  return optimizer;
}

/**
 * Mean data loss (no penalty) and accuracy of `model` on a split.
 */
export async function evaluateTwin(
  model: tfTypes.LayersModel, data: TrainingData, split: 'validation' | 'testing', lossName: Network['loss'], batchSize: number,
): Promise<EvaluationResult> {
  const tf = getTf();
  let lossSum = 0;
  let correct = 0;
  let examples = 0;
  for await (const batch of data.evalBatches(split, batchSize)) {
    const [l, c] = tf.tidy(() => {
      const { xs, ys } = batchToTensors(batch, data.labels.length);
      const p = model.predict(xs) as tfTypes.Tensor2D;
      const loss = lossName === 'mse' ? tf.metrics.meanSquaredError(ys, p) : tf.metrics.categoricalCrossentropy(ys, p);
      const hit = tf.equal(tf.argMax(p, 1), tf.argMax(ys, 1));
      return [loss.sum().dataSync()[0]!, hit.sum().dataSync()[0]!];
    });
    lossSum += l;
    correct += c;
    examples += batch.size;
  }
  return { loss: examples > 0 ? lossSum / examples : NaN, accuracy: examples > 0 ? correct / examples : NaN, examples };
}

/**
 * Trains the twin of `network` from `initialWeights` on `data` with the same options
 * (batches, SGD, momentum, inverse-time decay) as {@link trainScratchNetwork}.
 */
export async function trainTfjsTwin(
  network: Network, initialWeights: readonly ArrayLike<number>[], data: TrainingData,
  options: ResolvedScratchTrainOptions, hooks: TrainHooks = {},
): Promise<TfjsTwinResult> {
  const tf = getTf();
  const model = buildTfjsTwin(network, data.exampleShape, initialWeights);
  const optimizer = compileTwin(model, network, options);
  const batchesPerEpoch = data.batchesPerEpoch(options.batchSize);
  const hasValidation = data.splitSize('validation') > 0;
  const history: EpochMetrics[] = [];
  let step = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      hooks.onEpochStart?.(epoch + 1, batchesPerEpoch);
      const started = performance.now();
      let lossSum = 0;
      let correct = 0;
      let examples = 0;
      let batchNo = 0;
      for await (const batch of data.trainBatches(epoch, options.batchSize)) {
        if (options.lrDecay > 0) optimizer.setLearningRate(lrAtStep(options, step));
        const { xs, ys } = batchToTensors(batch, data.labels.length);
        const [loss, acc] = (await model.trainOnBatch(xs, ys)) as number[];
        tf.dispose([xs, ys]);
        step += 1;
        lossSum += loss! * batch.size;
        correct += acc! * batch.size;
        examples += batch.size;
        batchNo += 1;
        hooks.onBatch?.({ epoch: epoch + 1, batch: batchNo, batchesPerEpoch, loss: loss!, meanLoss: lossSum / examples, meanAccuracy: correct / examples });
      }
      const trainSec = (performance.now() - started) / 1000;
      const val = hasValidation ? await evaluateTwin(model, data, 'validation', network.loss, options.evalBatchSize) : null;
      const metrics = epochMetrics({
        epoch: epoch + 1, step, loss: lossSum / examples, accuracy: correct / examples, val,
        learningRate: lrAtStep(options, step - 1), durationSec: (performance.now() - started) / 1000, examplesPerSec: examples / trainSec,
      });
      history.push(metrics);
      await hooks.onEpoch?.(metrics);
    }
    const test = data.splitSize('testing') > 0 ? await evaluateTwin(model, data, 'testing', network.loss, options.evalBatchSize) : null;
    return { model, history, test };
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    disposeTwinOptimizer(optimizer);
  }
}

/**
 * Trains a from-scratch MLP on any {@link TrainingData} (the same seeded batches the tfjs
 * trainer gets): mini-batch SGD with momentum and decay, per-epoch loss and accuracy on the
 * training batches and the validation split, and a final test-split evaluation.
 */
import { ConfigError } from '../errors.ts';
import { createRng } from '../data/rng.ts';
import type { TrainingData } from '../types.ts';
import type { ActivationName } from './activations.ts';
import { buildMlp } from './build-mlp.ts';
import { countCorrect, evaluateNetwork, feedBatch, type EvaluationResult, type FeedBuffers } from './evaluate-network.ts';
import type { FloatDType } from './float-array.ts';
import type { InitialiserName } from './initialisers.ts';
import type { LossName } from './losses.ts';
import type { Network } from './network.ts';
import type { EpochMetrics } from '../train/trainer-types.ts';
import { SgdOptimizer } from './sgd-optimizer.ts';

/** Options of {@link trainScratchNetwork} (the network, the optimiser and the loop). */
export interface ScratchTrainOptions {
  /** Hidden layer sizes, input side first. @default [100, 50] */
  hiddenUnits?: readonly number[];
  /** Activation per hidden layer (one name: all). @default ['sigmoid', 'relu'] */
  activations?: readonly ActivationName[];
  /** Output activation. @default 'softmax' */
  outputActivation?: ActivationName;
  /** Loss. @default 'cross-entropy' */
  loss?: LossName;
  /** Epochs. @default 20 */
  epochs?: number;
  /** Examples per training batch. @default 100 */
  batchSize?: number;
  /** Initial learning rate. @default 0.05 */
  learningRate?: number;
  /** SGD momentum (0 = plain SGD). @default 0 */
  momentum?: number;
  /** Inverse-time learning-rate decay per step. @default 0 */
  lrDecay?: number;
  /** L1 penalty on kernels. @default 0 */
  l1?: number;
  /** L2 penalty on kernels. @default 0 */
  l2?: number;
  /** Dropout rate after each hidden layer. @default 0 */
  dropout?: number;
  /** Kernel initialiser. @default 'xavier' */
  init?: InitialiserName;
  /** Buffer dtype. @default 'float32' */
  dtype?: FloatDType;
  /** Seed of the initial weights and dropout masks (the batches' seed belongs to the data). @default 1 */
  seed?: number | string;
  /** Examples per evaluation batch. @default 1000 */
  evalBatchSize?: number;
}

/** Defaults of {@link ScratchTrainOptions} (the course's 784-100-50-10 recipe). */
export const DEFAULT_SCRATCH_TRAIN_OPTIONS = {
  hiddenUnits: [100, 50],
  activations: ['sigmoid', 'relu'],
  outputActivation: 'softmax',
  loss: 'cross-entropy',
  epochs: 20,
  batchSize: 100,
  learningRate: 0.05,
  momentum: 0,
  lrDecay: 0,
  l1: 0,
  l2: 0,
  dropout: 0,
  init: 'xavier',
  dtype: 'float32',
  seed: 1,
  evalBatchSize: 1000,
} as const satisfies Required<ScratchTrainOptions>;

/** Resolved options (every field set). */
export type ResolvedScratchTrainOptions = { -readonly [K in keyof ScratchTrainOptions]-?: NonNullable<ScratchTrainOptions[K]> };

/** Progress of one batch. */
export interface BatchProgress {
  /** Epoch number, 1-based. */
  epoch: number;
  /** Batch number in the epoch, 1-based. */
  batch: number;
  /** Batches in the epoch. */
  batchesPerEpoch: number;
  /** Loss of this batch. */
  loss: number;
  /** Mean loss over the epoch's batches so far. */
  meanLoss: number;
  /** Accuracy over the epoch's batches so far. */
  meanAccuracy: number;
}

/** Callbacks during training. */
export interface TrainHooks {
  /** Before each epoch (`epoch` 1-based). */
  onEpochStart?(epoch: number, batchesPerEpoch: number): void;
  /** After each training batch. */
  onBatch?(progress: BatchProgress): void;
  /** After each epoch (awaited). */
  onEpoch?(metrics: EpochMetrics): void | Promise<void>;
}

/** Result of {@link trainScratchNetwork}. */
export interface ScratchTrainResult {
  /** The trained network. */
  network: Network;
  /** The weights before training (for a twin with the same start). */
  initialWeights: Float64Array[];
  /** Metrics per epoch. */
  history: EpochMetrics[];
  /** Test-split result after training, or null when the data has no test split. */
  test: EvaluationResult | null;
  /** The options used. */
  options: ResolvedScratchTrainOptions;
}

/** The learning rate of step `step` (0-based) under inverse-time decay. */
export function lrAtStep(options: Pick<ResolvedScratchTrainOptions, 'learningRate' | 'lrDecay'>, step: number): number {
  return options.learningRate / (1 + options.lrDecay * Math.max(0, step));
}

/** Builds one epoch's metrics (the trainer's `metrics.jsonl` record; no val fields without validation). */
export function epochMetrics(m: Omit<EpochMetrics, 'valLoss' | 'valAccuracy'> & { val: EvaluationResult | null }): EpochMetrics {
  const { val, ...rest } = m;
  return val ? { ...rest, valLoss: val.loss, valAccuracy: val.accuracy } : rest;
}

/** Fills in defaults and validates. @throws ConfigError naming the bad option */
export function resolveScratchTrainOptions(options: ScratchTrainOptions = {}): ResolvedScratchTrainOptions {
  const r = { ...DEFAULT_SCRATCH_TRAIN_OPTIONS, ...stripUndefined(options) } as ResolvedScratchTrainOptions;
  if (!Number.isInteger(r.epochs) || r.epochs < 1) throw new ConfigError('epochs', 'an integer >= 1', r.epochs);
  if (!Number.isInteger(r.batchSize) || r.batchSize < 1) throw new ConfigError('batchSize', 'an integer >= 1', r.batchSize);
  if (!Number.isInteger(r.evalBatchSize) || r.evalBatchSize < 1) throw new ConfigError('evalBatchSize', 'an integer >= 1', r.evalBatchSize);
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Builds the MLP for `data` (input = one flattened example, output = one unit per label) with
 * weights drawn from `createRng(seed)`.
 */
export function buildScratchNetwork(data: Pick<TrainingData, 'exampleShape' | 'labels'>, options: ResolvedScratchTrainOptions): Network {
  const [h, w, c] = data.exampleShape;
  return buildMlp({
    inputSize: h * w * c,
    hiddenUnits: options.hiddenUnits,
    activations: options.activations,
    outputUnits: data.labels.length,
    outputActivation: options.outputActivation,
    loss: options.loss,
    dropout: options.dropout,
    init: options.init,
    dtype: options.dtype,
    l1: options.l1,
    l2: options.l2,
  }, createRng(options.seed));
}

/**
 * Trains a new from-scratch network on `data`.
 * @throws ConfigError for bad options or an empty training split
 */
export async function trainScratchNetwork(data: TrainingData, options: ScratchTrainOptions = {}, hooks: TrainHooks = {}): Promise<ScratchTrainResult> {
  const opts = resolveScratchTrainOptions(options);
  const network = buildScratchNetwork(data, opts);
  const initialWeights = network.getWeights();
  const optimizer = new SgdOptimizer(network.params(), { learningRate: opts.learningRate, momentum: opts.momentum, lrDecay: opts.lrDecay });
  const batchesPerEpoch = data.batchesPerEpoch(opts.batchSize);
  if (batchesPerEpoch < 1) throw new ConfigError('data', 'a training split with at least one example', data.splitSize('training'));
  const hasValidation = data.splitSize('validation') > 0;
  const buffers: FeedBuffers = {};
  const history: EpochMetrics[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    hooks.onEpochStart?.(epoch + 1, batchesPerEpoch);
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    let examples = 0;
    let batchNo = 0;
    for await (const batch of data.trainBatches(epoch, opts.batchSize)) {
      const { x, targets } = feedBatch(network, batch, buffers);
      const loss = network.lossAndGradients(x, targets, batch.size, true);
      // The output buffer still holds this batch's predictions (before the update).
      correct += countCorrect(network.lastOutput()!, batch.y, network.outputSize);
      optimizer.step();
      lossSum += loss * batch.size;
      examples += batch.size;
      batchNo += 1;
      hooks.onBatch?.({ epoch: epoch + 1, batch: batchNo, batchesPerEpoch, loss, meanLoss: lossSum / examples, meanAccuracy: correct / examples });
    }
    const trainSec = (performance.now() - started) / 1000;
    const val = hasValidation ? await evaluateNetwork(network, data, 'validation', opts.evalBatchSize) : null;
    const metrics = epochMetrics({
      epoch: epoch + 1, step: optimizer.iterations, loss: lossSum / examples, accuracy: correct / examples, val,
      learningRate: lrAtStep(opts, optimizer.iterations - 1), durationSec: (performance.now() - started) / 1000, examplesPerSec: examples / trainSec,
    });
    history.push(metrics);
    await hooks.onEpoch?.(metrics);
  }
  const test = data.splitSize('testing') > 0 ? await evaluateNetwork(network, data, 'testing', opts.evalBatchSize) : null;
  return { network, initialWeights, history, test, options: opts };
}

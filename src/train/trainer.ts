/**
 * The trainer: one training loop for keyword and image models, over the {@link TrainingData}
 * interface. Our own loop (not `model.fit`, whose shuffling uses Math.random): per step the
 * learning-rate schedule is applied, dropout layers get seeds from the trainer's RNG, and the
 * optimizer minimises the (class-weighted) softmax cross-entropy on the logits plus the L1/L2
 * penalties. After every epoch: validation, early stopping (keeping the best weights), an atomic
 * checkpoint (weights, optimizer state, RNG state, metrics) and `metrics.jsonl`. `resume`
 * continues from the latest checkpoint and gives the same weights as an uninterrupted run; it
 * refuses a checkpoint written with other `checkpointSettings` or by the other engine.
 *
 *   train(model: LayersModel, data: TrainingData, options?: TrainOptions): Promise<TrainResult>
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { createRng } from '../data/rng.ts';
import { ConfigError } from '../errors.ts';
import { writeFileAtomic } from '../export/atomic-write.ts';
import { DEFAULT_TRAINING_ENGINE, selectTrainingEngine } from '../graph/engine.ts';
import type { Batch, TrainingData } from '../types.ts';
import { CheckpointMismatchError, loadLatestCheckpoint, saveCheckpoint, settingsDifferences, type NamedTensors } from './checkpoint.ts';
import { logitsTensor, runModel } from './forward.ts';
import { evaluateModel, DEFAULT_EVAL_BATCH_SIZE, PROBABILITY_EPSILON } from './metrics.ts';
import { createOptimizer, defaultLearningRate, extraOptimizerState, restoreExtraOptimizerState, setLearningRate } from './optimizers.ts';
import { createProgress, type TrainProgress } from './progress.ts';
import { checkSchedule, DEFAULT_SCHEDULE, learningRateAt } from './schedule.ts';
import type { EarlyStoppingOptions, EpochMetrics, TrainOptions, TrainResult } from './trainer-types.ts';

export type { EarlyStoppingOptions, EpochMetrics, TrainOptions, TrainResult } from './trainer-types.ts';

/** Defaults of {@link TrainOptions}. */
export const DEFAULT_TRAIN_OPTIONS = { epochs: 10, batchSize: 64, seed: 0, classWeights: 'data', evalBatchSize: DEFAULT_EVAL_BATCH_SIZE } as const;

/** Defaults of {@link EarlyStoppingOptions}. */
export const DEFAULT_EARLY_STOPPING: Required<EarlyStoppingOptions> = { monitor: 'valLoss', patience: 5, minDelta: 0, restoreBestWeights: true, startFromEpoch: 1 };

type DropoutLayer = tfTypes.layers.Layer & { seed?: number };

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new ConfigError(name, `an integer >= ${min}`, value);
}

/** Resolves and validates the per-class loss weights. */
function resolveClassWeights(option: TrainOptions['classWeights'], data: TrainingData): Float32Array | undefined {
  const n = data.labels.length;
  const mode = option ?? DEFAULT_TRAIN_OPTIONS.classWeights;
  if (mode === 'none') return undefined;
  const weights = mode === 'data' ? data.classWeights?.() : Float32Array.from(mode);
  if (!weights) return undefined;
  if (weights.length !== n || !weights.every((w) => Number.isFinite(w) && w > 0)) {
    throw new ConfigError('classWeights', `${n} numbers > 0 (one per class)`, Array.from(weights));
  }
  return weights;
}

function snapshot(tf: ReturnType<typeof getTf>, model: tfTypes.LayersModel): tfTypes.Tensor[] {
  return model.getWeights().map((w) => tf.keep(w.clone()));
}

function named(tensors: readonly tfTypes.Tensor[]): NamedTensors {
  return tensors.map((tensor, i) => ({ name: String(i), tensor }));
}

/**
 * Trains `model` on `data`.
 * @param model a model whose input is `data.exampleShape` and output has one unit per label; if it
 *   ends in a softmax layer the loss is computed from its input logits (numerically stable)
 * @param data training, validation (optional) and test batches
 * @param options epochs, batch size, optimizer, schedule, class weights, early stopping, checkpoints
 * @returns the metrics history and what happened (early stop, resume)
 * @throws ConfigError for bad options or a model that does not fit the data
 */
export async function train(model: tfTypes.LayersModel, data: TrainingData, options: TrainOptions = {}): Promise<TrainResult> {
  const tf = getTf();
  const started = Date.now();
  const {
    epochs = DEFAULT_TRAIN_OPTIONS.epochs,
    batchSize = DEFAULT_TRAIN_OPTIONS.batchSize,
    seed = DEFAULT_TRAIN_OPTIONS.seed,
    evalBatchSize = DEFAULT_TRAIN_OPTIONS.evalBatchSize,
    schedule = DEFAULT_SCHEDULE,
    maxSteps,
    labelSmoothing = 0,
    checkpointDir,
    checkpointSettings,
    resume = false,
    metricsFile,
    onEpochEnd,
  } = options;
  checkInteger('epochs', epochs, 1);
  checkInteger('batchSize', batchSize, 1);
  checkInteger('evalBatchSize', evalBatchSize, 1);
  if (maxSteps !== undefined) checkInteger('maxSteps', maxSteps, 1);
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing < 1)) throw new ConfigError('labelSmoothing', 'a number in [0, 1)', labelSmoothing);
  if (resume && !checkpointDir) throw new ConfigError('resume', 'used with checkpointDir', resume);
  checkSchedule(schedule);
  const numClasses = data.labels.length;
  const units = model.outputs[0]!.shape.at(-1);
  if (units !== numClasses) throw new ConfigError('model output units', `${numClasses} (one per label)`, units);
  const inShape = model.inputs[0]!.shape.slice(1);
  if (inShape.length !== 3 || inShape.some((d, i) => d !== null && d !== data.exampleShape[i])) {
    throw new ConfigError('model input shape', `[batch, ${data.exampleShape.join(', ')}] (the data's example shape)`, model.inputs[0]!.shape);
  }
  const early = options.earlyStopping ? { ...DEFAULT_EARLY_STOPPING, ...options.earlyStopping } : undefined;
  const hasValidation = data.splitSize('validation') > 0;
  if (early) checkInteger('earlyStopping.startFromEpoch', early.startFromEpoch, 1);
  if (early && !hasValidation) throw new ConfigError('earlyStopping', 'used with a validation split of at least one example', data.splitSize('validation'));
  const classWeights = resolveClassWeights(options.classWeights, data);
  const optimizerConfig = options.optimizer ?? {};
  const optimizer = createOptimizer(optimizerConfig);
  const baseRate = optimizerConfig.learningRate ?? defaultLearningRate(optimizerConfig.name ?? 'adam');
  const stepsPerEpoch = data.batchesPerEpoch(batchSize);
  if (stepsPerEpoch < 1) throw new ConfigError('training split', 'at least one batch', data.splitSize('training'));
  const progress: TrainProgress = typeof options.progress === 'object' ? options.progress : createProgress(options.progress ?? 'none');

  const logits = logitsTensor(model);
  const dropoutLayers = model.layers.filter((l) => l.getClassName() === 'Dropout') as DropoutLayer[];
  const varList = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const weightsTensor = classWeights ? tf.keep(tf.tensor1d(classWeights)) : undefined;

  let rng = createRng(`${seed}/trainer`);
  let startEpoch = 0;
  let step = 0;
  let history: EpochMetrics[] = [];
  let bestValue: number | null = null;
  let bestEpoch = 0;
  let wait = 0;
  let bestWeights: tfTypes.Tensor[] | null = null;
  let resumedEngine: 'graph' | 'eager' | undefined;

  let graphOptimizerState: { name: string; shape: number[]; data: Float32Array }[] | undefined;
  if (resume && checkpointDir) {
    const ckpt = await loadLatestCheckpoint(checkpointDir);
    if (ckpt) {
      const s = ckpt.state as typeof ckpt.state & {
        rngState: ReturnType<typeof rng.state>; history: EpochMetrics[]; bestValue: number | null; bestEpoch: number; wait: number;
        optimizerExtra: Record<string, number>; optimizerName: string; seed: number; engine?: 'graph' | 'eager'; settings?: unknown;
      };
      if (checkpointSettings !== undefined) {
        const differences = s.settings === undefined ? ['settings: not recorded in the checkpoint'] : settingsDifferences(s.settings, checkpointSettings);
        if (differences.length > 0) {
          for (const list of Object.values(ckpt.tensors)) for (const w of list) w.tensor.dispose();
          weightsTensor?.dispose();
          optimizer.dispose();
          throw new CheckpointMismatchError(ckpt.path, differences);
        }
      }
      const weights = ckpt.tensors.model ?? [];
      if (weights.length !== model.weights.length) {
        throw new ConfigError(`checkpoint ${ckpt.path}`, `${model.weights.length} weight tensors (same architecture)`, weights.length);
      }
      if (s.optimizerName !== (optimizerConfig.name ?? 'adam')) throw new ConfigError(`optimizer (checkpoint ${ckpt.path})`, `"${s.optimizerName}" as when it was written`, optimizerConfig.name ?? 'adam');
      model.setWeights(weights.map((w) => w.tensor));
      if (s.engine === 'graph') {
        graphOptimizerState = (ckpt.tensors.optimizer ?? []).map((w) => ({ name: w.name, shape: w.tensor.shape, data: w.tensor.dataSync() as Float32Array }));
      } else {
        await optimizer.setWeights(ckpt.tensors.optimizer ?? []);
        restoreExtraOptimizerState(optimizer, s.optimizerExtra ?? {});
      }
      bestWeights = ckpt.tensors.best ? ckpt.tensors.best.map((w) => tf.keep(w.tensor)) : null;
      for (const [group, list] of Object.entries(ckpt.tensors)) {
        if (group !== 'best') for (const w of list) w.tensor.dispose();
      }
      rng = createRng(`${seed}/trainer`, s.rngState);
      startEpoch = s.epoch;
      step = s.step;
      history = s.history;
      bestValue = s.bestValue;
      bestEpoch = s.bestEpoch;
      wait = s.wait;
      resumedEngine = s.engine ?? 'eager';
      progress.note(`resumed from ${ckpt.path} (epoch ${startEpoch}, step ${step})`);
    }
  }

  // Graph mode (src/graph): the whole step as one TensorFlow graph; weights move back into
  // `model` after every epoch (validation, checkpoints, best weights, export stay tfjs).
  const engineChoice = selectTrainingEngine(model, options.engine ?? DEFAULT_TRAINING_ENGINE,
    { optimizer, classWeights: classWeights ? Array.from(classWeights) : undefined, seed, labelSmoothing });
  const graph = engineChoice.engine === 'graph' ? engineChoice.trainer : undefined;
  if (resumedEngine !== undefined && resumedEngine !== engineChoice.engine) {
    // The optimizer state of one engine does not carry over exactly to the other.
    graph?.dispose();
    weightsTensor?.dispose();
    optimizer.dispose();
    for (const t of bestWeights ?? []) t.dispose();
    throw new ConfigError(`engine (checkpoint in ${checkpointDir})`, `"${resumedEngine}" as when the checkpoint was written`, engineChoice.engine);
  }
  if (graph && graphOptimizerState) graph.setOptimizerState(graphOptimizerState);
  else if (graph && step > 0) graph.setStep(step);

  const trainStep = (batch: Batch, learningRate: number): { loss: number; correct: number } => {
    setLearningRate(optimizer, learningRate);
    for (const layer of dropoutLayers) layer.seed = rng.int(2 ** 31 - 1);
    const [h, w, c] = batch.exampleShape;
    if (graph) return graph.stepWithMetrics(batch.x.subarray(0, batch.size * h * w * c), batch.y.subarray(0, batch.size), learningRate);
    let correct: tfTypes.Tensor | undefined;
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(batch.x.subarray(0, batch.size * h * w * c), [batch.size, h, w, c]);
      const y = tf.tensor1d(batch.y.subarray(0, batch.size), 'int32');
      const hard = tf.oneHot(y, numClasses).toFloat();
      const oneHot = labelSmoothing > 0 ? tf.add(tf.mul(hard, 1 - labelSmoothing), labelSmoothing / numClasses) : hard;
      const sampleWeights = weightsTensor ? tf.gather(weightsTensor, y) : undefined;
      return optimizer.minimize(() => {
        const out = runModel(model, x, true, logits) as tfTypes.Tensor2D;
        let total: tfTypes.Scalar;
        if (logits) {
          total = tf.losses.softmaxCrossEntropy(oneHot, out, sampleWeights) as tfTypes.Scalar;
        } else {
          const ce = tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(out, PROBABILITY_EPSILON, 1))), 1));
          total = (sampleWeights ? tf.mean(tf.mul(ce, sampleWeights)) : tf.mean(ce)) as tfTypes.Scalar;
        }
        for (const penalty of model.calculateLosses()) total = tf.add(total, penalty);
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), y), 'float32')));
        return total;
      }, true, varList)!;
    });
    const lossValue = loss.dataSync()[0]!;
    const correctValue = correct!.dataSync()[0]!;
    loss.dispose();
    correct!.dispose();
    return { loss: lossValue, correct: correctValue };
  };

  // A checkpoint written at the epoch that stopped early: nothing left to train.
  let stoppedEarly = early !== undefined && startEpoch > 0 && wait >= early.patience;
  let learningRate = learningRateAt(schedule, baseRate, step, stepsPerEpoch);
  try {
    for (let epoch = startEpoch; epoch < epochs && !stoppedEarly; epoch++) {
      if (maxSteps !== undefined && step >= maxSteps) break;
      const t0 = Date.now();
      progress.startEpoch(epoch + 1, epochs, stepsPerEpoch);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let batches = 0;
      for await (const batch of data.trainBatches(epoch, batchSize)) {
        if (maxSteps !== undefined && step >= maxSteps) break;
        learningRate = learningRateAt(schedule, baseRate, step, stepsPerEpoch);
        const r = trainStep(batch, learningRate);
        if (!Number.isFinite(r.loss)) throw new ConfigError('training loss', 'finite (lower the learning rate?)', r.loss);
        lossSum += r.loss;
        correct += r.correct;
        seen += batch.size;
        batches++;
        step++;
        progress.step(batches, lossSum / batches, correct / seen);
      }
      graph?.readWeightsInto(model);
      const trainSec = (Date.now() - t0) / 1000;
      const val = hasValidation ? await evaluateModel(model, data, 'validation', evalBatchSize) : undefined;
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        step,
        loss: batches ? lossSum / batches : NaN,
        accuracy: seen ? correct / seen : NaN,
        ...(val ? { valLoss: val.loss, valAccuracy: val.accuracy } : {}),
        learningRate,
        durationSec: (Date.now() - t0) / 1000,
        examplesPerSec: trainSec > 0 ? seen / trainSec : 0,
      };
      history.push(metrics);
      if (early && epoch + 1 < early.startFromEpoch) {
        bestEpoch = epoch + 1; // not a candidate yet: the latest weights stand
      } else if (early) {
        const value = early.monitor === 'valLoss' ? metrics.valLoss! : metrics.valAccuracy!;
        const improved = bestValue === null
          || (early.monitor === 'valLoss' ? value < bestValue - early.minDelta : value > bestValue + early.minDelta);
        if (improved) {
          bestValue = value;
          bestEpoch = epoch + 1;
          wait = 0;
          if (early.restoreBestWeights) {
            for (const t of bestWeights ?? []) t.dispose();
            bestWeights = snapshot(tf, model);
          }
        } else {
          wait++;
          if (wait >= early.patience) stoppedEarly = true;
        }
      } else {
        bestEpoch = epoch + 1;
      }
      if (checkpointDir) {
        const optimizerWeights = graph
          ? graph.getOptimizerState().map((o) => ({ name: o.name, tensor: tf.tensor(o.data, o.shape) }))
          : await optimizer.getWeights();
        await saveCheckpoint(checkpointDir, {
          version: 1, epoch: epoch + 1, step, seed, rngState: rng.state(), history, bestValue, bestEpoch, wait,
          optimizerName: optimizerConfig.name ?? 'adam', optimizerExtra: await extraOptimizerState(optimizer),
          engine: graph ? 'graph' : 'eager', ...(checkpointSettings !== undefined ? { settings: checkpointSettings } : {}),
        }, {
          model: named(model.getWeights()),
          optimizer: optimizerWeights,
          ...(bestWeights ? { best: named(bestWeights) } : {}),
        });
        // getWeights() makes fresh scalars (iteration count) beside the optimizer's variables.
        for (const w of optimizerWeights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
      }
      if (metricsFile) await writeFileAtomic(metricsFile, history.map((m) => JSON.stringify(m)).join('\n') + '\n');
      progress.endEpoch(metrics, epochs);
      await onEpochEnd?.(metrics);
      if (stoppedEarly) {
        progress.note(`early stopping: no ${early!.monitor} improvement for ${early!.patience} epochs; best epoch ${bestEpoch}`);
        break;
      }
    }
  } finally {
    progress.stop();
    graph?.dispose();
    for (const layer of dropoutLayers) layer.seed = undefined;
    weightsTensor?.dispose();
    optimizer.dispose();
  }
  let restoredBestWeights = false;
  const lastEpoch = history.at(-1)?.epoch ?? 0;
  if (early?.restoreBestWeights && bestWeights && bestEpoch !== lastEpoch) {
    model.setWeights(bestWeights);
    restoredBestWeights = true;
    progress.note(`restored the weights of epoch ${bestEpoch}`);
  }
  for (const t of bestWeights ?? []) t.dispose();
  return {
    history,
    bestEpoch,
    stoppedEarly,
    restoredBestWeights,
    resumedFromEpoch: startEpoch,
    engine: engineChoice.engine,
    steps: step,
    durationSec: (Date.now() - started) / 1000,
  };
}

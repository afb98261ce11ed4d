/**
 * Options and results of {@link train} (src/train/trainer.ts).
 */
import type { OptimizerConfig } from './optimizers.ts';
import type { ProgressMode, TrainProgress } from './progress.ts';
import type { LrSchedule } from './schedule.ts';

/** Metrics of one epoch (one line of `metrics.jsonl`). */
export interface EpochMetrics {
  /** Epoch number, 1-based. */
  epoch: number;
  /** Training steps completed after this epoch. */
  step: number;
  /** Mean training loss (cross-entropy, plus regularisation) over the epoch's batches. */
  loss: number;
  /** Training accuracy over the epoch (augmented data, dropout on). */
  accuracy: number;
  /** Validation cross-entropy (when there is a validation split). */
  valLoss?: number;
  /** Validation accuracy. */
  valAccuracy?: number;
  /** Learning rate of the epoch's last step. */
  learningRate: number;
  /** Wall time of the epoch (training and validation), seconds. */
  durationSec: number;
  /** Training throughput of the epoch, examples per second. */
  examplesPerSec: number;
}

/** Early stopping: stop when the monitored value has not improved for `patience` epochs. */
export interface EarlyStoppingOptions {
  /** What to watch. @default 'valLoss' */
  monitor?: 'valLoss' | 'valAccuracy';
  /** Epochs without improvement before stopping. @default 5 */
  patience?: number;
  /** Smallest change that counts as improvement. @default 0 */
  minDelta?: number;
  /** Put back the best epoch's weights at the end (tfjs' callback cannot). @default true */
  restoreBestWeights?: boolean;
  /**
   * First 1-based epoch that can be the best one and counts towards `patience` (Keras'
   * `start_from_epoch`): earlier epochs, e.g. while the learning rate is still high, are never
   * restored. @default 1
   */
  startFromEpoch?: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Epochs to train (total, including those done before a resume). @default 10 */
  epochs?: number;
  /** Examples per training step. @default 64 */
  batchSize?: number;
  /** Stop after this many steps in total (e.g. a piecewise schedule's length). @default no limit */
  maxSteps?: number;
  /** Optimizer and hyper-parameters. @default { name: 'adam', learningRate: 0.001 } */
  optimizer?: OptimizerConfig;
  /** Learning-rate schedule, applied per step. @default { kind: 'constant' } */
  schedule?: LrSchedule;
  /**
   * Per-class loss weights: `data` uses `data.classWeights()` when it returns some, `none` none,
   * or explicit weights (one per class).
   * @default 'data'
   */
  classWeights?: 'data' | 'none' | readonly number[];
  /**
   * Label smoothing of the cross-entropy targets, in [0, 1): `(1 - s) * onehot + s / classes`
   * (both engines). @default 0
   */
  labelSmoothing?: number;
  /** Early stopping; needs a validation split. @default off */
  earlyStopping?: EarlyStoppingOptions | false;
  /** Folder of per-epoch checkpoints. @default none (no checkpoints) */
  checkpointDir?: string;
  /**
   * Settings the checkpoints must match (any JSON: seed, epochs, data, model ...): recorded in
   * every checkpoint; `resume` from a checkpoint with other settings throws
   * CheckpointMismatchError naming each difference. @default none (not recorded, not checked)
   */
  checkpointSettings?: Record<string, unknown>;
  /** Continue from the latest checkpoint in `checkpointDir` when there is one. @default false */
  resume?: boolean;
  /** Seed of the trainer's own randomness (dropout masks). @default 0 */
  seed?: number;
  /** Progress display (`bar`, `lines`, `none`) or a custom reporter. @default 'none' */
  progress?: ProgressMode | TrainProgress;
  /** Write every epoch's metrics to this JSON-lines file (rewritten atomically each epoch). @default none */
  metricsFile?: string;
  /** Batch size of validation passes. @default 256 */
  evalBatchSize?: number;
  /**
   * `graph`: the whole training step as one TensorFlow graph (src/graph, about 3x faster);
   * `eager`: tfjs op by op; `auto`: graph when the addon is built and every layer is supported,
   * else eager with one message saying why.
   * @default 'auto'
   */
  engine?: 'auto' | 'graph' | 'eager';
  /** Called after each epoch (after the checkpoint is written). */
  onEpochEnd?: (metrics: EpochMetrics) => void | Promise<void>;
}

/** What {@link train} returns. */
export interface TrainResult {
  /** Every epoch's metrics, including epochs done before a resume. */
  history: EpochMetrics[];
  /** 1-based epoch with the best monitored value (early stopping), else the last epoch. */
  bestEpoch: number;
  /** True when early stopping ended training before `epochs`. */
  stoppedEarly: boolean;
  /** True when the best epoch's weights were put back. */
  restoredBestWeights: boolean;
  /** Epoch the run resumed after (0: fresh start). */
  resumedFromEpoch: number;
  /** The engine that ran the training steps. */
  engine: 'graph' | 'eager';
  /** Training steps in total. */
  steps: number;
  /** Wall time of this call, seconds. */
  durationSec: number;
}

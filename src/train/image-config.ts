/**
 * ImageTrainConfig: the flat, JSON/YAML-friendly settings of one image training run (the CLI
 * flags, a `--config` file, and the keys of a sweep grid), and their conversion to
 * {@link TrainImagesOptions} (a named recipe fills the keys the run leaves unset).
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { parseAugment } from '../augment/image.ts';
import { applyImageRecipe } from '../images/apply-image-recipe.ts';
import { CLASS_BALANCE_MODES, type ClassBalance } from '../batch/sampler.ts';
import { ConfigError, DatasetError } from '../errors.ts';
import type { ModelOptions } from '../models/options.ts';
import type { OptimizerName } from './optimizers.ts';
import { parseSchedule } from './schedule.ts';
import type { TrainImagesOptions } from './train-images.ts';

/** One image training run, flat. Unset fields take the library defaults. */
export interface ImageTrainConfig {
  /** Dataset kind: mnist, fashion-mnist, notmnist, folder. */
  dataset?: string;
  /** Dataset folder. */
  data?: string;
  /** Named recipe (`src/images/image-recipes.ts`) whose values fill the unset keys. @default the dataset's recipe when no model is set */
  recipe?: string;
  /** Registry model name. */
  model?: string;
  /** Output model folder. */
  out?: string;
  epochs?: number;
  batchSize?: number;
  /** Stop after this many steps. */
  maxSteps?: number;
  optimizer?: OptimizerName;
  learningRate?: number;
  momentum?: number;
  /** Schedule in the CLI form (`exp:0.9@1e`, `piecewise:0.001,0.0001@1000,500`). */
  schedule?: string;
  /** Augmentation in the CLI form (`shift=0.1,rotation=10`). */
  augment?: string;
  seed?: number;
  /** Seed of the validation/test split alone (ensemble members share it). @default seed */
  splitSeed?: number;
  l1?: number;
  l2?: number;
  dropout?: number;
  activation?: ModelOptions['activation'];
  initializer?: ModelOptions['initializer'];
  batchNorm?: boolean;
  validationFraction?: number;
  testFraction?: number;
  balance?: ClassBalance;
  /** Label smoothing of the one-hot targets, in [0, 1). @default 0 */
  labelSmoothing?: number;
  /** Early-stopping patience in epochs (0: off). */
  earlyStopping?: number;
  /** Early-stopping monitor. */
  monitor?: 'valLoss' | 'valAccuracy';
  resume?: boolean;
  workers?: number;
  /** Training engine: auto, graph, eager (see TrainOptions.engine). */
  engine?: 'auto' | 'graph' | 'eager';
}

/** Keys of {@link ImageTrainConfig} (for config files and sweep grids). */
export const IMAGE_CONFIG_KEYS: readonly (keyof ImageTrainConfig)[] = [
  'dataset', 'data', 'model', 'out', 'recipe', 'epochs', 'batchSize', 'maxSteps', 'optimizer', 'learningRate', 'momentum', 'schedule',
  'augment', 'seed', 'splitSeed', 'l1', 'l2', 'dropout', 'activation', 'initializer', 'batchNorm', 'validationFraction', 'testFraction',
  'balance', 'labelSmoothing', 'earlyStopping', 'monitor', 'resume', 'workers', 'engine',
];

/** Reads a JSON or YAML config file. @throws DatasetError naming the file, ConfigError for unknown keys */
export function readImageConfig(file: string): ImageTrainConfig {
  let parsed: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    parsed = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new DatasetError(`${file}: cannot read the config (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DatasetError(`${file}: the config must be an object`);
  checkConfigKeys(parsed as Record<string, unknown>, file);
  return parsed as ImageTrainConfig;
}

/** Rejects keys that are not {@link IMAGE_CONFIG_KEYS}. */
export function checkConfigKeys(config: Record<string, unknown>, where = 'config'): void {
  for (const key of Object.keys(config)) {
    if (!(IMAGE_CONFIG_KEYS as readonly string[]).includes(key)) throw new ConfigError(`${where} key`, `one of ${IMAGE_CONFIG_KEYS.join(', ')}`, key);
  }
}

/**
 * Converts a config to pipeline options, first filling unset keys from its recipe (the `recipe`
 * key, or the dataset's default recipe when no model is set: see `applyImageRecipe`).
 * @throws ConfigError when dataset, data, model or out is missing, or a value is bad
 */
export function imageConfigToOptions(config: ImageTrainConfig): TrainImagesOptions {
  const c = applyImageRecipe(config).config;
  for (const key of ['dataset', 'data', 'model', 'out'] as const) {
    if (!c[key]) throw new ConfigError(key, 'set (flag or config file)', c[key]);
  }
  if (c.balance !== undefined && !CLASS_BALANCE_MODES.includes(c.balance)) throw new ConfigError('balance', `one of ${CLASS_BALANCE_MODES.join(', ')}`, c.balance);
  const modelOptions: ModelOptions = {};
  for (const key of ['l1', 'l2', 'dropout', 'activation', 'initializer', 'batchNorm', 'seed'] as const) {
    if (c[key] !== undefined) (modelOptions as Record<string, unknown>)[key] = c[key];
  }
  const optimizer = {
    ...(c.optimizer !== undefined ? { name: c.optimizer } : {}),
    ...(c.learningRate !== undefined ? { learningRate: c.learningRate } : {}),
    ...(c.momentum !== undefined ? { momentum: c.momentum } : {}),
  };
  return {
    dataset: c.dataset!,
    dataDir: c.data!,
    model: c.model!,
    outDir: c.out!,
    modelOptions,
    ...(c.recipe !== undefined ? { recipe: c.recipe } : {}),
    data: {
      ...(c.seed !== undefined ? { seed: c.seed } : {}),
      ...(c.splitSeed !== undefined ? { splitSeed: c.splitSeed } : {}),
      ...(c.validationFraction !== undefined ? { validationFraction: c.validationFraction } : {}),
      ...(c.testFraction !== undefined ? { testFraction: c.testFraction } : {}),
      ...(c.augment !== undefined ? { augment: parseAugment(c.augment) } : {}),
      ...(c.balance !== undefined ? { balance: c.balance } : {}),
      ...(c.workers !== undefined ? { workers: c.workers } : {}),
    },
    train: {
      ...(c.epochs !== undefined ? { epochs: c.epochs } : {}),
      ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
      ...(c.maxSteps !== undefined ? { maxSteps: c.maxSteps } : {}),
      ...(c.seed !== undefined ? { seed: c.seed } : {}),
      optimizer,
      ...(c.labelSmoothing !== undefined ? { labelSmoothing: c.labelSmoothing } : {}),
      ...(c.schedule !== undefined ? { schedule: parseSchedule(c.schedule) } : {}),
      ...(c.earlyStopping ? { earlyStopping: { patience: c.earlyStopping, ...(c.monitor ? { monitor: c.monitor } : {}) } } : {}),
      ...(c.resume !== undefined ? { resume: c.resume } : {}),
      ...(c.engine !== undefined ? { engine: c.engine } : {}),
    },
  };
}

/**
 * The image-classifier pipeline behind `keyspot train images` and the images benchmark: load a
 * dataset, split, build a registry model, train (checkpoints and `metrics.jsonl` in the output
 * folder), evaluate on the test split, save the model folder with metadata, write the report.
 *
 *   trainImages(options: TrainImagesOptions): Promise<TrainImagesResult>
 */
import path from 'node:path';
import { getTf } from '../backend.ts';
import { DEFAULT_IMAGE_DATA_OPTIONS, ImageTrainingData, type ImageDataOptions } from '../data/images/image-data.ts';
import { loadImages } from '../data/images/load-images.ts';
import { saveModelDir, type ModelMetadata } from '../export/model-dir.ts';
import { buildModel } from '../models/registry.ts';
import type { ModelOptions } from '../models/options.ts';
import { writeTrainingReport } from '../report/training-report.ts';
import { evaluateModel, type EvalResult } from './metrics.ts';
import { train } from './trainer.ts';
import type { TrainOptions, TrainResult } from './trainer-types.ts';

/** Checkpoint sub-folder of an output folder. */
export const CHECKPOINT_DIR = 'checkpoints';
/** Metrics file of an output folder. */
export const METRICS_FILE = 'metrics.jsonl';

/** Options of {@link trainImages}. */
export interface TrainImagesOptions {
  /** Dataset kind: `mnist`, `fashion-mnist`, `notmnist`, `folder`. */
  dataset: string;
  /** Dataset folder. */
  dataDir: string;
  /** Registry model name. */
  model: string;
  /** Name of the recipe the options came from, recorded in the metadata and report. @default none */
  recipe?: string;
  /** Model options (regularisation, dropout, activation ...). @default architecture defaults */
  modelOptions?: ModelOptions;
  /** Output (model) folder: model files, metadata, metrics, checkpoints, report. */
  outDir: string;
  /** Split, seed, augmentation, balancing, workers. */
  data?: ImageDataOptions;
  /** Trainer options; `checkpointDir` and `metricsFile` default into `outDir`. */
  train?: TrainOptions;
  /** Status lines (loading, saving) go here. @default none */
  log?: (line: string) => void;
}

/** What {@link trainImages} returns (also the `--json` output of the CLI). */
export interface TrainImagesResult {
  outDir: string;
  labels: string[];
  exampleShape: [number, number, number];
  splits: { training: number; validation: number; testing: number };
  train: TrainResult;
  /** Last epoch's validation accuracy, when there is a validation split. */
  validationAccuracy?: number;
  /** Test split evaluation (never used for choices). */
  test?: EvalResult;
  /** Unreadable files skipped while loading. */
  skipped: string[];
  metadata: ModelMetadata;
}

/** Runs the whole image pipeline. @throws ConfigError / DatasetError for bad options or data */
export async function trainImages(options: TrainImagesOptions): Promise<TrainImagesResult> {
  const log = options.log ?? (() => {});
  const seed = options.data?.seed ?? options.train?.seed ?? 0;
  const modelOptions: ModelOptions = { seed, ...options.modelOptions };
  log(`loading ${options.dataset} from ${options.dataDir}`);
  const images = loadImages(options.dataset, options.dataDir);
  const data = await ImageTrainingData.create(images.train, images.test, { seed, ...options.data });
  try {
    if (data.skipped.length) log(`skipped ${data.skipped.length} unreadable files`);
    const splits = { training: data.splitSize('training'), validation: data.splitSize('validation'), testing: data.splitSize('testing') };
    log(`splits: ${splits.training} training, ${splits.validation} validation, ${splits.testing} test`);
    const model = buildModel(options.model, data.exampleShape, data.labels.length, modelOptions);
    try {
      const trainOptions: TrainOptions = {
        seed,
        checkpointDir: path.join(options.outDir, CHECKPOINT_DIR),
        metricsFile: path.join(options.outDir, METRICS_FILE),
        ...options.train,
      };
      const result = await train(model, data, trainOptions);
      const test = splits.testing > 0 ? await evaluateModel(model, data, 'testing') : undefined;
      const validationAccuracy = result.history.at(-1)?.valAccuracy;
      const metrics: Record<string, number> = {};
      if (validationAccuracy !== undefined) metrics.validationAccuracy = validationAccuracy;
      if (test) metrics.testAccuracy = test.accuracy;
      const metadata = await saveModelDir(options.outDir, model, {
        labels: [...data.labels],
        inputShape: [...data.exampleShape],
        modelName: options.model,
        ...(options.recipe !== undefined ? { recipe: options.recipe } : {}),
        modelOptions,
        input: { ...data.input },
        dataset: {
          kind: options.dataset, dir: options.dataDir, splits, skipped: data.skipped.length, seed,
          splitSeed: options.data?.splitSeed ?? seed,
          validationFraction: options.data?.validationFraction ?? DEFAULT_IMAGE_DATA_OPTIONS.validationFraction,
          testFraction: options.data?.testFraction ?? DEFAULT_IMAGE_DATA_OPTIONS.testFraction,
          augment: options.data?.augment ?? {},
        },
        training: { ...trainOptions, progress: undefined, onEpochEnd: undefined, epochsRun: result.history.length, bestEpoch: result.bestEpoch },
        metrics,
      });
      log(`saved ${options.outDir}`);
      await writeTrainingReport(options.outDir, {
        title: `${options.dataset} / ${options.model}`,
        labels: data.labels,
        settings: {
          dataset: `${options.dataset} (${options.dataDir})`, ...(options.recipe !== undefined ? { recipe: options.recipe } : {}), model: options.model, modelOptions, splits,
          optimizer: trainOptions.optimizer ?? { name: 'adam' }, schedule: trainOptions.schedule ?? { kind: 'constant' },
          batchSize: trainOptions.batchSize ?? 64, augment: options.data?.augment ?? {}, seed,
          backend: getTf().getBackend(),
          engine: result.engine,
        },
        result,
        ...(test ? { evaluation: { split: 'test', result: test } } : {}),
        skipped: data.skipped,
      });
      return {
        outDir: options.outDir,
        labels: [...data.labels],
        exampleShape: [...data.exampleShape],
        splits,
        train: result,
        ...(validationAccuracy !== undefined ? { validationAccuracy } : {}),
        ...(test ? { test } : {}),
        skipped: [...data.skipped],
        metadata,
      };
    } finally {
      model.dispose();
    }
  } finally {
    await data.close();
  }
}

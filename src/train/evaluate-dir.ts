/**
 * Evaluates saved image models (one, or an ensemble averaging several) on a dataset folder:
 * the `test` split as the model's training run defined it (its seed and fractions, from the
 * metadata), or `all` images found in the folder (a separate test folder).
 *
 *   evaluateModelDirs({ modelDirs, dataDir, dataset?, split? }): Promise<ModelDirEvaluation>
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { ImageTrainingData } from '../data/images/image-data.ts';
import { PIXEL_SCALE } from '../data/images/image-writer.ts';
import { imageCount, type ImageSet } from '../data/images/image-set.ts';
import { loadAllImages, loadImages } from '../data/images/load-images.ts';
import { ConfigError, DatasetError } from '../errors.ts';
import { loadModelDir, type ModelMetadata } from '../export/model-dir.ts';
import type { Batch } from '../types.ts';
import { ensemblePredictor } from './ensemble.ts';
import { evaluateBatches, type EvalResult } from './metrics.ts';

/** Splits `keyspot eval` can use. */
export const EVAL_SPLITS = ['test', 'all'] as const;
/** A split of `keyspot eval`. */
export type EvalSplit = (typeof EVAL_SPLITS)[number];

/** Options of {@link evaluateModelDirs}. */
export interface EvaluateModelDirsOptions {
  /** Model folders (several: an ensemble averaging their probabilities). */
  modelDirs: readonly string[];
  /** Dataset folder. */
  dataDir: string;
  /** Dataset kind. @default the kind the (first) model was trained on */
  dataset?: string;
  /** `test`: the training run's test split; `all`: every image in the folder. @default 'test' */
  split?: EvalSplit;
  /** Batch size. @default 256 */
  batchSize?: number;
}

/** Result of {@link evaluateModelDirs} (`keyspot eval --json` prints it). */
export interface ModelDirEvaluation extends EvalResult {
  labels: string[];
  split: EvalSplit;
  models: string[];
  /** Unreadable files skipped. */
  skipped: string[];
}

/** Batches of every image of a set, in order, scaled like training input. */
export async function* imageSetBatches(set: ImageSet, batchSize: number): AsyncGenerator<Batch> {
  const size = set.height * set.width * set.channels;
  const n = imageCount(set);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const x = new Float32Array(count * size);
    for (let i = 0; i < count * size; i++) x[i] = PIXEL_SCALE * set.pixels[start * size + i]!;
    yield { x, y: set.classes.slice(start, start + count), size: count, exampleShape: [set.height, set.width, set.channels] };
  }
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/**
 * Evaluates one model folder or an ensemble of them.
 * @throws ConfigError / DatasetError when the models disagree, or the data does not match their labels and input
 */
export async function evaluateModelDirs(options: EvaluateModelDirsOptions): Promise<ModelDirEvaluation> {
  const { modelDirs, dataDir, split = 'test', batchSize = 256 } = options;
  if (!EVAL_SPLITS.includes(split)) throw new ConfigError('split', `one of ${EVAL_SPLITS.join(', ')}`, split);
  if (modelDirs.length === 0) throw new ConfigError('model', 'at least one model folder', modelDirs);
  const loaded: { model: tfTypes.LayersModel; metadata: ModelMetadata }[] = [];
  try {
    for (const dir of modelDirs) loaded.push(await loadModelDir(dir));
    const meta = loaded[0]!.metadata;
    type TrainedOn = { kind?: string; seed?: number; splitSeed?: number; validationFraction?: number; testFraction?: number };
    const splitOf = (m: ModelMetadata) => {
      const d = (m.dataset ?? {}) as TrainedOn;
      return JSON.stringify([d.splitSeed ?? d.seed, d.validationFraction, d.testFraction]);
    };
    const firstSplit = splitOf(meta);
    for (const [i, l] of loaded.entries()) {
      if (!sameLabels(l.metadata.labels, meta.labels)) throw new DatasetError(`${modelDirs[i]}: labels differ from ${modelDirs[0]}'s; an ensemble needs the same labels`);
      if (split === 'test' && splitOf(l.metadata) !== firstSplit) {
        throw new DatasetError(`${modelDirs[i]}: trained on another validation/test split than ${modelDirs[0]} (split seed and fractions ${splitOf(l.metadata)} vs ${firstSplit}); its test split would include its own training images (train ensemble members with the same --split-seed)`);
      }
    }
    const trained = (meta.dataset ?? {}) as TrainedOn;
    const kind = options.dataset ?? trained.kind;
    if (!kind) throw new ConfigError('dataset', 'given (the model metadata does not say which kind it was trained on)', kind);
    const predict = ensemblePredictor(loaded.map((l) => l.model));
    const check = (set: ImageSet) => {
      if (!sameLabels(set.labels, meta.labels)) throw new DatasetError(`${dataDir}: classes ${set.labels.join(', ')} differ from the model's ${meta.labels.join(', ')}`);
      const shape = [set.height, set.width, set.channels];
      if (shape.join('x') !== meta.inputShape.join('x')) throw new DatasetError(`${dataDir}: images are ${shape.join('x')} but the model expects ${meta.inputShape.join('x')}`);
    };
    let result: EvalResult;
    let skipped: string[];
    if (split === 'all') {
      const set = loadAllImages(kind, dataDir, { height: meta.inputShape[0], width: meta.inputShape[1], channels: meta.inputShape[2] === 3 ? 3 : 1 });
      check(set);
      skipped = set.skipped;
      result = await evaluateBatches(predict, imageSetBatches(set, batchSize), meta.labels.length);
    } else {
      const images = loadImages(kind, dataDir);
      check(images.train);
      const data = await ImageTrainingData.create(images.train, images.test, {
        seed: trained.seed ?? 0, splitSeed: trained.splitSeed ?? trained.seed ?? 0, workers: 0,
        ...(trained.validationFraction !== undefined ? { validationFraction: trained.validationFraction } : {}),
        ...(trained.testFraction !== undefined ? { testFraction: trained.testFraction } : {}),
      });
      try {
        skipped = [...data.skipped];
        result = await evaluateBatches(predict, data.evalBatches('testing', batchSize), meta.labels.length);
      } finally {
        await data.close();
      }
    }
    return { ...result, labels: [...meta.labels], split, models: [...modelDirs], skipped };
  } finally {
    for (const l of loaded) l.model.dispose();
  }
}

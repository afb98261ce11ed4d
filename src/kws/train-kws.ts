/**
 * `trainKws`: the keyword job end to end. Opens a Speech Commands folder with the recipe's
 * features and augmentation, adds SpecAugment, builds the recipe's model, trains it (validation
 * accuracy each epoch, best epoch kept), evaluates the test split, and exports the model folder
 * atomically: `model.json` + `weights.bin`, `metadata.json` (labels, full feature settings, sample
 * rate, clip length, training data summary and metrics, keyspot version), `report.md`,
 * `curves.svg`, `confusion.svg`. Every epoch is checkpointed (by default in
 * `<parent>/.<name>.checkpoints/` beside the output folder, removed once the model folder is
 * written); `resume` continues a killed run from its last checkpoint and ends with the same
 * weights, bit for bit, as an uninterrupted run (resuming with other settings fails, naming them).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { withSpecAugment } from '../augment/spec-augment.ts';
import { SpeechCommandsData } from '../data/speech-commands-data.ts';
import { ConfigError } from '../errors.ts';
import { writeDirAtomic, writeFileSynced } from '../export/atomic-write.ts';
import { METADATA_FILE, MODEL_JSON_FILE, modelDirWriter, type ModelMetadata } from '../export/model-dir.ts';
import { buildModel } from '../models/registry.ts';
import { CheckpointMismatchError, readLatestCheckpointState, removeCheckpoints, settingsDifferences } from '../train/checkpoint.ts';
import { evaluateModel } from '../train/metrics.ts';
import type { ProgressMode, TrainProgress } from '../train/progress.ts';
import { train } from '../train/trainer.ts';
import type { EpochMetrics } from '../train/trainer-types.ts';
import { VERSION } from '../version.ts';
import { keywordEvaluation, type KeywordEvaluation } from './class-metrics.ts';
import { keywordInput } from './keyword-input.ts';
import { DEFAULT_KWS_RECIPE, DEFAULT_KWS_WORDS, recipeSchedule, type KwsRecipe } from './recipe.ts';
import { confusionSvg, curvesSvg, REPORT_FILES, reportMarkdown } from './report-files.ts';

/** Default output folder of `train kws`. */
export const DEFAULT_KWS_OUT_DIR = 'models/kws';
/** Default seed of `train kws`. */
export const DEFAULT_KWS_SEED = 1;

/**
 * The default checkpoint folder of an output folder: a hidden sibling, `models/kws` ->
 * `models/.kws.checkpoints` (beside the output so it is on the same disk, hidden so it never
 * looks like a model folder).
 */
export function defaultKwsCheckpointDir(outDir: string): string {
  const abs = path.resolve(outDir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.checkpoints`);
}

/** Options of {@link trainKws}. */
export interface TrainKwsOptions {
  /** Dataset root in the Speech Commands layout. */
  dataDir: string;
  /** Background noise folder. @default `<dataDir>/background_noise/`, else `<dataDir>/_background_noise_/` */
  noiseDir?: string;
  /** Words to recognise. @default yes,no,up,down,left,right,on,off,stop,go */
  words?: readonly string[];
  /** Model folder to write (replaced atomically). @default 'models/kws' */
  outDir?: string;
  /** Recipe fields that differ from {@link DEFAULT_KWS_RECIPE} (or a whole other recipe). @default {} */
  recipe?: Partial<KwsRecipe>;
  /** Seed of weights, batches and augmentation. @default 1 */
  seed?: number;
  /** Progress display or reporter (training). @default 'none' */
  progress?: ProgressMode | TrainProgress;
  /** Called while clips are decoded. */
  onLoadProgress?: (done: number, total: number) => void;
  /** Feature worker threads. @default the batcher's default */
  workers?: number;
  /** Called after each epoch. */
  onEpochEnd?: (m: EpochMetrics) => void | Promise<void>;
  /** Training engine (src/graph): `auto` graph when supported else eager with a message. @default 'auto' */
  engine?: 'auto' | 'graph' | 'eager';
  /**
   * Folder of the per-epoch checkpoints (written atomically after every epoch; removed, with
   * anything else the checkpointer wrote there, once the model folder is written); `false`: none.
   * @default {@link defaultKwsCheckpointDir}(outDir), e.g. `models/.kws.checkpoints`
   */
  checkpointDir?: string | false;
  /**
   * Continue from the latest checkpoint in `checkpointDir` (the run starts from scratch when
   * there is none). The data, words, seed and recipe must be those of the checkpoint.
   * @default false
   */
  resume?: boolean;
  /**
   * Called once with the freshly built model before training (e.g. to load a backbone's
   * weights; a resumed run then takes the checkpoint's weights). @default none
   */
  initModel?: (model: tfTypes.LayersModel) => void | Promise<void>;
  /** Extra top-level fields of `metadata.json` (e.g. provenance). @default none */
  extraMetadata?: Record<string, unknown>;
  /**
   * Called with the trained model before the model folder is written (inside its temporary
   * folder `tmpDir`, where extra files may be written): returns extra metadata fields and a
   * markdown section put before the training report. @default none
   */
  finalize?: (ctx: { model: tfTypes.LayersModel; data: SpeechCommandsData; tmpDir: string; metadata: ModelMetadata }) => Promise<{ metadata?: Record<string, unknown>; report?: string } | void>;
}

/** What {@link trainKws} returns. */
export interface TrainKwsResult {
  /** Absolute model folder. */
  outDir: string;
  /** Files written, absolute paths. */
  files: { model: string; metadata: string; report: string; curves: string; confusion: string };
  /** The metadata as written. */
  metadata: ModelMetadata;
  /** The resolved recipe. */
  recipe: KwsRecipe;
  /** Every epoch's metrics. */
  history: EpochMetrics[];
  /** 1-based best validation epoch (the weights saved). */
  bestEpoch: number;
  /** Validation accuracy of the saved weights (undefined without a validation split). */
  valAccuracy?: number;
  /** Test-split evaluation of the saved weights (undefined without a test split). */
  test?: KeywordEvaluation;
  /** Training time (training and validation passes), minutes. */
  trainMinutes: number;
  /** Training throughput, examples per second. */
  examplesPerSec: number;
  /** The engine that ran the training steps (`graph` unless a layer or the addon was missing). */
  engine: 'graph' | 'eager';
  /** Epochs done before this call, read from the checkpoint (`resume`); 0 for a fresh run. */
  resumedFromEpoch: number;
  /** Unreadable files skipped. */
  skipped: readonly string[];
}

/** Merges recipe overrides onto the default recipe (nested option objects merged one level deep). */
export function resolveRecipe(overrides: Partial<KwsRecipe> = {}, base: Readonly<KwsRecipe> = DEFAULT_KWS_RECIPE): KwsRecipe {
  return {
    ...base,
    ...overrides,
    modelOptions: { ...base.modelOptions, ...overrides.modelOptions },
    features: { ...base.features, ...overrides.features },
    augment: { ...base.augment, ...overrides.augment },
    specAugment: { ...base.specAugment, ...overrides.specAugment },
    optimizer: { ...base.optimizer, ...overrides.optimizer },
  };
}

/**
 * What a checkpoint of {@link trainKws} must match to be resumed: everything that changes the
 * weights (data and noise folders, words, seed, the whole recipe); not the worker count, the
 * progress display or the output folder.
 */
function optionSettings(o: { dataDir: string; noiseDir?: string; words: readonly string[]; seed: number; recipe: KwsRecipe }): Record<string, unknown> {
  return {
    dataDir: path.resolve(o.dataDir),
    noiseDir: o.noiseDir === undefined ? null : path.resolve(o.noiseDir),
    words: [...o.words],
    seed: o.seed,
    recipe: JSON.parse(JSON.stringify(o.recipe)) as unknown,
  };
}

/** What the opened data adds to {@link optionSettings}: labels, shapes, split sizes and a hash of the file lists. */
function dataSettings(data: SpeechCommandsData): Record<string, unknown> {
  const hash = createHash('sha256');
  for (const c of data.index.clips) hash.update(`${c.split}\t${c.relPath}\n`);
  for (const f of data.noiseFiles) hash.update(`noise\t${path.basename(f)}\n`);
  return {
    labels: [...data.labels],
    exampleShape: [...data.exampleShape],
    trainingExamplesPerEpoch: data.splitSize('training'),
    validationExamples: data.splitSize('validation'),
    filesSha256: hash.digest('hex'),
  };
}

/**
 * Trains, evaluates and exports a keyword model.
 * @throws DatasetError for a missing/empty data folder, missing words or noise
 * @throws ConfigError for bad recipe values
 * @throws CheckpointMismatchError when `resume` finds a checkpoint written with other settings
 *   (checked before the audio is decoded, and again with the data's file lists)
 */
export async function trainKws(options: TrainKwsOptions): Promise<TrainKwsResult> {
  const {
    dataDir, noiseDir, words = DEFAULT_KWS_WORDS, outDir = DEFAULT_KWS_OUT_DIR, seed = DEFAULT_KWS_SEED,
    progress = 'none', onLoadProgress, workers, onEpochEnd, engine, resume = false,
  } = options;
  const checkpointDir = options.checkpointDir === false ? undefined : path.resolve(options.checkpointDir ?? defaultKwsCheckpointDir(outDir));
  if (resume && !checkpointDir) throw new ConfigError('resume', 'used with a checkpointDir (not false)', resume);
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('seed', 'an integer >= 0', seed);
  const recipe = resolveRecipe(options.recipe);
  if (!Number.isInteger(recipe.epochs) || recipe.epochs < 1) throw new ConfigError('epochs', 'an integer >= 1', recipe.epochs);
  if (!Number.isInteger(recipe.batchSize) || recipe.batchSize < 1) throw new ConfigError('batchSize', 'an integer >= 1', recipe.batchSize);
  if (!(recipe.selectBestAfter >= 0 && recipe.selectBestAfter < 1)) throw new ConfigError('selectBestAfter', 'a number in [0, 1)', recipe.selectBestAfter);
  const settings = optionSettings({ dataDir, noiseDir, words, seed, recipe });
  if (resume && checkpointDir) {
    // Fail before minutes of decoding when the options already differ.
    const latest = await readLatestCheckpointState(checkpointDir);
    const saved = latest?.state.settings as Record<string, unknown> | undefined;
    if (latest) {
      const { data: _data, ...savedOptions } = saved ?? {};
      const differences = saved === undefined ? ['settings: not recorded in the checkpoint'] : settingsDifferences(savedOptions, settings);
      if (differences.length > 0) throw new CheckpointMismatchError(latest.path, differences);
    }
  }

  const data = await SpeechCommandsData.open({
    dataDir,
    backgroundNoiseDir: noiseDir,
    wantedWords: words,
    silencePercentage: recipe.silencePercentage,
    unknownPercentage: recipe.unknownPercentage,
    features: recipe.features,
    augment: recipe.augment,
    balance: recipe.balance,
    seed,
    workers,
    onProgress: onLoadProgress,
  });
  let model: tfTypes.LayersModel | undefined;
  try {
    const trainingData = withSpecAugment(data, recipe.specAugment, seed);
    model = buildModel(recipe.model, data.exampleShape, data.labels.length, { seed, ...recipe.modelOptions });
    await options.initModel?.(model);
    const stepsPerEpoch = data.batchesPerEpoch(recipe.batchSize);
    const totalSteps = stepsPerEpoch * recipe.epochs;
    const baseRate = recipe.optimizer.learningRate ?? 0.001;
    const hasValidation = data.splitSize('validation') > 0;
    const result = await train(model, trainingData, {
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      optimizer: recipe.optimizer,
      schedule: recipeSchedule(recipe.schedule, baseRate, totalSteps),
      labelSmoothing: recipe.labelSmoothing,
      earlyStopping: hasValidation
        ? { monitor: 'valAccuracy', patience: recipe.epochs + 1, restoreBestWeights: true, startFromEpoch: Math.floor(recipe.selectBestAfter * recipe.epochs) + 1 }
        : false,
      seed,
      progress,
      onEpochEnd,
      engine,
      checkpointDir,
      checkpointSettings: checkpointDir ? { ...settings, data: dataSettings(data) } : undefined,
      resume,
    });
    const history = result.history;
    const trainSec = history.reduce((a, m) => a + m.durationSec, 0);
    const examples = history.reduce((a, m) => a + m.examplesPerSec * m.durationSec, 0);
    const best = history[result.bestEpoch - 1];
    let test: KeywordEvaluation | undefined;
    if (data.splitSize('testing') > 0) {
      const ev = await evaluateModel(model, data, 'testing');
      test = keywordEvaluation(ev.confusion, data.labels);
    }
    const composition = data.composition();
    const metrics: Record<string, number> = {};
    if (best?.valAccuracy !== undefined) metrics.valAccuracy = best.valAccuracy;
    if (test) metrics.testAccuracy = test.accuracy;
    metrics.trainMinutes = trainSec / 60;
    metrics.examplesPerSec = trainSec > 0 ? examples / trainSec : 0;
    metrics.epochs = history.length;
    metrics.bestEpoch = result.bestEpoch;
    const absOut = path.resolve(outDir);
    const metadata: ModelMetadata = {
      keyspotVersion: VERSION,
      savedAt: new Date().toISOString(),
      labels: [...data.labels],
      inputShape: [...data.exampleShape],
      modelName: recipe.model,
      modelOptions: { seed, ...recipe.modelOptions },
      input: keywordInput(data.features) as unknown as Record<string, unknown>,
      metrics,
      training: {
        dataDir: data.index.root,
        noiseFiles: data.noiseFiles.map((f) => path.basename(f)),
        splitSource: data.index.splitSource,
        wantedWords: [...words],
        silencePercentage: recipe.silencePercentage,
        unknownPercentage: recipe.unknownPercentage,
        composition,
        skippedFiles: data.skipped.length,
        seed,
        recipe,
      },
      test: test ? { accuracy: test.accuracy, count: test.count, perClass: test.perClass, confusion: test.confusion } : undefined,
    };
    const report = reportMarkdown({
      modelDir: path.relative(process.cwd(), absOut) || '.',
      modelName: recipe.model,
      labels: data.labels,
      data: {
        folder: data.index.root,
        'split from': data.index.splitSource === 'lists' ? 'validation_list.txt / testing_list.txt' : 'hash of the file name (TensorFlow which_set)',
        'training examples per epoch': composition.training,
        'validation examples': data.splitSize('validation'),
        'testing examples': data.splitSize('testing'),
        'background noise files': data.noiseFiles.length,
      },
      recipe,
      history,
      bestEpoch: result.bestEpoch,
      trainMinutes: trainSec / 60,
      examplesPerSec: metrics.examplesPerSec,
      test,
      skipped: data.skipped,
    });
    const trainedModel = model;
    await writeDirAtomic(absOut, async (tmp) => {
      await trainedModel.save(modelDirWriter(tmp));
      Object.assign(metadata, options.extraMetadata);
      const extra = await options.finalize?.({ model: trainedModel, data, tmpDir: tmp, metadata });
      if (extra?.metadata) Object.assign(metadata, extra.metadata);
      await writeFileSynced(path.join(tmp, REPORT_FILES.report), extra?.report ? `${extra.report}\n${report}` : report);
      await writeFileSynced(path.join(tmp, REPORT_FILES.curves), curvesSvg(history, `${recipe.model}: accuracy and loss per epoch`));
      await writeFileSynced(path.join(tmp, REPORT_FILES.confusion), confusionSvg(test ?? keywordEvaluation(data.labels.map(() => data.labels.map(() => 0)), data.labels), `${recipe.model}: test split`));
      // metadata.json last: a folder with metadata is complete.
      await writeFileSynced(path.join(tmp, METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
    });
    // The model folder is complete: its checkpoints are no longer needed.
    if (checkpointDir) await removeCheckpoints(checkpointDir);
    return {
      outDir: absOut,
      files: {
        model: path.join(absOut, MODEL_JSON_FILE),
        metadata: path.join(absOut, METADATA_FILE),
        report: path.join(absOut, REPORT_FILES.report),
        curves: path.join(absOut, REPORT_FILES.curves),
        confusion: path.join(absOut, REPORT_FILES.confusion),
      },
      metadata,
      recipe,
      history,
      bestEpoch: result.bestEpoch,
      valAccuracy: best?.valAccuracy,
      test,
      trainMinutes: trainSec / 60,
      examplesPerSec: metrics.examplesPerSec,
      engine: result.engine,
      resumedFromEpoch: result.resumedFromEpoch,
      skipped: data.skipped,
    };
  } finally {
    model?.dispose();
    await data.close();
  }
}

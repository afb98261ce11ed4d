/**
 * The speech backbone that wake-word models start from: a keyword network (res8 on 40 log-mel
 * bins, 30 ms / 10 ms) trained by keyspot itself on real speech whose licence allows
 * redistribution (Speech Commands, CC BY 4.0: every word of the folder is a class), shipped in
 * `models/backbone/` with its provenance and licences in `metadata.json`. Its convolutions end in
 * global average pooling, so they apply to any window length: a wake-word model of any window
 * takes every layer but the classifier from it ({@link loadBackboneInto}).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tfTypes from '@tensorflow/tfjs';
import { indexSpeechCommands } from '../data/speech-commands.ts';
import { DatasetError } from '../errors.ts';
import { loadModelDir, type ModelMetadata } from '../export/model-dir.ts';
import { trainKws, type TrainKwsResult } from '../kws/train-kws.ts';
import type { ProgressMode, TrainProgress } from '../train/progress.ts';

/** The shipped backbone folder (inside the package). */
export const DEFAULT_BACKBONE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'backbone');

/** Epochs of `keyspot train backbone` (the shipped backbone's run). */
export const DEFAULT_BACKBONE_EPOCHS = 80;

/** Provenance entry of one data source (saved in metadata.json `provenance.data`). */
export interface DataProvenance {
  /** What it is. */
  name: string;
  /** Licence name. */
  licence: string;
  /** Where the licence text is or comes from. */
  licenceSource: string;
  /** How it was used. */
  use: string;
  /** Files or clips used. */
  files?: number;
}

/** The Speech Commands provenance entry. */
export const SPEECH_COMMANDS_PROVENANCE: Readonly<Omit<DataProvenance, 'use'>> = Object.freeze({
  name: 'Speech Commands (Warden 2018), a speaker subset',
  licence: 'CC BY 4.0',
  licenceSource: 'https://creativecommons.org/licenses/by/4.0/ (the dataset folder\'s LICENSE / SOURCE-LICENSE)',
});

/** Options of {@link trainBackbone}. */
export interface TrainBackboneOptions {
  /** Speech Commands layout folder of real speech (every word folder becomes a class). */
  dataDir: string;
  /** Model folder to write. @default 'models/backbone' */
  outDir?: string;
  /** Epochs. @default 80 */
  epochs?: number;
  /** Seed. @default 1 */
  seed?: number;
  /** Progress display. @default 'none' */
  progress?: ProgressMode | TrainProgress;
  /** Checkpoint folder and resume (see trainKws). */
  checkpointDir?: string;
  resume?: boolean;
}

/**
 * Trains the backbone: `trainKws` on every word of `dataDir` with the default keyword recipe
 * and records the provenance of the data in the metadata.
 * @throws DatasetError when the folder has fewer than 2 word folders
 */
export async function trainBackbone(options: TrainBackboneOptions): Promise<TrainKwsResult> {
  const { dataDir, outDir = 'models/backbone', epochs = DEFAULT_BACKBONE_EPOCHS, seed = 1, progress = 'none', checkpointDir, resume } = options;
  const index = indexSpeechCommands(dataDir);
  if (index.words.length < 2) throw new DatasetError(`${dataDir}: a backbone needs at least 2 word folders, found ${index.words.length}`);
  const licenceFile = ['LICENSE', 'LICENSE.txt', 'SOURCE-LICENSE'].map((n) => path.join(dataDir, n)).find((f) => fs.existsSync(f));
  const provenance = {
    purpose: 'speech backbone for keyspot wake-word models (every layer but the classifier is reused)',
    data: [{ ...SPEECH_COMMANDS_PROVENANCE, use: `training and validation splits of ${path.basename(path.resolve(dataDir))}: ${index.words.length} words`, files: index.clips.filter((c) => c.split !== 'testing').length, ...(licenceFile ? { licenceFile: path.basename(licenceFile) } : {}) }],
    reproduce: `keyspot train backbone --data ${path.basename(path.resolve(dataDir))} --epochs ${epochs} --seed ${seed}`,
  };
  return trainKws({
    dataDir,
    words: index.words,
    outDir,
    seed,
    progress,
    recipe: { epochs, unknownPercentage: 0 },
    checkpointDir,
    resume,
    extraMetadata: { provenance },
  } as Parameters<typeof trainKws>[0]);
}

/** What {@link loadBackboneInto} copied. */
export interface BackboneTransfer {
  /** Backbone folder. */
  dir: string;
  /** Layers whose weights were copied. */
  layers: number;
  /** Weight tensors copied. */
  weights: number;
  /** The backbone's metadata (provenance). */
  metadata: ModelMetadata;
}

/**
 * Copies the backbone's weights into `model`, layer by layer in order, for every layer before
 * the classifier (the last layer with weights). The two models must have the same layer types
 * and weight shapes up to there (the same architecture; the window length may differ).
 * @throws DatasetError naming the backbone folder when the architectures differ
 */
export async function loadBackboneInto(model: tfTypes.LayersModel, dir: string = DEFAULT_BACKBONE_DIR): Promise<BackboneTransfer> {
  const { model: backbone, metadata } = await loadModelDir(dir);
  try {
    const withWeights = (m: tfTypes.LayersModel) => m.layers.filter((l) => l.getWeights().length > 0);
    const src = withWeights(backbone);
    const dst = withWeights(model);
    if (src.length !== dst.length) throw new DatasetError(`${dir}: backbone has ${src.length} layers with weights, the model ${dst.length}: not the same architecture (backbone ${String(metadata.modelName)})`);
    let weights = 0;
    for (let i = 0; i < src.length - 1; i++) {
      const a = src[i]!;
      const b = dst[i]!;
      const wa = a.getWeights();
      const wb = b.getWeights();
      if (a.getClassName() !== b.getClassName() || wa.length !== wb.length || wa.some((w, k) => w.shape.join('x') !== wb[k]!.shape.join('x'))) {
        throw new DatasetError(`${dir}: layer ${i} of the backbone (${a.getClassName()} ${wa.map((w) => w.shape.join('x')).join(',')}) does not match the model's (${b.getClassName()} ${wb.map((w) => w.shape.join('x')).join(',')})`);
      }
      b.setWeights(wa);
      weights += wa.length;
    }
    return { dir, layers: src.length - 1, weights, metadata };
  } finally {
    backbone.dispose();
  }
}

/**
 * Model folders: `model.json` + `weights.bin` (the TensorFlow.js layers format, loadable with
 * `tf.loadLayersModel` in Node and the browser) and `metadata.json` (labels, input settings,
 * metrics, keyspot version), written atomically with our own IOHandler (tfjs-node's `file://`
 * handler writes in place).
 *
 *   saveModelDir(dir: string, model: LayersModel, metadata: ModelMetadataInput): Promise<ModelMetadata>
 *   loadModelDir(dir: string): Promise<{ model: LayersModel; metadata: ModelMetadata }>
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { DatasetError } from '../errors.ts';
import type { ModelOptions } from '../models/options.ts';
import { VERSION } from '../version.ts';
import { writeDirAtomic, writeFileSynced } from './atomic-write.ts';

/** File names inside a model folder. */
export const MODEL_JSON_FILE = 'model.json';
/** Weights file (all weights in one shard). */
export const WEIGHTS_FILE = 'weights.bin';
/** Metadata file. */
export const METADATA_FILE = 'metadata.json';

/**
 * What `metadata.json` holds (given to {@link saveModelDir}). Open: other modules add their own fields (the keyword trainer adds
 * its feature settings); unknown fields are kept on load.
 */
export interface ModelMetadataInput {
  /** keyspot version that saved the model (filled in by {@link saveModelDir}). */
  keyspotVersion?: string;
  /** ISO time of saving (filled in by {@link saveModelDir}). */
  savedAt?: string;
  /** Class names in output order. */
  labels: string[];
  /** Shape of one input example, [height, width, channels]. */
  inputShape: [number, number, number];
  /** Registry architecture name, when built from the registry. */
  modelName?: string;
  /** Model options it was built with. */
  modelOptions?: ModelOptions;
  /** How raw input becomes the model input (image scaling, or keyword feature settings). */
  input?: Record<string, unknown>;
  /** Final metrics (e.g. `valAccuracy`, `testAccuracy`). */
  metrics?: Record<string, number>;
  /** Anything else a caller records. */
  [extra: string]: unknown;
}

/** Metadata as stored: version and time always set. */
export interface ModelMetadata extends ModelMetadataInput {
  keyspotVersion: string;
  savedAt: string;
}

function concatWeightData(data: tfTypes.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const tf = getTf();
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/**
 * An IOHandler that writes `model.json` and `weights.bin` into folder `dir` (which must exist).
 * Use with `model.save(modelDirWriter(dir))`; {@link saveModelDir} wraps it atomically.
 */
export function modelDirWriter(dir: string): tfTypes.io.IOHandler {
  return {
    save: async (artifacts: tfTypes.io.ModelArtifacts): Promise<tfTypes.io.SaveResult> => {
      const tf = getTf();
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('modelDirWriter: binary topologies are not supported');
      const weights = concatWeightData(artifacts.weightData);
      const modelJson: tfTypes.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: `keyspot ${VERSION}`,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      await writeFileSynced(path.join(dir, WEIGHTS_FILE), weights);
      await writeFileSynced(path.join(dir, MODEL_JSON_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/**
 * Saves `model` and its metadata into folder `dir`, atomically (temporary folder, then rename).
 * In an existing folder the three model files are replaced and other files (report, metrics,
 * checkpoints) are kept.
 * @returns the metadata as written (with `keyspotVersion` and `savedAt`)
 */
export async function saveModelDir(dir: string, model: tfTypes.LayersModel, metadata: ModelMetadataInput): Promise<ModelMetadata> {
  const full: ModelMetadata = { ...metadata, keyspotVersion: metadata.keyspotVersion ?? VERSION, savedAt: metadata.savedAt ?? new Date().toISOString() };
  const units = model.outputs[0]?.shape.at(-1);
  if (typeof units === 'number' && units !== full.labels.length) {
    throw new DatasetError(`${dir}: metadata has ${full.labels.length} labels but the model has ${units} outputs`);
  }
  await writeDirAtomic(dir, async (tmp) => {
    await model.save(modelDirWriter(tmp));
    await writeFileSynced(path.join(tmp, METADATA_FILE), `${JSON.stringify(full, null, 2)}\n`);
  }, { keepOtherEntries: true });
  return full;
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(`${file}: cannot read the ${what} (${code ?? String(err)}); is ${path.dirname(file)} a keyspot model folder?`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DatasetError(`${file}: the ${what} is not valid JSON (${(err as Error).message})`);
  }
}

/** Reads and checks `metadata.json` of a model folder. */
export async function readModelMetadata(dir: string): Promise<ModelMetadata> {
  const file = path.join(dir, METADATA_FILE);
  const meta = await readJson(file, 'metadata') as Partial<ModelMetadata>;
  if (!meta || !Array.isArray(meta.labels) || !meta.labels.every((l) => typeof l === 'string')) {
    throw new DatasetError(`${file}: "labels" must be an array of strings`);
  }
  if (!Array.isArray(meta.inputShape) || meta.inputShape.length !== 3) {
    throw new DatasetError(`${file}: "inputShape" must be [height, width, channels]`);
  }
  return meta as ModelMetadata;
}

/**
 * Loads a model folder written by {@link saveModelDir}.
 * @throws DatasetError naming the file when something is missing or inconsistent
 */
export async function loadModelDir(dir: string): Promise<{ model: tfTypes.LayersModel; metadata: ModelMetadata }> {
  const tf = getTf();
  const metadata = await readModelMetadata(dir);
  const jsonFile = path.join(dir, MODEL_JSON_FILE);
  const modelJson = await readJson(jsonFile, 'model topology') as tfTypes.io.ModelJSON;
  if (!modelJson || typeof modelJson.modelTopology !== 'object' || !Array.isArray(modelJson.weightsManifest)) {
    throw new DatasetError(`${jsonFile}: not a TensorFlow.js layers model (needs modelTopology and weightsManifest)`);
  }
  const specs: tfTypes.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = path.join(dir, p);
      try {
        buffers.push(await fs.readFile(file));
      } catch (err) {
        throw new DatasetError(`${file}: cannot read the weights (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.byteLength;
  }
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
  }));
  const units = model.outputs[0]?.shape.at(-1);
  if (typeof units === 'number' && units !== metadata.labels.length) {
    model.dispose();
    throw new DatasetError(`${path.join(dir, METADATA_FILE)}: ${metadata.labels.length} labels but the model has ${units} outputs`);
  }
  return { model, metadata };
}

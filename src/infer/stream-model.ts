/**
 * Loads a keyword model folder for streaming: the tfjs model, its labels and the feature
 * settings saved in `metadata.json` (so the stream is featurized exactly as in training).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { loadModelDir, type ModelMetadata } from '../export/model-dir.ts';
import { keywordFeatureSettings } from '../kws/keyword-input.ts';
import type { FeatureSettings } from '../features/settings.ts';
import type { StreamModelInfo } from './stream.ts';

/** A model folder loaded for streaming. */
export interface LoadedStreamModel extends StreamModelInfo {
  model: tfTypes.LayersModel;
  labels: string[];
  featureSettings: FeatureSettings;
  metadata: ModelMetadata;
}

/**
 * Loads model folder `dir` (written by `saveModelDir`, a keyword model).
 * @throws DatasetError naming the file when the folder is incomplete or not a keyword model
 */
export async function loadStreamModel(dir: string): Promise<LoadedStreamModel> {
  const { model, metadata } = await loadModelDir(dir);
  try {
    return { model, metadata, labels: metadata.labels, featureSettings: keywordFeatureSettings(metadata, dir) };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

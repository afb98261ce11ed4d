/**
 * Keyword recognizer: loads a keyword model folder and classifies clips at any sample rate,
 * resampling to the saved rate, padding or trimming to the saved clip length (at the end, as in
 * training) and computing exactly the saved features before running the model.
 *
 * @example
 * ```ts
 * const rec = await loadRecognizer('models/kws');
 * const { label, score } = rec.classify(await readWav('yes.wav'));
 * rec.dispose();
 * ```
 */
import { toSampleRate } from '../audio/resample.ts';
import { padOrTrim } from '../augment/audio.ts';
import { getTf } from '../backend.ts';
import { ConfigError } from '../errors.ts';
import { loadModelDir, type ModelMetadata } from '../export/model-dir.ts';
import { createFeaturizer, type Featurizer } from '../features/featurizer.ts';
import type { FeatureSettings } from '../features/settings.ts';
import { keywordFeatureSettings } from '../kws/keyword-input.ts';
import type { AudioClip } from '../types.ts';
import type * as tfTypes from '@tensorflow/tfjs';

/** Result of classifying one clip. */
export interface Classification {
  /** Label with the highest probability. */
  label: string;
  /** Its probability, in [0, 1]. */
  score: number;
  /** Probability of every label, in label order (sums to 1). */
  scores: Float32Array;
}

/** A label and its probability. */
export interface LabelScore {
  label: string;
  score: number;
}

/** A loaded keyword model. */
export interface Recognizer {
  /** Labels in output order. */
  readonly labels: readonly string[];
  /** Feature settings the model was trained on (every size derived). */
  readonly settings: FeatureSettings;
  /** The model folder's metadata. */
  readonly metadata: ModelMetadata;
  /** The tfjs layers model (owned by the recognizer; freed by {@link Recognizer.dispose}). */
  readonly model: tfTypes.LayersModel;
  /**
   * Classifies one clip.
   * @param clip an {@link AudioClip}, or bare mono samples in [-1, 1] at `sampleRateHz`
   * @param sampleRateHz rate of bare samples, Hz @default settings.sampleRateHz
   * @throws ConfigError for empty audio or a bad rate
   */
  classify(clip: AudioClip | Float32Array, sampleRateHz?: number): Classification;
  /** Classifies several clips in batches (faster than one by one); results in input order. */
  classifyMany(clips: readonly (AudioClip | Float32Array)[], sampleRateHz?: number, batchSize?: number): Classification[];
  /** Probabilities of a feature batch (`n * numFrames * numBins` values, see `computeBatch`), example-major. */
  predictFeatures(features: Float32Array, n: number): Float32Array;
  /** The features of one clip as the model sees them (`numFrames * numBins`, frames-major). */
  features(clip: AudioClip | Float32Array, sampleRateHz?: number): Float32Array;
  /** Frees the model's tensors. */
  dispose(): void;
}

/** Default number of clips per model call in {@link Recognizer.classifyMany}. */
export const DEFAULT_CLASSIFY_BATCH = 64;

/** The `k` most probable labels of a classification, best first. */
export function topK(labels: readonly string[], scores: Float32Array, k: number): LabelScore[] {
  return Array.from(scores, (score, i) => ({ label: labels[i]!, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(0, k));
}

/**
 * Wraps a loaded model and its feature settings as a {@link Recognizer} (what
 * {@link loadRecognizer} returns; also usable right after training, in process).
 */
export function createRecognizer(model: tfTypes.LayersModel, metadata: ModelMetadata, settings: FeatureSettings): Recognizer {
  const featurizer: Featurizer = createFeaturizer(settings);
  const labels = metadata.labels;
  const perExample = settings.numFrames * settings.numBins;
  const clipBuf = new Float32Array(settings.samplesPerClip);

  const toClip = (clip: AudioClip | Float32Array, sampleRateHz?: number): AudioClip => {
    const c: AudioClip = clip instanceof Float32Array ? { samples: clip, sampleRateHz: sampleRateHz ?? settings.sampleRateHz } : clip;
    if (!(c.samples instanceof Float32Array) || c.samples.length === 0) throw new ConfigError('clip', 'non-empty Float32Array samples', c.samples?.length ?? c.samples);
    if (!Number.isFinite(c.sampleRateHz) || c.sampleRateHz <= 0) throw new ConfigError('sampleRateHz', 'a number > 0', c.sampleRateHz);
    return c;
  };
  const featuresInto = (clip: AudioClip | Float32Array, sampleRateHz: number | undefined, out: Float32Array, offset: number): void => {
    const atRate = toSampleRate(toClip(clip, sampleRateHz), settings.sampleRateHz);
    padOrTrim(atRate.samples, settings.samplesPerClip, clipBuf);
    featurizer.computeInto(clipBuf, out, offset);
  };
  const predictFeatures = (features: Float32Array, n: number): Float32Array => {
    if (features.length !== n * perExample) throw new ConfigError('features', `${n} x ${perExample} values`, features.length);
    const tf = getTf();
    return tf.tidy(() => {
      const x = tf.tensor4d(features, [n, settings.numFrames, settings.numBins, 1]);
      return (model.predict(x) as tfTypes.Tensor).dataSync() as Float32Array;
    });
  };
  const toResult = (scores: Float32Array): Classification => {
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
    return { label: labels[best]!, score: scores[best]!, scores };
  };
  return {
    labels,
    settings,
    metadata,
    model,
    features(clip, sampleRateHz) {
      const out = new Float32Array(perExample);
      featuresInto(clip, sampleRateHz, out, 0);
      return out;
    },
    predictFeatures,
    classify(clip, sampleRateHz) {
      const x = new Float32Array(perExample);
      featuresInto(clip, sampleRateHz, x, 0);
      return toResult(predictFeatures(x, 1));
    },
    classifyMany(clips, sampleRateHz, batchSize = DEFAULT_CLASSIFY_BATCH) {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batchSize', 'an integer >= 1', batchSize);
      const results: Classification[] = [];
      const k = labels.length;
      for (let start = 0; start < clips.length; start += batchSize) {
        const n = Math.min(batchSize, clips.length - start);
        const x = new Float32Array(n * perExample);
        for (let i = 0; i < n; i++) featuresInto(clips[start + i]!, sampleRateHz, x, i * perExample);
        const probs = predictFeatures(x, n);
        for (let i = 0; i < n; i++) results.push(toResult(probs.slice(i * k, (i + 1) * k)));
      }
      return results;
    },
    dispose() {
      model.dispose();
    },
  };
}

/**
 * Loads a keyword model folder (`model.json`, `weights.bin`, `metadata.json` with the feature settings).
 * @throws DatasetError naming the file when the folder is missing, incomplete or not a keyword model
 */
export async function loadRecognizer(dir: string): Promise<Recognizer> {
  const { model, metadata } = await loadModelDir(dir);
  let settings: FeatureSettings;
  try {
    settings = keywordFeatureSettings(metadata, dir);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return createRecognizer(model, metadata, settings);
}

/**
 * The keyword-model entry of a model folder's `metadata.json` (`input` field): the full feature
 * settings the model was trained on, so inference and evaluation recompute exactly those features.
 */
import path from 'node:path';
import { DatasetError } from '../errors.ts';
import { METADATA_FILE, type ModelMetadata, type ModelMetadataInput } from '../export/model-dir.ts';
import { deriveFeatureSettings, type FeatureSettings } from '../features/settings.ts';

/** Value of `metadata.input.kind` for keyword (audio) models. */
export const KEYWORD_INPUT_KIND = 'keyword-audio';

/** `metadata.input` of a keyword model. */
export interface KeywordInput {
  /** Always {@link KEYWORD_INPUT_KIND}. */
  kind: typeof KEYWORD_INPUT_KIND;
  /** Every feature option and derived size (see `deriveFeatureSettings`). */
  features: FeatureSettings;
  /** Sample rate clips are resampled to, Hz (= `features.sampleRateHz`, repeated for readers). */
  sampleRateHz: number;
  /** Clip length the model sees, ms (= `features.clipDurationMs`). */
  clipDurationMs: number;
  /** Samples per clip at `sampleRateHz`. */
  samplesPerClip: number;
}

/** The `metadata.input` entry of a keyword model trained on features `settings`. */
export function keywordInput(settings: FeatureSettings): KeywordInput {
  return {
    kind: KEYWORD_INPUT_KIND,
    features: settings,
    sampleRateHz: settings.sampleRateHz,
    clipDurationMs: settings.clipDurationMs,
    samplesPerClip: settings.samplesPerClip,
  };
}

/** True when the metadata describes a keyword model (its `input.kind` is {@link KEYWORD_INPUT_KIND}). */
export function isKeywordModel(metadata: Pick<ModelMetadataInput, 'input'>): boolean {
  return (metadata.input as { kind?: unknown } | undefined)?.kind === KEYWORD_INPUT_KIND;
}

/**
 * The feature settings saved in a keyword model's metadata, re-derived and checked against the
 * model's input shape.
 * @param dir model folder (for error messages)
 * @throws DatasetError naming `metadata.json` when the entry is missing or does not match `inputShape`
 */
export function keywordFeatureSettings(metadata: ModelMetadata, dir = '.'): FeatureSettings {
  const file = path.join(dir, METADATA_FILE);
  if (!isKeywordModel(metadata)) {
    throw new DatasetError(`${file}: not a keyword model (input.kind must be "${KEYWORD_INPUT_KIND}", got ${JSON.stringify((metadata.input as { kind?: unknown } | undefined)?.kind ?? null)})`);
  }
  const saved = (metadata.input as unknown as KeywordInput).features;
  let settings: FeatureSettings;
  try {
    settings = deriveFeatureSettings(saved);
  } catch (err) {
    throw new DatasetError(`${file}: invalid input.features: ${(err as Error).message}`);
  }
  const [h, w, c] = metadata.inputShape;
  const [eh, ew, ec] = settings.exampleShape;
  if (h !== eh || w !== ew || c !== ec) {
    throw new DatasetError(`${file}: input.features give examples of shape [${eh}, ${ew}, ${ec}] but inputShape is [${h}, ${w}, ${c}]`);
  }
  return settings;
}

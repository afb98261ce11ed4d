/**
 * Features of one audio file (WAV or FLAC; FLAC needs `initAudioDecoders()` first): decode, resample to the feature rate, log-mel or MFCC over the whole
 * file (the library side of `keyspot features`).
 */
import { toSampleRate } from '../audio/resample.ts';
import { readAudioSync } from '../audio/read-audio.ts';
import type { FeatureMatrix } from '../audio/log-mel.ts';
import { AudioFormatError } from '../errors.ts';
import { createFeaturizer } from './featurizer.ts';
import { deriveFeatureSettings, numFramesFor, type FeatureOptions, type FeatureSettings } from './settings.ts';

/** Result of {@link computeFileFeatures}. */
export interface FileFeatures extends FeatureMatrix {
  file: string;
  /** Sample rate of the file, Hz. */
  sourceSampleRateHz: number;
  /** Duration after resampling, seconds. */
  durationSec: number;
  /** The settings used (`clipDurationMs` = the file's duration). */
  settings: FeatureSettings;
}

/**
 * Reads `file`, resamples it to `options.sampleRateHz` and computes features over its whole length.
 * @throws AudioFormatError (WavFormatError, FlacFormatError) for an unreadable file or one shorter
 *   than one analysis frame;
 *   ConfigError for invalid options
 */
export function computeFileFeatures(file: string, options: Partial<FeatureOptions> = {}): FileFeatures {
  const base = deriveFeatureSettings(options); // validates the options before any work
  const source = readAudioSync(file);
  const clip = toSampleRate(source, base.sampleRateHz);
  if (numFramesFor(clip.samples.length, base) < 1) {
    throw new AudioFormatError(
      `too short for one frame: ${clip.samples.length} samples at ${base.sampleRateHz} Hz, a frame needs ${base.windowSamples}`,
      file,
    );
  }
  const durationMs = (clip.samples.length / clip.sampleRateHz) * 1000;
  const settings = deriveFeatureSettings({ ...options, clipDurationMs: durationMs });
  const matrix = createFeaturizer(settings).compute(clip.samples);
  return { file, sourceSampleRateHz: source.sampleRateHz, durationSec: durationMs / 1000, settings, ...matrix };
}

/** Frames-major rows of a matrix as nested arrays (for JSON output). */
export function toRows(m: FeatureMatrix): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < m.numFrames; t++) rows.push(Array.from(m.data.subarray(t * m.numBins, (t + 1) * m.numBins)));
  return rows;
}

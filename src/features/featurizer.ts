/**
 * The feature extractor a model uses: log-mel, or MFCC when `settings.mfcc > 0`.
 */
import { LogMel, type FeatureMatrix, type Featurizer } from '../audio/log-mel.ts';
import { Mfcc } from '../audio/mfcc.ts';
import { deriveFeatureSettings, type FeatureOptions, type FeatureSettings } from './settings.ts';

export type { Featurizer, FeatureMatrix };

/**
 * Builds the extractor for a settings object (or options): {@link Mfcc} when `mfcc > 0`,
 * else {@link LogMel}. Its `numFrames x numBins` equal `settings.numFrames x settings.numBins`.
 * @throws ConfigError for invalid settings
 */
export function createFeaturizer(settingsOrOptions: FeatureSettings | Partial<FeatureOptions> = {}): Featurizer {
  const settings = deriveFeatureSettings(settingsOrOptions);
  return settings.mfcc > 0 ? new Mfcc(settings) : new LogMel(settings);
}

/**
 * Features of several clips (each exactly `settings.samplesPerClip` samples) in one
 * example-major array of `clips.length * numFrames * numBins` values.
 * @param out optional destination (allocated when omitted)
 */
export function computeBatch(featurizer: Featurizer, clips: readonly Float32Array[], out?: Float32Array): Float32Array {
  const per = featurizer.numFrames * featurizer.numBins;
  const dest = out ?? new Float32Array(clips.length * per);
  clips.forEach((clip, i) => featurizer.computeInto(clip, dest, i * per));
  return dest;
}

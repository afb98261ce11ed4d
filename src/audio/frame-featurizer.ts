/**
 * Base of the frame-by-frame feature extractors (LogMel, Mfcc): the whole-signal and one-clip
 * entry points, written once over each extractor's own `computeFrames`.
 */
import { ConfigError } from '../errors.ts';
import type { FeatureSettings } from '../features/settings.ts';
import type { FeatureMatrix, Featurizer } from './log-mel.ts';

/** A {@link Featurizer} that computes frame by frame. */
export abstract class FrameFeaturizer implements Featurizer {
  abstract readonly settings: FeatureSettings;
  abstract readonly numFrames: number;
  abstract readonly numBins: number;

  /** Frames produced for a signal of `numSamples` samples. */
  abstract numFramesFor(numSamples: number): number;

  /** Writes `numFrames` frames (`numBins` values each) of `samples` into `out` at `offset`. */
  abstract computeFrames(samples: Float32Array, out: Float32Array | Float64Array, offset: number, numFrames: number): void;

  /** Features of a signal of any length; `numFrames` follows from its length. */
  compute(samples: Float32Array): FeatureMatrix {
    const numFrames = this.numFramesFor(samples.length);
    const data = new Float32Array(numFrames * this.numBins);
    this.computeFrames(samples, data, 0, numFrames);
    return { data, numFrames, numBins: this.numBins };
  }

  /**
   * Writes one clip's `numFrames * numBins` values into `out` at `offset` (no allocation).
   * @throws ConfigError when `samples.length !== settings.samplesPerClip` or `out` is too short
   */
  computeInto(samples: Float32Array, out: Float32Array, offset: number): void {
    if (samples.length !== this.settings.samplesPerClip) {
      throw new ConfigError('samples.length', `settings.samplesPerClip = ${this.settings.samplesPerClip} (pad or trim clips first)`, samples.length);
    }
    const need = this.numFrames * this.numBins;
    if (!Number.isInteger(offset) || offset < 0 || offset + need > out.length) {
      throw new ConfigError('offset', `an integer with offset + ${need} <= out.length = ${out.length}`, offset);
    }
    this.computeFrames(samples, out, offset, this.numFrames);
  }
}

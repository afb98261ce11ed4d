/**
 * MFCC: the orthonormal DCT-II of the log-mel spectrogram (`scipy.fft.dct(type=2, norm='ortho')`,
 * as `librosa.feature.mfcc` applies it), keeping the first `mfcc` coefficients.
 * Note: `tf.signal.mfccs_from_log_mel_spectrograms` scales every coefficient by sqrt(2/N), so its
 * coefficient 0 is sqrt(2) times ours; the others are equal.
 */
import { ConfigError } from '../errors.ts';
import type { FeatureOptions, FeatureSettings } from '../features/settings.ts';
import { FrameFeaturizer } from './frame-featurizer.ts';
import { LogMel, toFeatureSettings } from './log-mel.ts';

/**
 * Orthonormal DCT-II matrix, row-major `numCoefficients x n`:
 * `C[k][i] = s_k cos(pi k (2i + 1) / (2n))`, `s_0 = sqrt(1/n)`, `s_k = sqrt(2/n)`.
 */
export function dctMatrix(numCoefficients: number, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError('n', 'an integer >= 1', n);
  if (!Number.isInteger(numCoefficients) || numCoefficients < 1 || numCoefficients > n) {
    throw new ConfigError('numCoefficients', `an integer in [1, ${n}]`, numCoefficients);
  }
  const c = new Float64Array(numCoefficients * n);
  for (let k = 0; k < numCoefficients; k++) {
    const s = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) c[k * n + i] = s * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
  }
  return c;
}

/**
 * MFCC extractor: log-mel (with all its settings) then the orthonormal DCT-II; `settings.mfcc`
 * coefficients per frame.
 * @throws ConfigError when `settings.mfcc` is 0
 */
export class Mfcc extends FrameFeaturizer {
  readonly settings: FeatureSettings;
  readonly numFrames: number;
  readonly numBins: number;
  /** The underlying log-mel extractor. */
  readonly logMel: LogMel;
  private readonly dct: Float64Array;
  private readonly melFrame: Float64Array;

  constructor(settingsOrOptions: FeatureSettings | Partial<FeatureOptions> = {}) {
    super();
    const s = toFeatureSettings(settingsOrOptions);
    if (s.mfcc < 1) throw new ConfigError('mfcc', `an integer in [1, nMels=${s.nMels}] for MFCC features`, s.mfcc);
    this.settings = s;
    this.logMel = new LogMel(s);
    this.numFrames = this.logMel.numFrames;
    this.numBins = s.mfcc;
    this.dct = dctMatrix(s.mfcc, s.nMels);
    this.melFrame = new Float64Array(s.nMels);
  }

  numFramesFor(numSamples: number): number {
    return this.logMel.numFramesFor(numSamples);
  }

  /** Writes `numFrames` frames of MFCCs into `out` at `offset`. */
  computeFrames(samples: Float32Array, out: Float32Array | Float64Array, offset: number, numFrames: number): void {
    const nMels = this.settings.nMels;
    const nCoef = this.numBins;
    const { dct, melFrame } = this;
    // Log-mel frame by frame into a float64 scratch row, then the DCT.
    for (let t = 0; t < numFrames; t++) {
      this.logMel.computeFrameAt(samples, t, melFrame);
      const base = offset + t * nCoef;
      for (let k = 0; k < nCoef; k++) {
        let acc = 0;
        const row = k * nMels;
        for (let i = 0; i < nMels; i++) acc += dct[row + i]! * melFrame[i]!;
        out[base + k] = acc;
      }
    }
  }
}

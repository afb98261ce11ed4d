/**
 * Log-mel spectrogram: periodic Hann window, zero-padded real FFT (`RealFft`), |X|^power, mel filter
 * bank, then ln(x + logOffset) (or dB). The class builds the window, FFT plan and filter bank once;
 * `compute`/`computeInto` then run without allocating (except the result of `compute`).
 * Internal arithmetic is float64; results are float32, frames-major.
 */
import { ConfigError } from '../errors.ts';
import { deriveFeatureSettings, numFramesFor, type FeatureOptions, type FeatureSettings } from '../features/settings.ts';
import { melFilterBank, type MelFilterBank } from './mel.ts';
import { FrameFeaturizer } from './frame-featurizer.ts';
import { RealFft } from './real-fft.ts';

/** A feature matrix, frames-major: value (frame t, bin b) at `data[t * numBins + b]`. */
export interface FeatureMatrix {
  data: Float32Array;
  numFrames: number;
  numBins: number;
}

/** What every feature extractor offers (log-mel, MFCC); see `createFeaturizer`. */
export interface Featurizer {
  /** The settings the extractor was built from (every size derived). */
  readonly settings: FeatureSettings;
  /** Frames of one clip of `settings.samplesPerClip` samples. */
  readonly numFrames: number;
  /** Values per frame. */
  readonly numBins: number;
  /** Frames produced for a signal of `numSamples` samples (0 when shorter than one window without centring). */
  numFramesFor(numSamples: number): number;
  /** Features of a signal of any length (at `settings.sampleRateHz`). */
  compute(samples: Float32Array): FeatureMatrix;
  /**
   * Writes the `numFrames * numBins` features of one clip into `out` starting at `offset`,
   * without allocating.
   * @throws ConfigError when `samples.length !== settings.samplesPerClip` or `out` is too short
   */
  computeInto(samples: Float32Array, out: Float32Array, offset: number): void;
}

/** Periodic Hann window of length n: `0.5 - 0.5 cos(2 pi i / n)` (scipy `hann(n, sym=False)`, `tf.signal.hann_window(periodic=True)`). */
export function periodicHann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** Resolves a settings object or options to validated settings (a saved settings object is re-derived). */
export function toFeatureSettings(settingsOrOptions: FeatureSettings | Partial<FeatureOptions> = {}): FeatureSettings {
  return deriveFeatureSettings(settingsOrOptions);
}

/**
 * Log-mel spectrogram extractor. Always produces `nMels` log-mel values per frame (it ignores
 * `settings.mfcc`; use `createFeaturizer` or `Mfcc` for cepstra).
 * @example
 * const logMel = new LogMel({ sampleRateHz: 16000 });
 * const { data, numFrames, numBins } = logMel.compute(clip.samples); // 98 x 40 for 1 s
 */
export class LogMel extends FrameFeaturizer {
  readonly settings: FeatureSettings;
  readonly numFrames: number;
  readonly numBins: number;
  /** The mel filter bank in use. */
  readonly filterBank: MelFilterBank;
  /** The analysis window (periodic Hann, `windowSamples` long). */
  readonly window: Float64Array;
  /** The window zero-padded to nFft. */
  private readonly paddedWindow: Float64Array;
  private readonly fft: RealFft;
  private readonly frame: Float64Array;
  private readonly powerSpec: Float64Array;
  private readonly melValues: Float64Array;
  private readonly padLeft: number;
  private readonly logScale: number;
  /** Flattened non-zero filter weights and per-band offsets into them. */
  private readonly bandWeights: Float64Array;
  private readonly bandOffset: Int32Array;

  /** @param settingsOrOptions derived settings or options (validated with `deriveFeatureSettings`) */
  constructor(settingsOrOptions: FeatureSettings | Partial<FeatureOptions> = {}) {
    super();
    const s = toFeatureSettings(settingsOrOptions);
    this.settings = s;
    this.numFrames = numFramesFor(s.samplesPerClip, s);
    this.numBins = s.nMels;
    this.window = periodicHann(s.windowSamples);
    this.paddedWindow = new Float64Array(s.nFft);
    this.paddedWindow.set(this.window);
    this.fft = new RealFft(s.nFft);
    this.frame = new Float64Array(s.nFft);
    this.powerSpec = new Float64Array(s.numFftBins);
    this.melValues = new Float64Array(s.nMels);
    // Centring as librosa: pad nFft/2 zeros, the window sits in the middle of each nFft frame.
    this.padLeft = s.center ? Math.floor(s.nFft / 2) - Math.floor((s.nFft - s.windowSamples) / 2) : 0;
    this.logScale = s.logScale === 'db' ? 10 / Math.LN10 : 1;
    this.filterBank = melFilterBank(s);
    const { weights, start, end, numFftBins } = this.filterBank;
    this.bandOffset = new Int32Array(s.nMels + 1);
    for (let m = 0; m < s.nMels; m++) this.bandOffset[m + 1] = this.bandOffset[m]! + end[m]! - start[m]!;
    this.bandWeights = new Float64Array(this.bandOffset[s.nMels]!);
    for (let m = 0; m < s.nMels; m++) {
      for (let k = start[m]!; k < end[m]!; k++) this.bandWeights[this.bandOffset[m]! + k - start[m]!] = weights[m * numFftBins + k]!;
    }
  }

  /** Frames for a signal of `numSamples` samples. */
  numFramesFor(numSamples: number): number {
    return numFramesFor(numSamples, this.settings);
  }

  /**
   * Writes `numFrames` frames of log-mel values into `out` at `offset`; with `raw`, the mel
   * power (or magnitude, for `power` 1) before the log.
   */
  computeFrames(samples: Float32Array, out: Float32Array | Float64Array, offset: number, numFrames: number, raw = false): void {
    const { nMels, logOffset } = this.settings;
    const { melValues, logScale } = this;
    for (let t = 0; t < numFrames; t++) {
      this.melFrame(samples, t);
      const base = offset + t * nMels;
      if (raw) for (let m = 0; m < nMels; m++) out[base + m] = melValues[m]!;
      else for (let m = 0; m < nMels; m++) out[base + m] = Math.log(melValues[m]! + logOffset) * logScale;
    }
  }

  /** Writes the float64 log-mel values of frame `t` of `samples` into `out` (length >= nMels). */
  computeFrameAt(samples: Float32Array, t: number, out: Float64Array): void {
    const { nMels, logOffset } = this.settings;
    this.melFrame(samples, t);
    for (let m = 0; m < nMels; m++) out[m] = Math.log(this.melValues[m]! + logOffset) * this.logScale;
  }

  /** Mel power (or magnitude) of frame `t` into `this.melValues`. */
  private melFrame(samples: Float32Array, t: number): void {
    const { hopSamples, windowSamples, power, nMels, nFft } = this.settings;
    const { frame, powerSpec, window, paddedWindow, fft, bandWeights, bandOffset, padLeft, melValues } = this;
    const { start } = this.filterBank;
    const n = samples.length;
    const first = t * hopSamples - padLeft;
    if (first >= 0 && first + nFft <= n) {
      // Whole FFT frame inside the signal: window (zero-padded to nFft) applied while packing.
      fft.windowedPowerSpectrum(samples, first, paddedWindow, powerSpec, power);
    } else {
      for (let i = 0; i < windowSamples; i++) {
        const j = first + i;
        frame[i] = j >= 0 && j < n ? samples[j]! * window[i]! : 0;
      }
      fft.powerSpectrum(frame, powerSpec, power);
    }
    for (let m = 0; m < nMels; m++) {
      let acc = 0;
      const s = start[m]! - bandOffset[m]!;
      for (let j = bandOffset[m]!, e = bandOffset[m + 1]!; j < e; j++) acc += bandWeights[j]! * powerSpec[s + j]!;
      melValues[m] = acc;
    }
  }
}


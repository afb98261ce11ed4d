/**
 * Feature settings: the options of the audio front-end with documented defaults, and the one
 * function that derives every size from them ({@link deriveFeatureSettings}). The derived
 * object is plain JSON and is saved beside exported models, so inference recomputes exactly
 * the features a model was trained on.
 *
 * Defaults (keyword spotting, as TensorFlow's speech_commands example): 16 kHz, 1 s clips, 30 ms
 * periodic Hann window (480 samples) zero-padded to a 512-point FFT, 10 ms hop (160 samples), no
 * centring, so one clip gives 98 frames; 40 HTK mel bands from 20 Hz to the Nyquist frequency
 * (8 kHz) with triangles linear in Hz (librosa's filter bank), power spectrum, ln(mel + 1e-6).
 * The mel range goes to 8 kHz rather than TensorFlow's 4 kHz MFCC range because fricatives
 * ("six", "seven", "yes") carry energy above 4 kHz; `fMaxHz: 4000` restores TensorFlow's.
 * `melTriangleDomain: 'mel'` reproduces `tf.signal.linear_to_mel_weight_matrix` exactly.
 */
import { ConfigError } from '../errors.ts';
import type { ExampleShape } from '../types.ts';

/** Mel scale formula: `htk` (2595 log10(1 + f/700)) or `slaney` (linear below 1 kHz, log above; librosa's default). */
export type MelScale = 'htk' | 'slaney';
/** Mel filter normalisation: `none` (peak 1) or `slaney` (each triangle divided by its bandwidth: constant energy). */
export type MelNorm = 'none' | 'slaney';
/**
 * Where mel triangles are linear: `hz` (librosa, torchaudio: edges mel-spaced, slopes linear in Hz)
 * or `mel` (`tf.signal.linear_to_mel_weight_matrix`: slopes linear in mel, DC bin zeroed).
 */
export type MelTriangleDomain = 'hz' | 'mel';
/** Log applied to mel power: `natural` = ln(x + logOffset), `db` = 10 log10(x + logOffset). */
export type LogScale = 'natural' | 'db';

/** Options of the audio front-end (log-mel spectrogram, optional MFCC). */
export interface FeatureOptions {
  /** Sample rate the audio is resampled to before analysis, Hz. @default 16000 */
  sampleRateHz?: number;
  /** Duration of one example clip, ms (sets `samplesPerClip`). @default 1000 */
  clipDurationMs?: number;
  /** Analysis window length, ms (`windowSamples = floor(sampleRateHz * windowMs / 1000)`, as TensorFlow). @default 30 */
  windowMs?: number;
  /** Hop between frames, ms (`hopSamples = floor(sampleRateHz * strideMs / 1000)`). @default 10 */
  strideMs?: number;
  /** FFT length, a power of two >= windowSamples; the window is zero-padded to it. @default next power of two of windowSamples (512 at 16 kHz / 30 ms) */
  nFft?: number;
  /** Number of mel bands. @default 40 */
  nMels?: number;
  /** Lowest mel band edge, Hz. @default 20 */
  fMinHz?: number;
  /** Highest mel band edge, Hz (at most sampleRateHz / 2). @default sampleRateHz / 2 (8000 at 16 kHz) */
  fMaxHz?: number;
  /** Mel scale formula. @default 'htk' */
  melScale?: MelScale;
  /** Mel filter normalisation. @default 'none' */
  melNorm?: MelNorm;
  /** Domain in which mel triangles are linear (`hz`: librosa; `mel`: tf.signal). @default 'hz' */
  melTriangleDomain?: MelTriangleDomain;
  /** Spectrum exponent: 1 = magnitude, 2 = power. @default 2 */
  power?: 1 | 2;
  /** Added to mel power before the log (> 0, sets the floor of silence). @default 1e-6 */
  logOffset?: number;
  /** Log flavour. @default 'natural' */
  logScale?: LogScale;
  /**
   * Centre frames on `t * hopSamples` by zero padding (librosa's `center=True`, pad_mode
   * 'constant'); false frames start at `t * hopSamples` (TensorFlow: 1 s at 16 kHz gives 98 frames).
   * @default false
   */
  center?: boolean;
  /** Number of MFCC coefficients (DCT-II, orthonormal, of the log-mel); 0 = log-mel features. @default 0 */
  mfcc?: number;
}

/**
 * Every option resolved, plus every derived size. Plain JSON; saved beside models.
 * Frames-major layout: value (frame t, bin b) is at `t * numBins + b`.
 */
export interface FeatureSettings {
  sampleRateHz: number;
  clipDurationMs: number;
  windowMs: number;
  strideMs: number;
  nFft: number;
  nMels: number;
  fMinHz: number;
  fMaxHz: number;
  melScale: MelScale;
  melNorm: MelNorm;
  melTriangleDomain: MelTriangleDomain;
  power: 1 | 2;
  logOffset: number;
  logScale: LogScale;
  center: boolean;
  mfcc: number;
  /** Window function (periodic Hann; fixed, recorded for readers of saved settings). */
  window: 'hann-periodic';
  /** Samples in one clip at `sampleRateHz`. */
  samplesPerClip: number;
  /** Samples in one analysis window. */
  windowSamples: number;
  /** Samples between frame starts. */
  hopSamples: number;
  /** Frames in one clip. */
  numFrames: number;
  /** Values per frame: `mfcc` when > 0, else `nMels`. */
  numBins: number;
  /** FFT bins kept (`nFft / 2 + 1`). */
  numFftBins: number;
  /** Shape of one example: [numFrames, numBins, 1]. */
  exampleShape: ExampleShape;
}

/** Defaults of {@link FeatureOptions} (`nFft` and `fMaxHz` are derived, see there). */
export const DEFAULT_FEATURE_OPTIONS = Object.freeze({
  sampleRateHz: 16000,
  clipDurationMs: 1000,
  windowMs: 30,
  strideMs: 10,
  nMels: 40,
  fMinHz: 20,
  melScale: 'htk',
  melNorm: 'none',
  melTriangleDomain: 'hz',
  power: 2,
  logOffset: 1e-6,
  logScale: 'natural',
  center: false,
  mfcc: 0,
} as const satisfies FeatureOptions);

/** Option keys of {@link FeatureOptions} (the keys copied from a settings object). */
export const FEATURE_OPTION_KEYS = [
  'sampleRateHz', 'clipDurationMs', 'windowMs', 'strideMs', 'nFft', 'nMels', 'fMinHz', 'fMaxHz',
  'melScale', 'melNorm', 'melTriangleDomain', 'power', 'logOffset', 'logScale', 'center', 'mfcc',
] as const satisfies readonly (keyof FeatureOptions)[];

/** Smallest power of two >= n (n >= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** `floor(sampleRateHz * ms / 1000)` guarded against floating-point error (TensorFlow's int()). */
export function msToSamples(ms: number, sampleRateHz: number): number {
  return Math.floor((sampleRateHz * ms) / 1000 + 1e-9);
}

/**
 * Number of frames of a signal of `numSamples` samples.
 * - `center` false: `1 + floor((numSamples - windowSamples) / hopSamples)`, 0 if shorter than a window.
 * - `center` true: librosa's count `1 + floor((numSamples + 2 * floor(nFft / 2) - nFft) / hopSamples)`.
 */
export function numFramesFor(
  numSamples: number,
  s: Pick<FeatureSettings, 'windowSamples' | 'hopSamples' | 'nFft' | 'center'>,
): number {
  if (s.center) {
    const padded = numSamples + 2 * Math.floor(s.nFft / 2);
    return padded < s.nFft ? 0 : 1 + Math.floor((padded - s.nFft) / s.hopSamples);
  }
  return numSamples < s.windowSamples ? 0 : 1 + Math.floor((numSamples - s.windowSamples) / s.hopSamples);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function checkOneOf<T extends string>(param: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(param, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/**
 * Resolves every option (defaults filled in) and derives every size: the single place where
 * samples per clip, window and hop samples, FFT length, frame count and example shape come from.
 * Extra keys of `opts` (e.g. the derived sizes of a saved settings object) are ignored and
 * recomputed, so a saved {@link FeatureSettings} can be passed back in.
 * @throws ConfigError naming the option, the expected range and the value, for any invalid option
 */
export function deriveFeatureSettings(opts: Partial<FeatureOptions> = {}): FeatureSettings {
  if (opts === null || typeof opts !== 'object') throw new ConfigError('feature options', 'an object', opts);
  const picked: Partial<FeatureOptions> = {};
  for (const k of FEATURE_OPTION_KEYS) {
    if (opts[k] !== undefined) (picked as Record<string, unknown>)[k] = opts[k];
  }
  const {
    sampleRateHz = DEFAULT_FEATURE_OPTIONS.sampleRateHz,
    clipDurationMs = DEFAULT_FEATURE_OPTIONS.clipDurationMs,
    windowMs = DEFAULT_FEATURE_OPTIONS.windowMs,
    strideMs = DEFAULT_FEATURE_OPTIONS.strideMs,
    nMels = DEFAULT_FEATURE_OPTIONS.nMels,
    fMinHz = DEFAULT_FEATURE_OPTIONS.fMinHz,
    melScale = DEFAULT_FEATURE_OPTIONS.melScale,
    melNorm = DEFAULT_FEATURE_OPTIONS.melNorm,
    melTriangleDomain = DEFAULT_FEATURE_OPTIONS.melTriangleDomain,
    power = DEFAULT_FEATURE_OPTIONS.power,
    logOffset = DEFAULT_FEATURE_OPTIONS.logOffset,
    logScale = DEFAULT_FEATURE_OPTIONS.logScale,
    center = DEFAULT_FEATURE_OPTIONS.center,
    mfcc = DEFAULT_FEATURE_OPTIONS.mfcc,
  } = picked;

  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 1000 || sampleRateHz > 768000) {
    throw new ConfigError('sampleRateHz', 'an integer in [1000, 768000]', sampleRateHz);
  }
  if (!isFiniteNumber(clipDurationMs) || clipDurationMs <= 0) throw new ConfigError('clipDurationMs', 'a number > 0', clipDurationMs);
  if (!isFiniteNumber(windowMs) || windowMs <= 0) throw new ConfigError('windowMs', 'a number > 0', windowMs);
  if (!isFiniteNumber(strideMs) || strideMs <= 0) throw new ConfigError('strideMs', 'a number > 0', strideMs);
  const windowSamples = msToSamples(windowMs, sampleRateHz);
  const hopSamples = msToSamples(strideMs, sampleRateHz);
  const samplesPerClip = msToSamples(clipDurationMs, sampleRateHz);
  if (windowSamples < 2) {
    throw new ConfigError('windowMs', `at least 2 samples long (${(2000 / sampleRateHz).toFixed(4)} ms at ${sampleRateHz} Hz)`, windowMs);
  }
  if (hopSamples < 1) throw new ConfigError('strideMs', `at least 1 sample long (${(1000 / sampleRateHz).toFixed(4)} ms at ${sampleRateHz} Hz)`, strideMs);
  const nFft = picked.nFft ?? nextPowerOfTwo(windowSamples);
  if (!Number.isInteger(nFft) || nFft < windowSamples || nFft > 65536 || (nFft & (nFft - 1)) !== 0) {
    throw new ConfigError('nFft', `a power of two in [windowSamples=${windowSamples}, 65536]`, nFft);
  }
  const nyquistHz = sampleRateHz / 2;
  const fMaxHz = picked.fMaxHz ?? nyquistHz;
  if (!Number.isInteger(nMels) || nMels < 1 || nMels > 1024) throw new ConfigError('nMels', 'an integer in [1, 1024]', nMels);
  if (!isFiniteNumber(fMinHz) || fMinHz < 0) throw new ConfigError('fMinHz', 'a number >= 0', fMinHz);
  if (!isFiniteNumber(fMaxHz) || fMaxHz <= fMinHz || fMaxHz > nyquistHz) {
    throw new ConfigError('fMaxHz', `a number in (fMinHz=${fMinHz}, sampleRateHz/2=${nyquistHz}]`, fMaxHz);
  }
  checkOneOf('melScale', melScale, ['htk', 'slaney'] as const);
  checkOneOf('melNorm', melNorm, ['none', 'slaney'] as const);
  checkOneOf('melTriangleDomain', melTriangleDomain, ['hz', 'mel'] as const);
  checkOneOf('logScale', logScale, ['natural', 'db'] as const);
  if (power !== 1 && power !== 2) throw new ConfigError('power', '1 (magnitude) or 2 (power)', power);
  if (!isFiniteNumber(logOffset) || logOffset <= 0) throw new ConfigError('logOffset', 'a number > 0', logOffset);
  if (typeof center !== 'boolean') throw new ConfigError('center', 'a boolean', center);
  if (!Number.isInteger(mfcc) || mfcc < 0 || mfcc > nMels) throw new ConfigError('mfcc', `an integer in [0, nMels=${nMels}]`, mfcc);

  const sizes = { windowSamples, hopSamples, nFft, center };
  const numFrames = numFramesFor(samplesPerClip, sizes);
  if (numFrames < 1) {
    throw new ConfigError('clipDurationMs', `long enough for one frame (>= windowMs=${windowMs} without center)`, clipDurationMs);
  }
  const numBins = mfcc > 0 ? mfcc : nMels;
  return {
    sampleRateHz, clipDurationMs, windowMs, strideMs, nFft, nMels, fMinHz, fMaxHz,
    melScale, melNorm, melTriangleDomain, power, logOffset, logScale, center, mfcc,
    window: 'hann-periodic',
    samplesPerClip, windowSamples, hopSamples, numFrames, numBins,
    numFftBins: nFft / 2 + 1,
    exampleShape: [numFrames, numBins, 1],
  };
}

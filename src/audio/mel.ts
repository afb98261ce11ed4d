/**
 * Mel scale conversions (HTK and Slaney) and the mel filter bank, as librosa
 * (`librosa.filters.mel`) and TensorFlow (`tf.signal.linear_to_mel_weight_matrix`) build it.
 */
import { ConfigError } from '../errors.ts';
import type { MelNorm, MelScale, MelTriangleDomain } from '../features/settings.ts';

/** HTK mel: `HTK_MEL_FACTOR * log10(1 + f / HTK_BREAK_HZ)`. */
export const HTK_MEL_FACTOR = 2595;
/** Corner frequency of the HTK mel formula, Hz. */
export const HTK_BREAK_HZ = 700;
/** Slaney mel: Hz per mel below {@link SLANEY_MIN_LOG_HZ}. */
export const SLANEY_HZ_PER_MEL = 200 / 3;
/** Slaney mel: start of the logarithmic region, Hz. */
export const SLANEY_MIN_LOG_HZ = 1000;
/** Slaney mel: mel value at {@link SLANEY_MIN_LOG_HZ}. */
export const SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_HZ_PER_MEL;
/** Slaney mel: log step per mel above 1 kHz (ln(6.4) / 27). */
export const SLANEY_LOG_STEP = Math.log(6.4) / 27;

/** Converts a frequency in Hz to mel on the given scale. */
export function hzToMel(hz: number, scale: MelScale = 'htk'): number {
  switch (scale) {
    case 'htk':
      return HTK_MEL_FACTOR * Math.log10(1 + hz / HTK_BREAK_HZ);
    case 'slaney':
      return hz >= SLANEY_MIN_LOG_HZ
        ? SLANEY_MIN_LOG_MEL + Math.log(hz / SLANEY_MIN_LOG_HZ) / SLANEY_LOG_STEP
        : hz / SLANEY_HZ_PER_MEL;
    default:
      throw new ConfigError('melScale', "'htk' or 'slaney'", scale);
  }
}

/** Converts mel on the given scale to Hz (inverse of {@link hzToMel}). */
export function melToHz(mel: number, scale: MelScale = 'htk'): number {
  switch (scale) {
    case 'htk':
      return HTK_BREAK_HZ * (10 ** (mel / HTK_MEL_FACTOR) - 1);
    case 'slaney':
      return mel >= SLANEY_MIN_LOG_MEL
        ? SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_MIN_LOG_MEL))
        : SLANEY_HZ_PER_MEL * mel;
    default:
      throw new ConfigError('melScale', "'htk' or 'slaney'", scale);
  }
}

/** `count` frequencies (Hz) equally spaced in mel from `fMinHz` to `fMaxHz` inclusive (librosa's `mel_frequencies`). */
export function melFrequencies(count: number, fMinHz: number, fMaxHz: number, scale: MelScale = 'htk'): Float64Array {
  const lo = hzToMel(fMinHz, scale);
  const hi = hzToMel(fMaxHz, scale);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = melToHz(count === 1 ? lo : lo + ((hi - lo) * i) / (count - 1), scale);
  return out;
}

/** Options of {@link melFilterBank}. */
export interface MelFilterBankOptions {
  sampleRateHz: number;
  /** FFT length; the bank covers `nFft / 2 + 1` bins at `k * sampleRateHz / nFft` Hz. */
  nFft: number;
  nMels: number;
  fMinHz: number;
  fMaxHz: number;
  /** @default 'htk' */
  melScale?: MelScale;
  /** @default 'none' */
  melNorm?: MelNorm;
  /** @default 'hz' */
  melTriangleDomain?: MelTriangleDomain;
}

/**
 * A mel filter bank: dense weights plus the non-zero range of each band (for a sparse product).
 * `weights[m * numFftBins + k]` is the weight of FFT bin k in mel band m.
 */
export interface MelFilterBank {
  nMels: number;
  numFftBins: number;
  /** Row-major `nMels x numFftBins`. */
  weights: Float64Array;
  /** First bin with a non-zero weight, per band. */
  start: Int32Array;
  /** One past the last bin with a non-zero weight, per band (`start == end` for an empty band). */
  end: Int32Array;
}

/**
 * Builds triangular mel filters over the FFT bins.
 * - `melTriangleDomain: 'hz'` is librosa's `filters.mel(htk=..., norm=...)`: band edges equally
 *   spaced in mel, triangles linear in Hz.
 * - `'mel'` is `tf.signal.linear_to_mel_weight_matrix` (meant for the HTK scale): triangles linear
 *   in mel, and the DC bin always weighted 0.
 * `melNorm: 'slaney'` divides each triangle by half its width in Hz (`2 / (f[m+2] - f[m])`).
 * @throws ConfigError when a band covers no FFT bin (too many bands for this FFT length and range)
 */
export function melFilterBank(opts: MelFilterBankOptions): MelFilterBank {
  const { sampleRateHz, nFft, nMels, fMinHz, fMaxHz, melScale = 'htk', melNorm = 'none', melTriangleDomain = 'hz' } = opts;
  const numFftBins = Math.floor(nFft / 2) + 1;
  const edgesHz = melFrequencies(nMels + 2, fMinHz, fMaxHz, melScale);
  const weights = new Float64Array(nMels * numFftBins);
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  const binHz = new Float64Array(numFftBins);
  for (let k = 0; k < numFftBins; k++) binHz[k] = (k * sampleRateHz) / nFft;
  if (melTriangleDomain === 'hz') {
    for (let m = 0; m < nMels; m++) {
      const lo = edgesHz[m]!;
      const mid = edgesHz[m + 1]!;
      const hi = edgesHz[m + 2]!;
      for (let k = 0; k < numFftBins; k++) {
        // Same operation order as librosa: ramps = f_edge - f_bin.
        const lower = -(lo - binHz[k]!) / (mid - lo);
        const upper = (hi - binHz[k]!) / (hi - mid);
        weights[m * numFftBins + k] = Math.max(0, Math.min(lower, upper));
      }
    }
  } else if (melTriangleDomain === 'mel') {
    const loMel = hzToMel(fMinHz, melScale);
    const hiMel = hzToMel(fMaxHz, melScale);
    const edgesMel = new Float64Array(nMels + 2);
    for (let i = 0; i < nMels + 2; i++) edgesMel[i] = loMel + ((hiMel - loMel) * i) / (nMels + 1);
    for (let m = 0; m < nMels; m++) {
      const lo = edgesMel[m]!;
      const mid = edgesMel[m + 1]!;
      const hi = edgesMel[m + 2]!;
      for (let k = 1; k < numFftBins; k++) {
        const mel = hzToMel(binHz[k]!, melScale);
        const lower = (mel - lo) / (mid - lo);
        const upper = (hi - mel) / (hi - mid);
        weights[m * numFftBins + k] = Math.max(0, Math.min(lower, upper));
      }
    }
  } else {
    throw new ConfigError('melTriangleDomain', "'hz' or 'mel'", melTriangleDomain);
  }
  if (melNorm === 'slaney') {
    for (let m = 0; m < nMels; m++) {
      const enorm = 2 / (edgesHz[m + 2]! - edgesHz[m]!);
      for (let k = 0; k < numFftBins; k++) weights[m * numFftBins + k] *= enorm;
    }
  } else if (melNorm !== 'none') {
    throw new ConfigError('melNorm', "'none' or 'slaney'", melNorm);
  }
  for (let m = 0; m < nMels; m++) {
    let s = 0;
    while (s < numFftBins && weights[m * numFftBins + s] === 0) s++;
    let e = numFftBins;
    while (e > s && weights[m * numFftBins + e - 1] === 0) e--;
    if (s === e) {
      throw new ConfigError(
        'nMels',
        `a count for which every mel band covers an FFT bin (band ${m} of ${nMels} is empty at nFft=${nFft}, ${fMinHz}-${fMaxHz} Hz; use fewer bands or a larger nFft)`,
        nMels,
      );
    }
    start[m] = s;
    end[m] = e;
  }
  return { nMels, numFftBins, weights, start, end };
}

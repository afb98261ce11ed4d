/**
 * Room and channel simulation for synthetic speech: the transforms that carry clean TTS output
 * towards what a real microphone hears. Pure functions of (samples, options, rng):
 * - `reverb`: convolution with a synthetic room impulse response (a direct path plus an
 *   exponentially decaying noise tail with a given RT60, early reflections as sparse taps);
 * - `bandLimit`: a 2nd-order high-pass and low-pass (RBJ biquads) as phones, laptops and far
 *   microphones band-limit speech;
 * - `voiceShift`: resampling played back at the original rate, which moves pitch, formants and
 *   tempo together (a crude vocal-tract-length and speaker change);
 * - `renderRoomChannel`: a seeded draw of all three, applied to one clip.
 */
import FFT from 'fft.js';
import { resample } from '../audio/resample.ts';
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';

/** Options of {@link roomImpulseResponse}. */
export interface RoomOptions {
  /** Reverberation time (60 dB decay), seconds, in [0.05, 2]. */
  rt60Sec: number;
  /** Energy of the tail relative to the direct path, dB (direct-to-reverberant ratio); in [-10, 30]. */
  drrDb: number;
  /** Sample rate, Hz. */
  sampleRateHz: number;
}

/**
 * A synthetic room impulse response: 1 at t = 0, a few early reflections in the first 20 ms,
 * then Gaussian noise under an `exp(-6.91 t / rt60)` envelope, scaled to the direct-to-
 * reverberant ratio. Length: the RT60 (at most 1 s).
 * @throws ConfigError for values out of range
 */
export function roomImpulseResponse(options: RoomOptions, rng: Rng): Float32Array {
  const { rt60Sec, drrDb, sampleRateHz } = options;
  if (!(rt60Sec >= 0.05 && rt60Sec <= 2)) throw new ConfigError('rt60Sec', 'a number in [0.05, 2]', rt60Sec);
  if (!(drrDb >= -10 && drrDb <= 30)) throw new ConfigError('drrDb', 'a number in [-10, 30]', drrDb);
  if (!(sampleRateHz >= 1000)) throw new ConfigError('sampleRateHz', 'a number >= 1000', sampleRateHz);
  const n = Math.max(2, Math.round(Math.min(rt60Sec, 1) * sampleRateHz));
  const h = new Float32Array(n);
  const decay = 6.908 / (rt60Sec * sampleRateHz); // ln(1000): 60 dB
  let tail = 0;
  const onset = Math.round(0.002 * sampleRateHz);
  for (let i = onset; i < n; i++) {
    const v = rng.normal() * Math.exp(-decay * i);
    h[i] = v;
    tail += v * v;
  }
  const early = Math.round(0.02 * sampleRateHz);
  for (let k = 0; k < 4; k++) {
    const at = onset + rng.int(Math.max(1, early - onset));
    h[at] = (h[at] ?? 0) + (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.2, 0.6) * Math.exp(-decay * at) * Math.sqrt(tail / Math.max(1, n - onset)) * 10;
  }
  let energy = 0;
  for (let i = 1; i < n; i++) energy += h[i]! * h[i]!;
  const want = Math.pow(10, -drrDb / 10);
  const scale = energy > 0 ? Math.sqrt(want / energy) : 0;
  for (let i = 1; i < n; i++) h[i]! *= scale;
  h[0] = 1;
  return h;
}

/** FFT instances by size (building the tables costs more than a transform). */
const FFT_CACHE = new Map<number, FFT>();

/**
 * `samples` convolved with `ir` (FFT convolution with fft.js), cut to the length of `samples`,
 * scaled back to the input's peak so reverb does not change the loudness range.
 */
export function convolve(samples: Float32Array, ir: Float32Array): Float32Array {
  const n = samples.length;
  let size = 4;
  while (size < n + ir.length) size *= 2;
  let fft = FFT_CACHE.get(size);
  if (!fft) FFT_CACHE.set(size, (fft = new FFT(size)));
  const a = new Float64Array(size);
  const b = new Float64Array(size);
  a.set(samples);
  b.set(ir);
  const A = new Float64Array(2 * size);
  const B = new Float64Array(2 * size);
  fft.realTransform(A, a);
  fft.completeSpectrum(A);
  fft.realTransform(B, b);
  fft.completeSpectrum(B);
  for (let k = 0; k < size; k++) {
    const re = A[2 * k]! * B[2 * k]! - A[2 * k + 1]! * B[2 * k + 1]!;
    const im = A[2 * k]! * B[2 * k + 1]! + A[2 * k + 1]! * B[2 * k]!;
    A[2 * k] = re;
    A[2 * k + 1] = im;
  }
  const y = new Float64Array(2 * size);
  fft.inverseTransform(y, A);
  const out = new Float32Array(n);
  let peakIn = 0;
  let peakOut = 0;
  for (let i = 0; i < n; i++) {
    out[i] = y[2 * i]!; // fft.js' inverse divides by size
    peakIn = Math.max(peakIn, Math.abs(samples[i]!));
    peakOut = Math.max(peakOut, Math.abs(out[i]!));
  }
  if (peakOut > 0 && peakIn > 0) {
    const s = peakIn / peakOut;
    for (let i = 0; i < n; i++) out[i]! *= s;
  }
  return out;
}

/** Options of {@link bandLimit}. */
export interface BandLimitOptions {
  /** High-pass corner, Hz (0: none). */
  lowHz: number;
  /** Low-pass corner, Hz (>= Nyquist: none). */
  highHz: number;
  /** Sample rate, Hz. */
  sampleRateHz: number;
}

function biquad(x: Float32Array, b0: number, b1: number, b2: number, a1: number, a2: number): void {
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i]!;
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1; x1 = x0; y2 = y1; y1 = y0;
    x[i] = y0;
  }
}

/**
 * Band-limits `samples` (a copy) with Butterworth-Q (0.707) RBJ biquads: high-pass at `lowHz`,
 * low-pass at `highHz`.
 * @throws ConfigError for corners out of order or range
 */
export function bandLimit(samples: Float32Array, options: BandLimitOptions): Float32Array {
  const { lowHz, highHz, sampleRateHz } = options;
  const nyquist = sampleRateHz / 2;
  if (!(lowHz >= 0 && lowHz < nyquist)) throw new ConfigError('lowHz', `a number in [0, ${nyquist})`, lowHz);
  if (!(highHz > lowHz)) throw new ConfigError('highHz', `a number > lowHz (${lowHz})`, highHz);
  const out = Float32Array.from(samples);
  const q = Math.SQRT1_2;
  if (lowHz > 0) {
    const w = (2 * Math.PI * lowHz) / sampleRateHz;
    const alpha = Math.sin(w) / (2 * q);
    const c = Math.cos(w);
    const a0 = 1 + alpha;
    biquad(out, (1 + c) / 2 / a0, -(1 + c) / a0, (1 + c) / 2 / a0, (-2 * c) / a0, (1 - alpha) / a0);
  }
  if (highHz < nyquist * 0.98) {
    const w = (2 * Math.PI * highHz) / sampleRateHz;
    const alpha = Math.sin(w) / (2 * q);
    const c = Math.cos(w);
    const a0 = 1 + alpha;
    biquad(out, (1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, (-2 * c) / a0, (1 - alpha) / a0);
  }
  return out;
}

/**
 * `samples` played `factor` times faster (pitch and formants x factor, length / factor), by
 * band-limited resampling.
 * @throws ConfigError for a factor outside [0.5, 2]
 */
export function voiceShift(samples: Float32Array, factor: number, sampleRateHz: number): Float32Array {
  if (!(factor >= 0.5 && factor <= 2)) throw new ConfigError('factor', 'a number in [0.5, 2]', factor);
  return resample(samples, sampleRateHz, Math.round(sampleRateHz / factor));
}

/** Options of {@link renderRoomChannel}: probabilities and ranges of the seeded draw. */
export interface RoomChannelOptions {
  /** Probability of a voice shift. @default 0.7 */
  voiceShiftProbability?: number;
  /** Voice shift factor range. @default [0.88, 1.14] */
  voiceShift?: readonly [number, number];
  /** Probability of reverb. @default 0.6 */
  reverbProbability?: number;
  /** RT60 range, seconds. @default [0.15, 0.9] */
  rt60Sec?: readonly [number, number];
  /** Direct-to-reverberant ratio range, dB. @default [0, 15] */
  drrDb?: readonly [number, number];
  /** Probability of a band limit. @default 0.5 */
  bandLimitProbability?: number;
  /** High-pass corner range, Hz. @default [100, 400] */
  lowHz?: readonly [number, number];
  /** Low-pass corner range, Hz. @default [3000, 7000] */
  highHz?: readonly [number, number];
}

/** Defaults of {@link RoomChannelOptions}. */
export const DEFAULT_ROOM_CHANNEL: Readonly<Required<RoomChannelOptions>> = Object.freeze({
  voiceShiftProbability: 0.7,
  voiceShift: [0.88, 1.14] as const,
  reverbProbability: 0.6,
  rt60Sec: [0.15, 0.9] as const,
  drrDb: [0, 15] as const,
  bandLimitProbability: 0.5,
  lowHz: [100, 400] as const,
  highHz: [3000, 7000] as const,
});

/** What {@link renderRoomChannel} drew (for provenance and tests). */
export interface RoomChannelDraw {
  voiceShift?: number;
  rt60Sec?: number;
  drrDb?: number;
  lowHz?: number;
  highHz?: number;
}

/**
 * One seeded rendering of a clip: a voice shift with probability `voiceShiftProbability`, reverb
 * with probability `reverbProbability`, then a band limit with probability `bandLimitProbability`
 * (the length changes with a voice shift).
 */
export function renderRoomChannel(samples: Float32Array, sampleRateHz: number, rng: Rng, options: RoomChannelOptions = {}): { samples: Float32Array; draw: RoomChannelDraw } {
  const o = { ...DEFAULT_ROOM_CHANNEL, ...options };
  const draw: RoomChannelDraw = {};
  let out = samples;
  if (rng.next() < o.voiceShiftProbability) {
    draw.voiceShift = rng.uniform(o.voiceShift[0], o.voiceShift[1]);
    out = voiceShift(out, draw.voiceShift, sampleRateHz);
  }
  if (rng.next() < o.reverbProbability) {
    draw.rt60Sec = rng.uniform(o.rt60Sec[0], o.rt60Sec[1]);
    draw.drrDb = rng.uniform(o.drrDb[0], o.drrDb[1]);
    out = convolve(out, roomImpulseResponse({ rt60Sec: draw.rt60Sec, drrDb: draw.drrDb, sampleRateHz }, rng));
  }
  if (rng.next() < o.bandLimitProbability) {
    draw.lowHz = rng.uniform(o.lowHz[0], o.lowHz[1]);
    draw.highHz = Math.min(rng.uniform(o.highHz[0], o.highHz[1]), sampleRateHz / 2);
    out = bandLimit(out, { lowHz: draw.lowHz, highHz: draw.highHz, sampleRateHz });
  }
  return { samples: out === samples ? Float32Array.from(samples) : out, draw };
}

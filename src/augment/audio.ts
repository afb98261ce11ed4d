/**
 * Audio example transforms, as TensorFlow's speech_commands `AudioProcessor` applies them but
 * seeded: pad or trim, random time shift with zero padding (no wrap-around), background noise
 * mixed with a probability at a random volume from a random offset of a random noise file,
 * `_silence_` examples made of noise only, random gain, clipping to [-1, 1].
 * Every random choice comes from the {@link Rng} passed in. All buffers are Float32 samples.
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';
import { checkSpeedPerturb, drawSpeedFactor, speedShiftInto } from './speed-perturb.ts';

/** Options of the training-time audio transforms. Set a value to 0 (or false) to turn a transform off. */
export interface AudioAugmentOptions {
  /** Largest time shift, ms: each example moves by a uniform whole number of samples in [-max, max]. @default 100 */
  timeShiftMs?: number;
  /** Probability that background noise is mixed into a word example, in [0, 1]. @default 0.8 */
  backgroundFrequency?: number;
  /** Largest volume of the noise mixed into a word example (uniform in [0, max]), in [0, 1]. @default 0.1 */
  backgroundVolume?: number;
  /** Largest volume of a `_silence_` example's noise (uniform in [0, max]), in [0, 1]. @default 1 */
  silenceVolume?: number;
  /**
   * Lowest RMS level of a `_silence_` example, in (0, 1]; with {@link silenceMaxRms} > 0 it
   * replaces `silenceVolume`: the example's noise track is scaled to an RMS level drawn
   * log-uniformly in [silenceMinRms, silenceMaxRms], so noise files recorded at any level give
   * silence examples from near digital silence to loud noise (the official test set's `_silence_`
   * clips span RMS ~0.0004-0.25). @default 0 (off)
   */
  silenceMinRms?: number;
  /** Highest RMS level of a `_silence_` example, in [silenceMinRms, 1]; 0 = off (see silenceMinRms). @default 0 */
  silenceMaxRms?: number;
  /** Largest gain change of the speech, dB (uniform in [-max, max]); 0 = off. @default 0 */
  gainDb?: number;
  /**
   * Largest relative speed change of the speech (speed perturbation, src/augment/speed-perturb.ts):
   * each word example is played at a speed uniform in [1 - max, 1 + max] around its centre, in
   * [0, 0.5]; 0 = off. @default 0
   */
  speedPerturb?: number;
  /** Clip the result to [-1, 1]. @default true */
  clip?: boolean;
}

/** Defaults of {@link AudioAugmentOptions} (TensorFlow's train.py defaults; gain off). */
export const DEFAULT_AUDIO_AUGMENT: Readonly<Required<AudioAugmentOptions>> = Object.freeze({
  timeShiftMs: 100,
  backgroundFrequency: 0.8,
  backgroundVolume: 0.1,
  silenceVolume: 1,
  silenceMinRms: 0,
  silenceMaxRms: 0,
  gainDb: 0,
  speedPerturb: 0,
  clip: true,
});

/** The options of {@link AudioAugmentOptions} with every transform off (evaluation). */
export const NO_AUDIO_AUGMENT: Readonly<Required<AudioAugmentOptions>> = Object.freeze({
  timeShiftMs: 0,
  backgroundFrequency: 0,
  backgroundVolume: 0,
  silenceVolume: 1,
  silenceMinRms: 0,
  silenceMaxRms: 0,
  gainDb: 0,
  speedPerturb: 0,
  clip: true,
});

/**
 * Fills defaults and validates.
 * @throws ConfigError naming the option, its range and the value
 */
export function resolveAudioAugment(options: AudioAugmentOptions = {}): Required<AudioAugmentOptions> {
  const {
    timeShiftMs = DEFAULT_AUDIO_AUGMENT.timeShiftMs,
    backgroundFrequency = DEFAULT_AUDIO_AUGMENT.backgroundFrequency,
    backgroundVolume = DEFAULT_AUDIO_AUGMENT.backgroundVolume,
    silenceVolume = DEFAULT_AUDIO_AUGMENT.silenceVolume,
    silenceMinRms = DEFAULT_AUDIO_AUGMENT.silenceMinRms,
    silenceMaxRms = DEFAULT_AUDIO_AUGMENT.silenceMaxRms,
    gainDb = DEFAULT_AUDIO_AUGMENT.gainDb,
    speedPerturb = DEFAULT_AUDIO_AUGMENT.speedPerturb,
    clip = DEFAULT_AUDIO_AUGMENT.clip,
  } = options;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!finite(timeShiftMs) || timeShiftMs < 0) throw new ConfigError('timeShiftMs', 'a number >= 0', timeShiftMs);
  for (const [name, v] of [['backgroundFrequency', backgroundFrequency], ['backgroundVolume', backgroundVolume], ['silenceVolume', silenceVolume]] as const) {
    if (!finite(v) || v < 0 || v > 1) throw new ConfigError(name, 'a number in [0, 1]', v);
  }
  if (!finite(gainDb) || gainDb < 0 || gainDb > 40) throw new ConfigError('gainDb', 'a number in [0, 40]', gainDb);
  checkSpeedPerturb(speedPerturb);
  if (!finite(silenceMaxRms) || silenceMaxRms < 0 || silenceMaxRms > 1) throw new ConfigError('silenceMaxRms', 'a number in [0, 1] (0: off)', silenceMaxRms);
  if (!finite(silenceMinRms) || (silenceMaxRms > 0 ? !(silenceMinRms > 0 && silenceMinRms <= silenceMaxRms) : silenceMinRms !== 0)) {
    throw new ConfigError('silenceMinRms', silenceMaxRms > 0 ? `a number in (0, silenceMaxRms = ${silenceMaxRms}]` : '0 while silenceMaxRms is 0', silenceMinRms);
  }
  if (typeof clip !== 'boolean') throw new ConfigError('clip', 'true or false', clip);
  return { timeShiftMs, backgroundFrequency, backgroundVolume, silenceVolume, silenceMinRms, silenceMaxRms, gainDb, speedPerturb, clip };
}

/**
 * Copies `samples` into `out` (allocated with `length` when omitted), zero-padding at the end
 * when shorter and dropping the end when longer (TensorFlow pads and trims at the end too).
 */
export function padOrTrim(samples: ArrayLike<number>, length: number, out: Float32Array = new Float32Array(length)): Float32Array {
  const n = Math.min(samples.length, length);
  for (let i = 0; i < n; i++) out[i] = samples[i]!;
  out.fill(0, n, length);
  return out;
}

/**
 * Shifts `src` by `shiftSamples` into `out` (same length) with zero padding, no wrap-around:
 * positive shifts delay the sound (zeros at the start), negative ones advance it (zeros at the
 * right end). `out` must not be `src`.
 */
export function timeShiftInto(src: Float32Array, shiftSamples: number, out: Float32Array): Float32Array {
  const n = src.length;
  const s = Math.trunc(shiftSamples);
  if (s >= 0) {
    out.fill(0, 0, Math.min(s, n));
    for (let i = s; i < n; i++) out[i] = src[i - s]!;
  } else {
    const k = Math.min(-s, n);
    for (let i = 0; i < n - k; i++) out[i] = src[i + k]!;
    out.fill(0, n - k, n);
  }
  return out;
}

/** A uniformly drawn shift in whole samples in `[-maxShiftSamples, maxShiftSamples]`. */
export function drawTimeShift(maxShiftSamples: number, rng: Rng): number {
  const m = Math.floor(maxShiftSamples);
  return m > 0 ? rng.int(2 * m + 1) - m : 0;
}

/**
 * Adds `volume * noise[noiseOffset + i] * noiseScale` to `out[i]` for every i of `out`.
 * @param noiseScale factor turning stored noise into [-1, 1] samples (1/32768 for Int16)
 */
export function mixNoiseInto(out: Float32Array, noise: ArrayLike<number>, noiseOffset: number, volume: number, noiseScale = 1): Float32Array {
  const g = volume * noiseScale;
  if (g === 0) return out;
  for (let i = 0; i < out.length; i++) out[i]! += g * noise[noiseOffset + i]!;
  return out;
}

/** Multiplies every sample by `gain` in place. */
export function applyGain(samples: Float32Array, gain: number): Float32Array {
  if (gain !== 1) for (let i = 0; i < samples.length; i++) samples[i]! *= gain;
  return samples;
}

/** Converts decibels to an amplitude factor (`10^(dB/20)`). */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/** Clips every sample to [-1, 1] in place. */
export function clipInPlace(samples: Float32Array): Float32Array {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v > 1) samples[i] = 1;
    else if (v < -1) samples[i] = -1;
  }
  return samples;
}

/** Background noise tracks (Int16 or Float32 samples), each at least one clip long. */
export interface NoiseTracks {
  tracks: readonly (Int16Array | Float32Array)[];
  /** Factor turning stored values into [-1, 1] samples (1/32768 for Int16). */
  scale: number;
  /** RMS of each whole track in [-1, 1] units (needed by `silenceMaxRms` > 0; see {@link noiseTrackRms}). */
  rms?: readonly number[];
}

/** RMS of each noise track in [-1, 1] units (stored values times `scale`). */
export function noiseTrackRms(tracks: readonly (Int16Array | Float32Array)[], scale: number): number[] {
  return tracks.map((t) => {
    let sum = 0;
    for (let i = 0; i < t.length; i++) sum += t[i]! * t[i]!;
    return t.length > 0 ? Math.sqrt(sum / t.length) * scale : 0;
  });
}

/** What {@link augmentClipInto} did to an example (for tests and previews). */
export interface AugmentTrace {
  shiftSamples: number;
  noiseTrack: number;
  noiseOffset: number;
  noiseVolume: number;
  gain: number;
  /** Speed factor of the speech (1: unchanged). */
  speedFactor: number;
}

/**
 * Makes one example waveform in `out` (length = clip length; `foreground` at least as long).
 * - Word example (`foreground` given): shift and speed perturbation (training), gain (training), plus noise with
 *   probability `backgroundFrequency` at a volume uniform in [0, backgroundVolume] (training).
 * - Silence example (`foreground` null): noise only, volume uniform in [0, silenceVolume] (or the
 *   track scaled to an RMS log-uniform in [silenceMinRms, silenceMaxRms] when that is on),
 *   in training and evaluation alike (the rng of an evaluation example is fixed), zeros
 *   without noise tracks.
 * Then clipping to [-1, 1] when `options.clip`.
 * Draw order: shift, speed factor (only when `speedPerturb` > 0), noise decision, track, offset,
 * volume, gain.
 */
export function augmentClipInto(
  foreground: Float32Array | null,
  noise: NoiseTracks | null,
  options: Required<AudioAugmentOptions> & { maxShiftSamples: number; augment: boolean },
  rng: Rng,
  out: Float32Array,
): AugmentTrace {
  const trace: AugmentTrace = { shiftSamples: 0, noiseTrack: -1, noiseOffset: 0, noiseVolume: 0, gain: 1, speedFactor: 1 };
  const n = out.length;
  const hasNoise = noise !== null && noise.tracks.length > 0;
  let volume = 0;
  if (foreground === null) {
    out.fill(0);
    if (hasNoise) {
      volume = options.silenceMaxRms > 0
        ? options.silenceMinRms * (options.silenceMaxRms / options.silenceMinRms) ** rng.next()
        : rng.uniform(0, options.silenceVolume);
    }
  } else if (options.augment) {
    trace.shiftSamples = drawTimeShift(options.maxShiftSamples, rng);
    trace.speedFactor = drawSpeedFactor(options.speedPerturb, rng);
    if (trace.speedFactor === 1) timeShiftInto(foreground, trace.shiftSamples, out);
    else speedShiftInto(foreground.subarray(0, n), trace.speedFactor, trace.shiftSamples, out);
    if (hasNoise && options.backgroundFrequency > 0 && rng.next() < options.backgroundFrequency) {
      volume = rng.uniform(0, options.backgroundVolume);
    }
  } else {
    out.set(foreground.subarray(0, n));
  }
  let track: Int16Array | Float32Array | undefined;
  if (volume > 0 && hasNoise) {
    trace.noiseTrack = rng.int(noise.tracks.length);
    track = noise.tracks[trace.noiseTrack]!;
    trace.noiseOffset = rng.int(track.length - n + 1);
    if (foreground === null && options.silenceMaxRms > 0) {
      // `volume` is the RMS level drawn above: scale the track to it.
      const rms = noise.rms?.[trace.noiseTrack];
      if (rms === undefined) throw new ConfigError('noise.rms', 'the RMS of every noise track (noiseTrackRms) when silenceMaxRms > 0', noise.rms);
      volume = rms > 0 ? volume / rms : 0;
    }
    trace.noiseVolume = volume;
  }
  if (foreground !== null && options.augment && options.gainDb > 0) {
    trace.gain = dbToGain(rng.uniform(-options.gainDb, options.gainDb));
    applyGain(out, trace.gain);
  }
  if (track) mixNoiseInto(out, track, trace.noiseOffset, volume, noise!.scale);
  if (options.clip) clipInPlace(out);
  return trace;
}

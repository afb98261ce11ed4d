/**
 * `trimSilence`: cuts the silence around an utterance (recordings "with silence around them",
 * TTS output), keeping a margin. Energy based: 10 ms frames, a frame is speech when its RMS is
 * within `rangeDb` of the loudest frame and above `floorDb` dBFS.
 */
import { ConfigError } from '../errors.ts';

/** Options of {@link trimSilence}. */
export interface TrimSilenceOptions {
  /** Sample rate, Hz. */
  sampleRateHz: number;
  /** Frames quieter than the loudest by more than this are silence, dB. @default 35 */
  rangeDb?: number;
  /** Frames below this level are always silence, dBFS. @default -60 */
  floorDb?: number;
  /** Silence kept on each side, ms. @default 80 */
  marginMs?: number;
  /** Analysis frame, ms. @default 10 */
  frameMs?: number;
}

/** What {@link trimSilence} kept. */
export interface TrimmedAudio {
  /** The kept samples (a copy). */
  samples: Float32Array;
  /** First kept sample of the input. */
  startSample: number;
  /** One past the last kept sample. */
  endSample: number;
  /** True when no frame counted as speech (then the input is returned whole). */
  silent: boolean;
}

/**
 * Trims leading and trailing silence.
 * @throws ConfigError for bad options
 */
export function trimSilence(samples: Float32Array, options: TrimSilenceOptions): TrimmedAudio {
  const { sampleRateHz, rangeDb = 35, floorDb = -60, marginMs = 80, frameMs = 10 } = options;
  if (!(sampleRateHz >= 1000)) throw new ConfigError('sampleRateHz', 'a number >= 1000', sampleRateHz);
  if (!(rangeDb > 0)) throw new ConfigError('rangeDb', 'a number > 0', rangeDb);
  if (!(marginMs >= 0)) throw new ConfigError('marginMs', 'a number >= 0', marginMs);
  if (!(frameMs > 0)) throw new ConfigError('frameMs', 'a number > 0', frameMs);
  const frame = Math.max(1, Math.round((frameMs * sampleRateHz) / 1000));
  const frames = Math.floor(samples.length / frame);
  const db = new Float64Array(frames);
  let loudest = -Infinity;
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) e += samples[i]! * samples[i]!;
    db[f] = 10 * Math.log10(e / frame + 1e-12);
    loudest = Math.max(loudest, db[f]!);
  }
  const gate = Math.max(floorDb, loudest - rangeDb);
  let first = -1;
  let last = -1;
  for (let f = 0; f < frames; f++) {
    if (db[f]! >= gate) {
      if (first < 0) first = f;
      last = f;
    }
  }
  if (first < 0) return { samples: Float32Array.from(samples), startSample: 0, endSample: samples.length, silent: true };
  const margin = Math.round((marginMs * sampleRateHz) / 1000);
  const startSample = Math.max(0, first * frame - margin);
  const endSample = Math.min(samples.length, (last + 1) * frame + margin);
  return { samples: samples.slice(startSample, endSample), startSample, endSample, silent: false };
}

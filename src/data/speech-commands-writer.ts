/**
 * The audio {@link ExampleWriter}: cached Int16 clip -> seeded transforms (time shift,
 * background noise, gain, clipping; `_silence_` = noise only) -> featurizer (log-mel or MFCC)
 * written straight into the batch. Built in the main thread or in batch workers from
 * {@link SpeechCommandsWriterInit}, whose audio lives in SharedArrayBuffers.
 */
import type { ExampleWriter } from '../batch/example-writer.ts';
import { createFeaturizer } from '../features/featurizer.ts';
import type { FeatureSettings } from '../features/settings.ts';
import { msToSamples } from '../features/settings.ts';
import { augmentClipInto, noiseTrackRms, type AudioAugmentOptions, type NoiseTracks } from '../augment/audio.ts';
import type { Rng } from './rng.ts';
import { ClipStore, type SharedClipStore } from './clip-store.ts';

/** Clip index of items that are `_silence_` (no clip: noise only). */
export const SILENCE_CLIP = -1;

/** Structured-clonable init data of {@link createSpeechCommandsWriter}. */
export interface SpeechCommandsWriterInit {
  /** The decoded clips. */
  clips: SharedClipStore;
  /** Clip index of each item (or {@link SILENCE_CLIP}). */
  itemClip: Int32Array;
  /** Background noise tracks (shared Int16 at the feature sample rate; each >= one clip). */
  noise: SharedArrayBuffer[];
  /** Feature settings (every size derived). */
  features: FeatureSettings;
  /** Training transforms, every field resolved. */
  augment: Required<AudioAugmentOptions>;
}

/** A writer of audio examples, also exposing the waveform step (for previews and tests). */
export interface SpeechCommandsWriter extends ExampleWriter {
  /** Writes the example's waveform (after transforms, before features) into `out` (samplesPerClip). */
  waveform(item: number, rng: Rng, augment: boolean, out: Float32Array): void;
}

/** Builds the audio example writer (the factory named in the batcher's WriterSpec). */
export function createSpeechCommandsWriter(init: SpeechCommandsWriterInit): SpeechCommandsWriter {
  const store = ClipStore.fromShared(init.clips);
  const featurizer = createFeaturizer(init.features);
  const n = init.features.samplesPerClip;
  const tracks = init.noise.map((b) => new Int16Array(b));
  const noise: NoiseTracks = { tracks, scale: 1 / 32768, ...(init.augment.silenceMaxRms > 0 ? { rms: noiseTrackRms(tracks, 1 / 32768) } : {}) };
  const maxShiftSamples = msToSamples(init.augment.timeShiftMs, init.features.sampleRateHz);
  const trainOptions = { ...init.augment, maxShiftSamples, augment: true };
  const evalOptions = { ...init.augment, maxShiftSamples, augment: false };
  const clip = new Float32Array(n);
  const wave = new Float32Array(n);
  const waveform = (item: number, rng: Rng, augment: boolean, out: Float32Array): void => {
    const c = init.itemClip[item];
    if (c === undefined) throw new RangeError(`item ${item} is outside [0, ${init.itemClip.length})`);
    const fg = c === SILENCE_CLIP ? null : store.readInto(c, clip);
    augmentClipInto(fg, noise, augment ? trainOptions : evalOptions, rng, out);
  };
  return {
    exampleShape: init.features.exampleShape,
    waveform,
    write(item, _label, rng, augment, out, offset) {
      waveform(item, rng, augment, wave);
      featurizer.computeInto(wave, out, offset);
    },
  };
}

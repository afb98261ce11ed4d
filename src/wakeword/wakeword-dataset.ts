/**
 * `writeWakewordDataset`: lays the examples of a wake-word run out as a Speech Commands style
 * folder, so the keyword pipeline (sampler, augmentation, featurizer, batcher, trainer,
 * checkpoints) trains on it unchanged: one folder per phrase label (synthesized renderings and
 * the user's recordings), `confusable/` (phrases that sound close), `speech/` (real negative
 * speech cut into windows), `_background_noise_/`, and `validation_list.txt` /
 * `testing_list.txt`. Deterministic for its inputs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeWavSync } from '../audio/wav.ts';
import { BACKGROUND_NOISE_DIR_NAME } from '../data/labels.ts';
import { TESTING_LIST_FILE, VALIDATION_LIST_FILE } from '../data/speech-commands.ts';

/** Folder of the confusable negatives. */
export const CONFUSABLE_DIR = 'confusable';
/** Folder of the real negative speech segments. */
export const SPEECH_DIR = 'speech';

/** One clip to write. */
export interface DatasetClip {
  /** Samples at the dataset rate, already window length (or shorter: zero-padded by the loader). */
  samples: Float32Array;
  /** Speaker id for the file name (`<speaker>_nohash_<n>.wav`): letters and digits. */
  speaker: string;
  /** Split. */
  split: 'training' | 'validation' | 'testing';
}

/** What {@link writeWakewordDataset} writes. */
export interface WakewordDatasetSpec {
  /** Folder to (re)create. */
  dir: string;
  sampleRateHz: number;
  /** Per phrase label, its clips. */
  positives: Record<string, readonly DatasetClip[]>;
  /** Confusable negatives. */
  confusables: readonly DatasetClip[];
  /** Real negative speech segments. */
  speech: readonly DatasetClip[];
  /** Background noise tracks (named `<name>.wav`). */
  noise: Readonly<Record<string, Float32Array>>;
}

/** Counts written, per folder and split. */
export type WakewordDatasetCounts = Record<string, { training: number; validation: number; testing: number }>;

/**
 * Writes the folder (removing an older one first).
 * @returns counts per folder and split
 */
export function writeWakewordDataset(spec: WakewordDatasetSpec): WakewordDatasetCounts {
  const { dir, sampleRateHz } = spec;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const validation: string[] = [];
  const testing: string[] = [];
  const counts: WakewordDatasetCounts = {};
  const writeFolder = (folder: string, clips: readonly DatasetClip[]) => {
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    const perSpeaker = new Map<string, number>();
    const c = { training: 0, validation: 0, testing: 0 };
    for (const clip of clips) {
      const n = perSpeaker.get(clip.speaker) ?? 0;
      perSpeaker.set(clip.speaker, n + 1);
      const rel = `${folder}/${clip.speaker}_nohash_${n}.wav`;
      writeWavSync(path.join(dir, rel), { samples: clip.samples, sampleRateHz });
      c[clip.split] += 1;
      if (clip.split === 'validation') validation.push(rel);
      else if (clip.split === 'testing') testing.push(rel);
    }
    counts[folder] = c;
  };
  for (const [label, clips] of Object.entries(spec.positives)) writeFolder(label, clips);
  writeFolder(CONFUSABLE_DIR, spec.confusables);
  writeFolder(SPEECH_DIR, spec.speech);
  const noiseDir = path.join(dir, BACKGROUND_NOISE_DIR_NAME);
  fs.mkdirSync(noiseDir, { recursive: true });
  for (const [name, samples] of Object.entries(spec.noise)) writeWavSync(path.join(noiseDir, `${name}.wav`), { samples, sampleRateHz });
  fs.writeFileSync(path.join(dir, VALIDATION_LIST_FILE), validation.map((l) => `${l}\n`).join(''));
  fs.writeFileSync(path.join(dir, TESTING_LIST_FILE), testing.map((l) => `${l}\n`).join(''));
  return counts;
}

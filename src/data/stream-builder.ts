/**
 * Builds a long test recording for streaming evaluation, like TensorFlow's
 * `generate_streaming_test_wav.py`: 1 s word clips (keywords and unknown words) from one split of a
 * Speech Commands folder, at random gaps, over background noise, with a ground-truth labels file
 * (`label,offset_ms` per word; `_unknown_` for non-keywords). Seeded: same options, same file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readAudioSync } from '../audio/read-audio.ts';
import { writeWavSync } from '../audio/wav.ts';
import { toSampleRate } from '../audio/resample.ts';
import { ConfigError, DatasetError } from '../errors.ts';
import type { AudioClip, SplitName } from '../types.ts';
import { formatStreamLabels, type GroundTruthWord } from '../infer/stream-eval.ts';
import { DEFAULT_WANTED_WORDS, UNKNOWN_LABEL } from './labels.ts';
import { createRng, type Rng } from './rng.ts';
import { indexSpeechCommands, type ClipEntry } from './speech-commands.ts';

/** Options of {@link buildTestStream}. */
export interface TestStreamOptions {
  /** Speech Commands folder (`<word>/<speaker>_nohash_<n>.wav`, optional list files). */
  dataDir: string;
  /** Folder of background noise WAVs. @default the data folder's `_background_noise_` (or `background_noise`); none: silence */
  noiseDir?: string;
  /** Length of the recording, minutes. @default 10 */
  minutes?: number;
  /** Keyword folders (others become `_unknown_`). @default the ten Speech Commands keywords present in the folder */
  keywords?: readonly string[];
  /** Split whose clips are used (list files or TensorFlow's hash). @default 'testing' */
  split?: SplitName;
  /** Share of words that are unknown words, in [0, 1]. @default 0.25 */
  unknownFraction?: number;
  /** Shortest silence between two word clips, ms. @default 1000 */
  minGapMs?: number;
  /** Longest silence between two word clips, ms. @default 3000 */
  maxGapMs?: number;
  /** Gain of the background noise (TensorFlow's `background_volume`), in [0, 1]. @default 0.1 */
  backgroundVolume?: number;
  /** Sample rate of the recording, Hz. @default 16000 */
  sampleRateHz?: number;
  /** Length of one word clip, ms. @default 1000 */
  clipDurationMs?: number;
  /** Seed of every random choice. @default 0 */
  seed?: number | string;
  /** Called as words are placed. */
  onProgress?: (doneMs: number, totalMs: number) => void;
}

/** Defaults of {@link TestStreamOptions}. */
export const DEFAULT_TEST_STREAM_OPTIONS = Object.freeze({
  minutes: 10,
  split: 'testing' as SplitName,
  unknownFraction: 0.25,
  minGapMs: 1000,
  maxGapMs: 3000,
  backgroundVolume: 0.1,
  sampleRateHz: 16000,
  clipDurationMs: 1000,
  seed: 0 as number | string,
});

/** A built test recording. */
export interface TestStream {
  /** The recording (mono, `sampleRateHz`). */
  audio: AudioClip;
  /** Every placed word, in time order. */
  words: GroundTruthWord[];
  /** Keyword labels used. */
  keywords: string[];
  /** Number of keyword and unknown words placed. */
  keywordCount: number;
  unknownCount: number;
  /** Background noise files used. */
  noiseFiles: string[];
  /** Unreadable clips or noise files skipped (path and reason). */
  skipped: { path: string; reason: string }[];
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) throw new ConfigError(name, `a number in [${min}, ${max}]`, value);
}

/** Picks a readable clip from `pool` (random order), skipping and recording unreadable files. */
function takeClip(pool: ClipEntry[], rng: Rng, rateHz: number, skipped: TestStream['skipped'], bad: Set<string>): { entry: ClipEntry; samples: Float32Array } | null {
  for (let attempt = 0; attempt < 50; attempt++) {
    const live = pool.filter((c) => !bad.has(c.path));
    if (live.length === 0) return null;
    const entry = rng.pick(live);
    try {
      return { entry, samples: toSampleRate(readAudioSync(entry.path), rateHz).samples };
    } catch (err) {
      bad.add(entry.path);
      skipped.push({ path: entry.path, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return null;
}

/**
 * Builds a test recording: starting after one gap, repeatedly a random gap in
 * [minGapMs, maxGapMs] then one clip (a keyword, or an unknown word with probability
 * `unknownFraction`), until the recording is full; the words' labels file records each clip's
 * start. The background is random stretches of the noise files at `backgroundVolume`.
 * @throws DatasetError when the split holds no keyword clip, or ConfigError for bad options
 */
export function buildTestStream(options: TestStreamOptions): TestStream {
  const d = DEFAULT_TEST_STREAM_OPTIONS;
  const {
    dataDir, noiseDir, minutes = d.minutes, split = d.split, unknownFraction = d.unknownFraction,
    minGapMs = d.minGapMs, maxGapMs = d.maxGapMs, backgroundVolume = d.backgroundVolume,
    sampleRateHz = d.sampleRateHz, clipDurationMs = d.clipDurationMs, seed = d.seed, onProgress,
  } = options;
  checkRange('minutes', minutes, 0.01, 24 * 60);
  checkRange('unknownFraction', unknownFraction, 0, 1);
  checkRange('minGapMs', minGapMs, 0, 600_000);
  checkRange('maxGapMs', maxGapMs, minGapMs, 600_000);
  checkRange('backgroundVolume', backgroundVolume, 0, 1);
  checkRange('clipDurationMs', clipDurationMs, 10, 60_000);
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 1000) throw new ConfigError('sampleRateHz', 'an integer >= 1000', sampleRateHz);
  if (!['training', 'validation', 'testing'].includes(split)) throw new ConfigError('split', "one of 'training', 'validation', 'testing'", split);

  const index = indexSpeechCommands(dataDir, noiseDir !== undefined ? { backgroundNoiseDir: noiseDir } : {});
  const keywords = [...(options.keywords ?? DEFAULT_WANTED_WORDS.filter((w) => index.words.includes(w)))];
  if (keywords.length === 0) throw new ConfigError('keywords', `a non-empty list of word folders of ${index.root}`, options.keywords ?? []);
  const inSplit = index.clips.filter((c) => c.split === split);
  const keywordPool = inSplit.filter((c) => keywords.includes(c.word));
  const unknownPool = inSplit.filter((c) => !keywords.includes(c.word));
  if (keywordPool.length === 0) {
    throw new DatasetError(`${index.root}: no clip of the keywords ${keywords.join(', ')} in the ${split} split (${inSplit.length} clips in that split)`);
  }

  const rng = createRng(seed);
  const wordRng = rng.fork('words');
  const noiseRng = rng.fork('noise');
  const total = Math.round(minutes * 60 * sampleRateHz);
  const samples = new Float32Array(total);
  const skipped: TestStream['skipped'] = [];
  const noiseFiles: string[] = [];

  // Background: consecutive stretches (5-20 s) from random places of random noise files.
  if (backgroundVolume > 0 && index.backgroundNoiseFiles.length > 0) {
    const tracks: { file: string; samples: Float32Array }[] = [];
    for (const f of index.backgroundNoiseFiles) {
      try {
        const s = toSampleRate(readAudioSync(f), sampleRateHz).samples;
        if (s.length > 0) tracks.push({ file: f, samples: s });
      } catch (err) {
        skipped.push({ path: f, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    for (let at = 0; at < total && tracks.length > 0;) {
      const track = noiseRng.pick(tracks);
      if (!noiseFiles.includes(track.file)) noiseFiles.push(track.file);
      const len = Math.min(total - at, Math.round(noiseRng.uniform(5, 20) * sampleRateHz));
      let from = noiseRng.int(track.samples.length);
      for (let i = 0; i < len; i++, from++) samples[at + i] = backgroundVolume * track.samples[from % track.samples.length]!;
      at += len;
    }
  }

  const clipSamples = Math.round((clipDurationMs / 1000) * sampleRateHz);
  const words: GroundTruthWord[] = [];
  const bad = new Set<string>();
  let keywordCount = 0;
  let unknownCount = 0;
  let at = 0;
  for (;;) {
    at += Math.round((wordRng.uniform(minGapMs, maxGapMs) / 1000) * sampleRateHz);
    if (at + clipSamples > total) break;
    const unknown = unknownPool.length > 0 && wordRng.next() < unknownFraction;
    const picked = takeClip(unknown ? unknownPool : keywordPool, wordRng, sampleRateHz, skipped, bad);
    if (!picked) {
      if (!unknown) throw new DatasetError(`${index.root}: every keyword clip of the ${split} split is unreadable (${skipped.length} skipped)`);
      continue;
    }
    const n = Math.min(clipSamples, picked.samples.length);
    for (let i = 0; i < n; i++) samples[at + i]! += picked.samples[i]!;
    words.push({ label: unknown ? UNKNOWN_LABEL : picked.entry.word, offsetMs: (at * 1000) / sampleRateHz });
    if (unknown) unknownCount += 1;
    else keywordCount += 1;
    at += clipSamples;
    onProgress?.((at * 1000) / sampleRateHz, (total * 1000) / sampleRateHz);
  }
  return { audio: { samples, sampleRateHz }, words, keywords, keywordCount, unknownCount, noiseFiles, skipped };
}

/** The default labels path beside a stream WAV: `stream.wav` -> `stream_labels.txt`. */
export function defaultLabelsPath(wavPath: string): string {
  const dir = path.dirname(wavPath);
  return path.join(dir, `${path.basename(wavPath).replace(/\.wav$/i, '')}_labels.txt`);
}

/**
 * Writes a built stream: the WAV (16-bit PCM, samples clipped to [-1, 1]) and the labels file.
 * Creates parent folders.
 */
export function writeTestStream(stream: TestStream, wavPath: string, labelsPath: string = defaultLabelsPath(wavPath)): { wavPath: string; labelsPath: string } {
  fs.mkdirSync(path.dirname(path.resolve(wavPath)), { recursive: true });
  fs.mkdirSync(path.dirname(path.resolve(labelsPath)), { recursive: true });
  writeWavSync(wavPath, stream.audio);
  fs.writeFileSync(labelsPath, formatStreamLabels(stream.words));
  return { wavPath, labelsPath };
}

/**
 * Speech Commands as {@link TrainingData}: what the trainer consumes for keyword spotting.
 * Labels in TensorFlow's order (`_silence_`, `_unknown_`, wanted words); `_unknown_` examples
 * drawn from the other words (a fresh draw each training epoch, a fixed one for evaluation);
 * `_silence_` examples made of background noise; seeded augmented training batches;
 * deterministic, unaugmented evaluation batches (the same for every seed).
 *
 * @example
 * ```ts
 * const data = await SpeechCommandsData.open({ dataDir: 'speech_commands', seed: 1 });
 * try {
 *   for await (const batch of data.trainBatches(0, 100)) { ... } // x: [100, 98, 40, 1]
 *   for await (const batch of data.evalBatches('validation', 100)) { ... }
 * } finally {
 *   await data.close();
 * }
 * ```
 */
import { Batcher, defaultWorkerCount, type BatcherOptions } from '../batch/batcher.ts';
import type { WriterSpec } from '../batch/example-writer.ts';
import { drawWithoutReplacement, Sampler, type ClassBalance } from '../batch/sampler.ts';
import { resolveAudioAugment, type AudioAugmentOptions } from '../augment/audio.ts';
import { deriveFeatureSettings, type FeatureOptions, type FeatureSettings } from '../features/settings.ts';
import { ConfigError, DatasetError } from '../errors.ts';
import type { Batch, ExampleShape, SplitName, TrainingData } from '../types.ts';
import { createRng } from './rng.ts';
import { DEFAULT_WANTED_WORDS, SILENCE_INDEX, speechCommandsLabels, UNKNOWN_INDEX } from './labels.ts';
import { indexSpeechCommands, type SpeechCommandsIndex } from './speech-commands.ts';
import { loadClips, loadNoise, type LoadProgress, type SkippedFile } from './load-audio.ts';
import { SILENCE_CLIP, type SpeechCommandsWriterInit } from './speech-commands-writer.ts';

/** Default percentage of `_silence_` examples (relative to the wanted-word examples of a split). */
export const DEFAULT_SILENCE_PERCENTAGE = 10;
/** Default percentage of `_unknown_` examples (relative to the wanted-word examples of a split). */
export const DEFAULT_UNKNOWN_PERCENTAGE = 10;
/** Default seed of the split composition (TensorFlow's `RANDOM_SEED`); independent of the training seed. */
export const DEFAULT_INDEX_SEED = 59185;
/** Default training seed. */
export const DEFAULT_SEED = 1;

/** Options of {@link SpeechCommandsData.open}. */
export interface SpeechCommandsDataOptions {
  /** Dataset root (`<root>/<word>/*.wav`). */
  dataDir: string;
  /** Words to recognise, in label order after `_silence_` and `_unknown_`. @default DEFAULT_WANTED_WORDS (yes,no,up,down,left,right,on,off,stop,go) */
  wantedWords?: readonly string[];
  /** `_silence_` examples per split, % of its wanted-word examples. @default 10 */
  silencePercentage?: number;
  /** `_unknown_` examples per split, % of its wanted-word examples (0 skips loading other words). @default 10 */
  unknownPercentage?: number;
  /** Hash split: % of clips in validation (list files win when present). @default 10 */
  validationPercentage?: number;
  /** Hash split: % of clips in testing. @default 10 */
  testingPercentage?: number;
  /** Background noise folder. @default `<dataDir>/background_noise/`, else `<dataDir>/_background_noise_/` */
  backgroundNoiseDir?: string;
  /**
   * Use background noise (mixing and `_silence_` examples). With false, nothing is mixed and
   * `_silence_` examples are digital silence. With true, missing noise is an error.
   * @default true
   */
  useBackgroundNoise?: boolean;
  /** Front-end options (or saved settings). @default deriveFeatureSettings() defaults: 98 x 40 log-mel */
  features?: Partial<FeatureOptions> | FeatureSettings;
  /** Training transforms. @default DEFAULT_AUDIO_AUGMENT */
  augment?: AudioAugmentOptions;
  /** Class balancing of training epochs. @default 'none' */
  balance?: ClassBalance;
  /** Seed of training epochs and their augmentation. @default 1 */
  seed?: number | string;
  /** Seed of the split composition (which unknown clips evaluate, their order). @default 59185 */
  indexSeed?: number | string;
  /** Feature worker threads (0: in the calling thread). @default defaultWorkerCount() */
  workers?: BatcherOptions['workers'];
  /** Batches made ahead of the consumer. @default 3 */
  prefetchBatches?: BatcherOptions['prefetchBatches'];
  /** Worker threads decoding the audio on opening (0: the calling thread). @default `workers` */
  loadWorkers?: number;
  /** Loading progress (files decoded of total). */
  onProgress?: LoadProgress;
}

/** Examples of one split. */
interface SplitItems {
  /** Global item index of each example. */
  items: Int32Array;
  /** Class of each example. */
  labels: Int32Array;
}

/** Per split, the examples by label (for reports). */
export type SplitComposition = Record<SplitName, Record<string, number>>;

function checkPercentage(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1000) throw new ConfigError(name, 'a number in [0, 1000]', v);
  return v;
}

/** Speech Commands training data: index, audio cache, sampler and batcher. */
export class SpeechCommandsData implements TrainingData {
  /** `[_silence_, _unknown_, ...wantedWords]`. */
  readonly labels: readonly string[];
  /** `[numFrames, numBins, 1]` from the feature settings. */
  readonly exampleShape: ExampleShape;
  /** The feature settings every example is made with (save them beside the model). */
  readonly features: FeatureSettings;
  /** The resolved training transforms. */
  readonly augment: Readonly<Required<AudioAugmentOptions>>;
  /** The dataset index. */
  readonly index: SpeechCommandsIndex;
  /** Unreadable files (clips and noise), as `path: reason`. */
  readonly skipped: readonly string[];
  /** Background noise files in use. */
  readonly noiseFiles: readonly string[];
  /** The writer spec (for workers, previews and tests). */
  readonly writerSpec: WriterSpec<SpeechCommandsWriterInit>;
  private readonly seed: string;
  private readonly splits: Record<SplitName, SplitItems>;
  private readonly sampler: Sampler;
  private readonly batcher: Batcher;

  private constructor(args: {
    labels: string[]; features: FeatureSettings; augment: Required<AudioAugmentOptions>; index: SpeechCommandsIndex;
    skipped: string[]; noiseFiles: string[]; spec: WriterSpec<SpeechCommandsWriterInit>; seed: string;
    splits: Record<SplitName, SplitItems>; sampler: Sampler; batcher: Batcher;
  }) {
    this.labels = Object.freeze(args.labels);
    this.features = args.features;
    this.exampleShape = args.features.exampleShape;
    this.augment = Object.freeze(args.augment);
    this.index = args.index;
    this.skipped = Object.freeze(args.skipped);
    this.noiseFiles = Object.freeze(args.noiseFiles);
    this.writerSpec = args.spec;
    this.seed = args.seed;
    this.splits = args.splits;
    this.sampler = args.sampler;
    this.batcher = args.batcher;
  }

  /**
   * Indexes the folder, decodes the audio into the Int16 cache, composes the splits and
   * starts the feature workers.
   * @throws DatasetError for an empty or missing folder, a wanted word without clips (naming
   *   the words found), no training clips, or no background noise while it is in use
   * @throws ConfigError for bad options
   */
  static async open(options: SpeechCommandsDataOptions): Promise<SpeechCommandsData> {
    const {
      dataDir,
      wantedWords = DEFAULT_WANTED_WORDS,
      silencePercentage = DEFAULT_SILENCE_PERCENTAGE,
      unknownPercentage = DEFAULT_UNKNOWN_PERCENTAGE,
      validationPercentage,
      testingPercentage,
      backgroundNoiseDir,
      useBackgroundNoise = true,
      features: featureOptions = {},
      augment: augmentOptions = {},
      balance,
      seed = DEFAULT_SEED,
      indexSeed = DEFAULT_INDEX_SEED,
      workers,
      prefetchBatches,
      loadWorkers,
      onProgress,
    } = options;
    checkPercentage('silencePercentage', silencePercentage);
    checkPercentage('unknownPercentage', unknownPercentage);
    if (!Array.isArray(wantedWords) || wantedWords.length === 0 || wantedWords.some((w) => typeof w !== 'string' || w.length === 0)) {
      throw new ConfigError('wantedWords', 'a non-empty list of word folder names', wantedWords);
    }
    const duplicate = wantedWords.find((w, i) => wantedWords.indexOf(w) !== i);
    if (duplicate !== undefined) throw new ConfigError('wantedWords', 'distinct words', wantedWords);
    const features = deriveFeatureSettings(featureOptions);
    const augment = resolveAudioAugment(augmentOptions);
    const index = indexSpeechCommands(dataDir, { validationPercentage, testingPercentage, backgroundNoiseDir });

    const wordLabel = new Map(wantedWords.map((w, i) => [w, i + 2]));
    const missing = wantedWords.filter((w) => !index.clips.some((c) => c.word === w));
    if (missing.length > 0) {
      throw new DatasetError(`wanted word${missing.length > 1 ? 's' : ''} ${missing.map((w) => `"${w}"`).join(', ')} not found in ${index.root}; words found: ${index.words.join(', ') || '(none)'}`);
    }

    // Noise first: a missing noise folder should fail before minutes of decoding.
    let noise = { tracks: [] as SharedArrayBuffer[], files: [] as string[], totalSec: 0, skipped: [] as SkippedFile[] };
    if (useBackgroundNoise) {
      noise = loadNoise(index.backgroundNoiseFiles, features.sampleRateHz, features.samplesPerClip);
      if (noise.tracks.length === 0) {
        const where = index.backgroundNoiseDir ?? `${index.root}/background_noise/ or ${index.root}/_background_noise_/`;
        throw new DatasetError(`no usable background noise WAV in ${where}${noise.skipped.length ? ` (${noise.skipped.length} unreadable or too short)` : ''}; add noise files there, pass backgroundNoiseDir, or turn noise off (useBackgroundNoise: false, --no-background-noise)`);
      }
    }

    const needed = index.clips.filter((c) => wordLabel.has(c.word) || unknownPercentage > 0);
    const loaded = await loadClips(needed.map((c) => c.path), features.sampleRateHz, features.samplesPerClip, {
      workers: loadWorkers ?? workers ?? defaultWorkerCount(),
      onProgress,
    });
    const skipped = [...loaded.skipped, ...noise.skipped].map((s) => `${s.path}: ${s.reason}`);

    // Items: one per readable clip, then the silence items of every split.
    const itemClip: number[] = [];
    const perSplit: Record<SplitName, { wanted: number[]; wantedLabels: number[]; unknown: number[] }> = {
      training: { wanted: [], wantedLabels: [], unknown: [] },
      validation: { wanted: [], wantedLabels: [], unknown: [] },
      testing: { wanted: [], wantedLabels: [], unknown: [] },
    };
    loaded.readable.forEach((clipIndex) => {
      const entry = needed[clipIndex]!;
      const item = itemClip.length;
      itemClip.push(clipIndex);
      const label = wordLabel.get(entry.word);
      const s = perSplit[entry.split];
      if (label !== undefined) {
        s.wanted.push(item);
        s.wantedLabels.push(label);
      } else {
        s.unknown.push(item);
      }
    });
    if (perSplit.training.wanted.length === 0) {
      throw new DatasetError(`no readable training clip of the wanted words in ${index.root} (${skipped.length} unreadable files; split from ${index.splitSource})`);
    }

    const labels = speechCommandsLabels(wantedWords);
    const splits = {} as Record<SplitName, SplitItems>;
    let unknownQuota = 0;
    for (const split of ['training', 'validation', 'testing'] as const) {
      const s = perSplit[split];
      const silenceCount = Math.ceil((s.wanted.length * silencePercentage) / 100);
      const unknownCount = Math.min(s.unknown.length, Math.ceil((s.wanted.length * unknownPercentage) / 100));
      const silenceItems: number[] = [];
      for (let i = 0; i < silenceCount; i++) {
        silenceItems.push(itemClip.length);
        itemClip.push(SILENCE_CLIP);
      }
      if (split === 'training') {
        // Training keeps the whole unknown pool; the sampler draws `unknownCount` per epoch.
        unknownQuota = unknownCount;
        splits[split] = {
          items: Int32Array.from([...s.wanted, ...(unknownCount > 0 ? s.unknown : []), ...silenceItems]),
          labels: Int32Array.from([...s.wantedLabels, ...(unknownCount > 0 ? s.unknown.map(() => UNKNOWN_INDEX) : []), ...silenceItems.map(() => SILENCE_INDEX)]),
        };
        continue;
      }
      const rng = createRng(`${String(indexSeed)}/${split}`);
      const unknownItems = [...drawWithoutReplacement(Int32Array.from(s.unknown), unknownCount, rng)];
      const all = [
        ...s.wanted.map((item, i) => [item, s.wantedLabels[i]!] as const),
        ...unknownItems.map((item) => [item, UNKNOWN_INDEX] as const),
        ...silenceItems.map((item) => [item, SILENCE_INDEX] as const),
      ];
      rng.shuffle(all);
      splits[split] = { items: Int32Array.from(all, (p) => p[0]), labels: Int32Array.from(all, (p) => p[1]) };
    }

    const sampler = new Sampler({
      labels: splits.training.labels,
      numClasses: labels.length,
      seed: String(seed),
      balance,
      quotas: { [UNKNOWN_INDEX]: unknownQuota },
    });
    const spec: WriterSpec<SpeechCommandsWriterInit> = {
      moduleUrl: new URL('./speech-commands-writer.ts', import.meta.url).href,
      factory: 'createSpeechCommandsWriter',
      init: { clips: loaded.store.toShared(), itemClip: Int32Array.from(itemClip), noise: noise.tracks, features, augment },
    };
    const batcher = await Batcher.create(spec, { workers, prefetchBatches });
    return new SpeechCommandsData({
      labels, features, augment, index, skipped, noiseFiles: noise.files, spec, seed: String(seed), splits, sampler, batcher,
    });
  }

  /** Number of training batches per epoch. */
  batchesPerEpoch(batchSize: number): number {
    return this.sampler.batchesPerEpoch(batchSize);
  }

  /** Examples of a split (training: per epoch, after quotas and balancing). */
  splitSize(split: SplitName): number {
    return split === 'training' ? this.sampler.epochSize : this.splits[split].items.length;
  }

  /** Per split, the number of examples of each label (training: one epoch). */
  composition(): SplitComposition {
    const count = (labels: Int32Array) => {
      const out: Record<string, number> = Object.fromEntries(this.labels.map((l) => [l, 0]));
      for (const l of labels) out[this.labels[l]!]!++;
      return out;
    };
    return {
      training: count(this.sampler.epoch(0).labels),
      validation: count(this.splits.validation.labels),
      testing: count(this.splits.testing.labels),
    };
  }

  /** Per-class loss weights when balance is `weights`. */
  classWeights(): Float32Array | undefined {
    return this.sampler.classWeights();
  }

  /** Seeded augmented batches of training epoch `epoch`. */
  trainBatches(epoch: number, batchSize: number): AsyncIterable<Batch> {
    const plan = this.sampler.epoch(epoch);
    const train = this.splits.training;
    const items = plan.items.map((local) => train.items[local]!);
    return this.batcher.batches({ items, labels: plan.labels, seedKey: `${this.seed}/train/${epoch}`, augment: true }, batchSize);
  }

  /** Unaugmented batches of an evaluation split, the same on every call and for every seed. */
  evalBatches(split: Exclude<SplitName, 'training'>, batchSize: number): AsyncIterable<Batch> {
    if (split !== 'validation' && split !== 'testing') throw new ConfigError('split', "'validation' or 'testing'", split);
    const s = this.splits[split];
    return this.batcher.batches({ items: s.items, labels: s.labels, seedKey: `eval/${split}`, augment: false }, batchSize);
  }

  /** Stops the feature workers. */
  async close(): Promise<void> {
    await this.batcher.close();
  }
}

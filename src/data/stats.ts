/**
 * `keyspot data stats`: per split and per word folder, the number of readable clips and of
 * speakers; unreadable files; background noise files and their total duration.
 */
import { readAudioSync } from '../audio/read-audio.ts';
import type { SplitName } from '../types.ts';
import { indexSpeechCommands, type SpeechCommandsIndexOptions } from './speech-commands.ts';

/** Clips and distinct speakers of one word in one split. */
export interface WordStats {
  clips: number;
  speakers: number;
}

/** What {@link datasetStats} reports (the `--json` document). */
export interface DatasetStats {
  root: string;
  /** Where the splits come from: the list files or TensorFlow's hash split. */
  splitSource: 'lists' | 'hash';
  /** Every word folder found (wanted or not), per split. */
  splits: Record<SplitName, Record<string, WordStats>>;
  /** Totals per split. */
  totals: Record<SplitName, WordStats>;
  /** Files that could not be decoded (clips and noise). */
  unreadable: string[];
  backgroundNoise: {
    dir: string | null;
    /** Readable noise files. */
    files: number;
    /** Their total duration, seconds. */
    seconds: number;
  };
}

/** Options of {@link datasetStats}. */
export interface DatasetStatsOptions extends SpeechCommandsIndexOptions {
  /** Progress: files checked of total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Decodes every clip and noise file of a Speech Commands folder and counts them.
 * @throws DatasetError for a missing or empty folder
 */
export function datasetStats(root: string, options: DatasetStatsOptions = {}): DatasetStats {
  const { onProgress, ...indexOptions } = options;
  const index = indexSpeechCommands(root, indexOptions);
  const splitNames: SplitName[] = ['training', 'validation', 'testing'];
  const speakers = Object.fromEntries(splitNames.map((s) => [s, new Map<string, Set<string>>()])) as Record<SplitName, Map<string, Set<string>>>;
  const splits = Object.fromEntries(splitNames.map((s) => [s, Object.fromEntries(index.words.map((w) => [w, { clips: 0, speakers: 0 }]))])) as Record<SplitName, Record<string, WordStats>>;
  const unreadable: string[] = [];
  const total = index.clips.length + index.backgroundNoiseFiles.length;
  let done = 0;
  const tick = () => {
    done++;
    if (onProgress && (done % 256 === 0 || done === total)) onProgress(done, total);
  };
  for (const clip of index.clips) {
    try {
      readAudioSync(clip.path);
      splits[clip.split][clip.word]!.clips++;
      const set = speakers[clip.split].get(clip.word) ?? new Set<string>();
      set.add(clip.speaker);
      speakers[clip.split].set(clip.word, set);
    } catch {
      unreadable.push(clip.path);
    }
    tick();
  }
  const totals = {} as Record<SplitName, WordStats>;
  for (const s of splitNames) {
    const all = new Set<string>();
    let clips = 0;
    for (const w of index.words) {
      const set = speakers[s].get(w);
      splits[s][w]!.speakers = set?.size ?? 0;
      set?.forEach((x) => all.add(x));
      clips += splits[s][w]!.clips;
    }
    totals[s] = { clips, speakers: all.size };
  }
  let files = 0;
  let seconds = 0;
  for (const file of index.backgroundNoiseFiles) {
    try {
      const clip = readAudioSync(file);
      files++;
      seconds += clip.samples.length / clip.sampleRateHz;
    } catch {
      unreadable.push(file);
    }
    tick();
  }
  return {
    root: index.root,
    splitSource: index.splitSource,
    splits,
    totals,
    unreadable,
    backgroundNoise: { dir: index.backgroundNoiseDir, files, seconds: Math.round(seconds * 1000) / 1000 },
  };
}

/** Human-readable table of {@link DatasetStats}. */
export function formatDatasetStats(s: DatasetStats): string {
  const words = Object.keys(s.splits.training);
  const width = Math.max(8, ...words.map((w) => w.length));
  const cell = (x: WordStats) => `${String(x.clips).padStart(7)} ${String(x.speakers).padStart(8)}`;
  const lines = [
    `dataset ${s.root} (splits from ${s.splitSource === 'lists' ? 'validation_list.txt / testing_list.txt' : "TensorFlow's hash of the file names"})`,
    `${'word'.padEnd(width)}  ${'training'.padStart(16)}  ${'validation'.padStart(16)}  ${'testing'.padStart(16)}`,
    `${''.padEnd(width)}  ${'clips speakers'.padStart(16)}  ${'clips speakers'.padStart(16)}  ${'clips speakers'.padStart(16)}`,
    ...words.map((w) => `${w.padEnd(width)}  ${cell(s.splits.training[w]!)}  ${cell(s.splits.validation[w]!)}  ${cell(s.splits.testing[w]!)}`),
    `${'total'.padEnd(width)}  ${cell(s.totals.training)}  ${cell(s.totals.validation)}  ${cell(s.totals.testing)}`,
    `background noise: ${s.backgroundNoise.files} files, ${s.backgroundNoise.seconds.toFixed(1)} s${s.backgroundNoise.dir ? ` (${s.backgroundNoise.dir})` : ' (no noise folder)'}`,
    `unreadable files: ${s.unreadable.length}${s.unreadable.length ? `\n  ${s.unreadable.slice(0, 20).join('\n  ')}${s.unreadable.length > 20 ? `\n  ... and ${s.unreadable.length - 20} more` : ''}` : ''}`,
  ];
  return lines.join('\n');
}

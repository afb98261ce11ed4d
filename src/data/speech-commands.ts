/**
 * Index of a folder in the Speech Commands layout: `<root>/<word>/<speaker>_nohash_<n>.wav`
 * (or `.flac`), background noise in `<root>/background_noise/` or `<root>/_background_noise_/`, splits from
 * `validation_list.txt` / `testing_list.txt` when present, else TensorFlow's hash split.
 * Indexing lists files only; decoding (and skipping unreadable files) happens on loading.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAudioFileName, stripAudioExtension } from '../audio/read-audio.ts';
import { DatasetError } from '../errors.ts';
import type { SplitName } from '../types.ts';
import { BACKGROUND_NOISE_DIR_NAME } from './labels.ts';
import { checkPercentages, DEFAULT_TESTING_PERCENTAGE, DEFAULT_VALIDATION_PERCENTAGE, whichSet } from './split.ts';

/** Folder name of generated or user background noise inside a dataset root (keyspot's default). */
export const BACKGROUND_NOISE_DIR = 'background_noise';
/** List file of the validation split (paths relative to the root, one per line). */
export const VALIDATION_LIST_FILE = 'validation_list.txt';
/** List file of the testing split. */
export const TESTING_LIST_FILE = 'testing_list.txt';

/** One clip of the dataset. */
export interface ClipEntry {
  /** Absolute path. */
  path: string;
  /** Path relative to the root with `/` separators (`left/3cfc6b3a_nohash_2.wav`). */
  relPath: string;
  /** Word folder. */
  word: string;
  /** Speaker id: the file name before `_nohash_` (the whole base name without one). */
  speaker: string;
  /** Split of the clip. */
  split: SplitName;
}

/** Options of {@link indexSpeechCommands}. */
export interface SpeechCommandsIndexOptions {
  /** Percentage of clips in validation for the hash split (ignored with list files). @default 10 */
  validationPercentage?: number;
  /** Percentage of clips in testing for the hash split (ignored with list files). @default 10 */
  testingPercentage?: number;
  /**
   * Folder of background noise WAVs.
   * @default `<root>/background_noise/`, else `<root>/_background_noise_/`, else none
   */
  backgroundNoiseDir?: string;
}

/** What {@link indexSpeechCommands} found. */
export interface SpeechCommandsIndex {
  /** Absolute root folder. */
  root: string;
  /** Every word folder (sorted), wanted or not. */
  words: string[];
  /** Every audio file (`.wav`, `.flac`) in a word folder, sorted by `relPath`. */
  clips: ClipEntry[];
  /** Where the splits come from. */
  splitSource: 'lists' | 'hash';
  /** Background noise folder in use, or null. */
  backgroundNoiseDir: string | null;
  /** Background noise audio files (`.wav`, `.flac`; absolute paths, sorted). */
  backgroundNoiseFiles: string[];
}

/** The speaker id of a clip file name (`3cfc6b3a_nohash_2.wav` -> `3cfc6b3a`). */
export function speakerOf(fileName: string): string {
  const base = path.basename(fileName);
  const at = base.indexOf('_nohash_');
  return at >= 0 ? base.slice(0, at) : stripAudioExtension(base);
}

function readList(file: string): Set<string> | null {
  if (!fs.existsSync(file)) return null;
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim().replace(/\\/g, '/')).filter((l) => l.length > 0);
  return new Set(lines);
}

/** The background noise folder of a root (see {@link SpeechCommandsIndexOptions.backgroundNoiseDir}). */
export function findBackgroundNoiseDir(root: string, explicit?: string): string | null {
  if (explicit !== undefined) {
    if (!fs.existsSync(explicit) || !fs.statSync(explicit).isDirectory()) {
      throw new DatasetError(`backgroundNoiseDir ${explicit} is not a folder`);
    }
    return path.resolve(explicit);
  }
  for (const name of [BACKGROUND_NOISE_DIR, BACKGROUND_NOISE_DIR_NAME]) {
    const dir = path.join(root, name);
    if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) return path.resolve(dir);
  }
  return null;
}

/**
 * Lists the clips, splits and background noise of a Speech Commands folder.
 * Folders starting with `_` or `.` and the `background_noise` folder are not words.
 * @throws DatasetError when `root` is not a folder or holds no WAV or FLAC in any word folder
 * @throws ConfigError for bad split percentages
 */
export function indexSpeechCommands(root: string, options: SpeechCommandsIndexOptions = {}): SpeechCommandsIndex {
  const {
    validationPercentage = DEFAULT_VALIDATION_PERCENTAGE,
    testingPercentage = DEFAULT_TESTING_PERCENTAGE,
    backgroundNoiseDir,
  } = options;
  checkPercentages(validationPercentage, testingPercentage);
  const absRoot = path.resolve(root);
  if (!fs.existsSync(absRoot) || !fs.statSync(absRoot).isDirectory()) {
    throw new DatasetError(`data folder ${absRoot} does not exist (expected <root>/<word>/<speaker>_nohash_<n>.wav; make one with \`keyspot data synth --out ${root}\`)`);
  }
  const words = fs.readdirSync(absRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.') && e.name !== BACKGROUND_NOISE_DIR)
    .map((e) => e.name)
    .sort();
  const validation = readList(path.join(absRoot, VALIDATION_LIST_FILE));
  const testing = readList(path.join(absRoot, TESTING_LIST_FILE));
  const splitSource = validation || testing ? 'lists' : 'hash';
  const clips: ClipEntry[] = [];
  for (const word of words) {
    const names = fs.readdirSync(path.join(absRoot, word)).filter(isAudioFileName).sort();
    for (const name of names) {
      const relPath = `${word}/${name}`;
      const split: SplitName = splitSource === 'lists'
        ? (validation?.has(relPath) ? 'validation' : testing?.has(relPath) ? 'testing' : 'training')
        : whichSet(name, validationPercentage, testingPercentage);
      clips.push({ path: path.join(absRoot, word, name), relPath, word, speaker: speakerOf(name), split });
    }
  }
  if (clips.length === 0) {
    throw new DatasetError(`data folder ${absRoot} holds no WAV files in word folders, nor FLAC (found ${words.length} word folders${words.length ? `: ${words.slice(0, 10).join(', ')}` : ''}); expected <root>/<word>/<speaker>_nohash_<n>.wav`);
  }
  const noiseDir = findBackgroundNoiseDir(absRoot, backgroundNoiseDir);
  const backgroundNoiseFiles = noiseDir
    ? fs.readdirSync(noiseDir).filter(isAudioFileName).sort().map((n) => path.join(noiseDir, n))
    : [];
  return { root: absRoot, words, clips, splitSource, backgroundNoiseDir: noiseDir, backgroundNoiseFiles };
}

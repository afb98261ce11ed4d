/**
 * Reader of the official Speech Commands 12-class test layout (`speech_commands_test_set_v0.02`):
 * one folder per label, `yes/ ... go/`, `_silence_/`, `_unknown_/`, every file already labelled by
 * its folder (unknown files are named `<word>_<speaker>_nohash_<n>.wav.wav`). Lists files only;
 * decoding (and skipping unreadable files) happens on loading.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAudioFileName } from '../audio/read-audio.ts';
import { DatasetError } from '../errors.ts';
import { SILENCE_LABEL, UNKNOWN_LABEL } from './labels.ts';
import { TESTING_LIST_FILE, VALIDATION_LIST_FILE } from './speech-commands.ts';

/** One labelled clip of a test-layout folder. */
export interface TestLayoutEntry {
  /** Absolute path. */
  path: string;
  /** Path relative to the root with `/` separators (`_unknown_/bed_0c2ca723_nohash_0.wav.wav`). */
  relPath: string;
  /** Label folder the clip is in. */
  label: string;
  /** Index of `label` in the labels asked for. */
  labelIndex: number;
}

/** What {@link indexTestLayout} found. */
export interface TestLayoutIndex {
  /** Absolute root folder. */
  root: string;
  /** Clips whose folder is one of the labels, sorted by `relPath`. */
  clips: TestLayoutEntry[];
  /** Number of clips per label (in label order; 0 where a label has no folder). */
  countsPerLabel: number[];
  /** Label folders of the layout that are not among the labels (their clips are left out). */
  ignoredFolders: string[];
}

/**
 * True when `root` looks like the 12-class test layout: it holds a `_silence_/` or `_unknown_/`
 * folder with WAV files and no `validation_list.txt` / `testing_list.txt` (which mark the
 * training layout, whose `_background_noise_/` is not a label).
 */
export function isTestLayout(root: string): boolean {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return false;
  if (fs.existsSync(path.join(root, VALIDATION_LIST_FILE)) || fs.existsSync(path.join(root, TESTING_LIST_FILE))) return false;
  return [SILENCE_LABEL, UNKNOWN_LABEL].some((label) => {
    const dir = path.join(root, label);
    return fs.existsSync(dir) && fs.statSync(dir).isDirectory() && fs.readdirSync(dir).some(isAudioFileName);
  });
}

/**
 * Lists the clips of a 12-class test-layout folder for a model's labels.
 * @param root folder holding one sub-folder per label
 * @param labels the model's labels in output order (e.g. `_silence_, _unknown_, yes, ..., go`)
 * @throws DatasetError when `root` is not a folder, or no label of `labels` has a folder with WAV files
 */
export function indexTestLayout(root: string, labels: readonly string[]): TestLayoutIndex {
  const absRoot = path.resolve(root);
  if (!fs.existsSync(absRoot) || !fs.statSync(absRoot).isDirectory()) {
    throw new DatasetError(`test folder ${absRoot} does not exist (expected <root>/<label>/*.wav with labels ${labels.join(', ')})`);
  }
  const folders = fs.readdirSync(absRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const clips: TestLayoutEntry[] = [];
  const countsPerLabel = labels.map(() => 0);
  labels.forEach((label, labelIndex) => {
    if (!folders.includes(label)) return;
    const names = fs.readdirSync(path.join(absRoot, label)).filter(isAudioFileName).sort();
    for (const name of names) {
      clips.push({ path: path.join(absRoot, label, name), relPath: `${label}/${name}`, label, labelIndex });
    }
    countsPerLabel[labelIndex] = names.length;
  });
  if (clips.length === 0) {
    throw new DatasetError(`test folder ${absRoot} holds no WAV files in any label folder (labels ${labels.join(', ')}; found folders: ${folders.join(', ') || 'none'})`);
  }
  clips.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const ignoredFolders = folders.filter((f) => !labels.includes(f));
  return { root: absRoot, clips, countsPerLabel, ignoredFolders };
}

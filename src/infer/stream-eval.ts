/**
 * Streaming evaluation: reads a ground-truth labels file (TensorFlow's streaming test format,
 * one `label, offset_ms` line per spoken word), matches detections to words within a time
 * tolerance, counts hits, misses, wrong labels and false accepts (per hour), and sweeps the
 * detection threshold over stored window scores for a DET curve.
 */
import fs from 'node:fs';
import { DatasetError, ConfigError } from '../errors.ts';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../data/labels.ts';
import { CommandRecognizer, type CommandRecognizerOptions, type Detection } from './stream-recognizer.ts';
import type { WindowScores } from './stream.ts';

/** One spoken word of a test stream. */
export interface GroundTruthWord {
  /** Word label (`_unknown_` for words that are not keywords). */
  label: string;
  /** Start of the word's clip in the stream, ms. */
  offsetMs: number;
}

/**
 * Parses a labels file: `label, offset_ms` per line (comma and optional spaces), blank lines
 * and `#` comments ignored; sorted by time.
 * @param file path used in error messages
 * @throws DatasetError naming the file and line for a malformed line
 */
export function parseStreamLabels(text: string, file = 'labels'): GroundTruthWord[] {
  const out: GroundTruthWord[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(',').map((p) => p.trim());
    const offsetMs = Number(parts[1]);
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || !Number.isFinite(offsetMs) || offsetMs < 0) {
      throw new DatasetError(`${file}:${i + 1}: expected "label, offset_ms" (offset a number >= 0), got ${JSON.stringify(raw)}`);
    }
    out.push({ label: parts[0]!, offsetMs });
  });
  return out.sort((a, b) => a.offsetMs - b.offsetMs);
}

/** Reads a labels file (see {@link parseStreamLabels}). @throws DatasetError naming the file */
export function readStreamLabels(file: string): GroundTruthWord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DatasetError(`${file}: cannot read the labels file: ${(err as Error).message}`);
  }
  return parseStreamLabels(text, file);
}

/** Formats words as a labels file (`label,offset_ms` lines). */
export function formatStreamLabels(words: readonly GroundTruthWord[]): string {
  return words.map((w) => `${w.label},${Math.round(w.offsetMs)}\n`).join('');
}

/** Options of {@link scoreDetections}. */
export interface StreamScoreOptions {
  /** Largest distance between a detection's `windowStartMs` and a word's offset, ms. @default 750 (TensorFlow) */
  timeToleranceMs?: number;
  /** Stream length, ms (for false accepts per hour). */
  durationMs: number;
  /** Labels that are keywords (words with other labels are non-keywords). @default every label in the ground truth except `_unknown_` and `_silence_` */
  keywords?: readonly string[];
}

/** Default time tolerance of matching (TensorFlow's `time_tolerance_ms`). */
export const DEFAULT_TIME_TOLERANCE_MS = 750;

/** Counts of a streaming evaluation. */
export interface StreamScore {
  /** Keyword words detected with the right label / keyword words. */
  hitRate: number;
  /** Detections not matching a keyword word, per hour of audio. */
  falseAcceptsPerHour: number;
  /** Keyword words in the ground truth. */
  keywordWords: number;
  /** Non-keyword words (`_unknown_`) in the ground truth. */
  unknownWords: number;
  hits: number;
  /** Keyword words with no detection near them. */
  misses: number;
  /** Keyword words detected with another keyword's label. */
  wrongLabels: number;
  /** Detections near no word, near a non-keyword word, or repeating an already matched word. */
  falseAccepts: number;
  /** Detections in total. */
  detections: number;
  /** Stream length, hours. */
  durationHours: number;
  timeToleranceMs: number;
}

/**
 * Matches detections to ground-truth words. A detection matches the nearest unmatched word
 * whose offset lies within `timeToleranceMs` of the detection's `windowStartMs` (a same-label
 * word first). Same label: hit; another keyword: wrong label; a non-keyword word or nothing:
 * false accept.
 * @throws ConfigError for a bad tolerance or duration
 */
export function scoreDetections(truth: readonly GroundTruthWord[], detections: readonly Detection[], options: StreamScoreOptions): StreamScore {
  const { timeToleranceMs = DEFAULT_TIME_TOLERANCE_MS, durationMs } = options;
  if (!Number.isFinite(timeToleranceMs) || timeToleranceMs < 0) throw new ConfigError('timeToleranceMs', 'a number >= 0', timeToleranceMs);
  if (!Number.isFinite(durationMs) || durationMs <= 0) throw new ConfigError('durationMs', 'a number > 0', durationMs);
  const nonKeyword = new Set([UNKNOWN_LABEL, SILENCE_LABEL]);
  const keywords = new Set(options.keywords ?? truth.map((w) => w.label).filter((l) => !nonKeyword.has(l)));
  const isKeyword = (label: string) => keywords.has(label);
  const matched = new Array<boolean>(truth.length).fill(false);
  let hits = 0;
  let wrongLabels = 0;
  let falseAccepts = 0;
  for (const d of detections) {
    let best = -1;
    let bestKey = Number.POSITIVE_INFINITY;
    for (let i = 0; i < truth.length; i++) {
      if (matched[i]) continue;
      const dist = Math.abs(truth[i]!.offsetMs - d.windowStartMs);
      if (dist > timeToleranceMs) continue;
      // Same label first, then nearest.
      const key = (truth[i]!.label === d.label ? 0 : 1e9) + dist;
      if (key < bestKey) {
        bestKey = key;
        best = i;
      }
    }
    if (best < 0) {
      falseAccepts += 1;
      continue;
    }
    matched[best] = true;
    const word = truth[best]!;
    if (!isKeyword(word.label)) falseAccepts += 1;
    else if (word.label === d.label) hits += 1;
    else wrongLabels += 1;
  }
  const keywordWords = truth.filter((w) => isKeyword(w.label)).length;
  const durationHours = durationMs / 3_600_000;
  return {
    hitRate: keywordWords > 0 ? hits / keywordWords : 0,
    falseAcceptsPerHour: falseAccepts / durationHours,
    keywordWords,
    unknownWords: truth.length - keywordWords,
    hits,
    misses: keywordWords - hits - wrongLabels,
    wrongLabels,
    falseAccepts,
    detections: detections.length,
    durationHours,
    timeToleranceMs,
  };
}

/** One point of a threshold sweep. */
export interface SweepPoint {
  detectionThreshold: number;
  hitRate: number;
  /** 1 - hitRate. */
  missRate: number;
  falseAcceptsPerHour: number;
  falseAccepts: number;
  hits: number;
}

/** Default thresholds of {@link sweepThresholds}: 0.05 to 0.99. */
export const DEFAULT_SWEEP_THRESHOLDS: readonly number[] = Object.freeze([
  0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99,
]);

/**
 * Replays stored window scores through the recognizer at each threshold (the model runs once).
 * @param windows every classified window, in time order (`detectStream(..., { keepScores: true })`)
 */
export function sweepThresholds(
  windows: readonly WindowScores[],
  labels: readonly string[],
  truth: readonly GroundTruthWord[],
  options: StreamScoreOptions & { recognizer?: CommandRecognizerOptions; thresholds?: readonly number[] },
): SweepPoint[] {
  const { thresholds = DEFAULT_SWEEP_THRESHOLDS, recognizer = {}, ...scoreOptions } = options;
  return thresholds.map((detectionThreshold) => {
    const r = new CommandRecognizer(labels, { ...recognizer, detectionThreshold });
    const detections: Detection[] = [];
    for (const w of windows) {
      const d = r.process(w.scores, w.timeMs, w.windowStartMs);
      if (d) detections.push(d);
    }
    const s = scoreDetections(truth, detections, scoreOptions);
    return { detectionThreshold, hitRate: s.hitRate, missRate: 1 - s.hitRate, falseAcceptsPerHour: s.falseAcceptsPerHour, falseAccepts: s.falseAccepts, hits: s.hits };
  });
}

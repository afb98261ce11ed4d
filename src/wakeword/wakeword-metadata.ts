/**
 * The `wakeword` entry of a wake-word model's `metadata.json`: the phrases, their class labels,
 * the calibrated operating point (threshold and smoothing chosen in false accepts per hour on
 * held-out negatives) and the DET points it was chosen from. Every inference command reads it
 * through {@link recognizerOptionsFor}, so a wake-word model runs at its calibrated threshold
 * unless the user overrides it.
 */
import path from 'node:path';
import { SILENCE_LABEL, UNKNOWN_LABEL } from '../data/labels.ts';
import { DatasetError, formatValue } from '../errors.ts';
import { METADATA_FILE, type ModelMetadata } from '../export/model-dir.ts';
import type { CommandRecognizerOptions } from '../infer/stream-recognizer.ts';

/** Key of the wake-word entry in `metadata.json`. */
export const WAKEWORD_METADATA_KEY = 'wakeword';

/** The calibrated decision settings of a wake-word model and what they were measured to give. */
export interface WakewordOperatingPoint {
  /** Averaged phrase score needed to fire, in (0, 1] (fires when the average is above it). */
  detectionThreshold: number;
  /** Scores are averaged over this long, ms (>= 0). */
  averageWindowMs: number;
  /** No new detection for this long after one, ms (>= 0). */
  suppressionMs: number;
  /** Fewest windows in the average for a decision (integer >= 1). */
  minimumCount: number;
  /** The false-accept rate asked for, per hour (>= 0). */
  targetFaPerHour: number;
  /** measured on held-out negatives */
  faPerHour: number;
  /** False accepts counted on the held-out negatives (integer >= 0). */
  faCount: number;
  /** Length of the held-out negatives, hours (> 0). */
  negativeHours: number;
  /** 95% upper bound of the FA rate (Poisson; with 0 FAs: 3/hours) */
  faPerHourUpper95: number;
  /** on held-out positives when there are some */
  hitRate?: number;
  /** Held-out positive clips the hit rate was measured on. */
  positives?: number;
}

/** One point of the DET curve: an averaging window and a threshold, measured. */
export interface DetPoint {
  detectionThreshold: number;
  averageWindowMs: number;
  /** False accepts per hour on the held-out negatives. */
  faPerHour: number;
  /** False accepts counted on the held-out negatives. */
  faCount: number;
  /** Hit rate on the held-out positives (averaged per phrase), when there are some. */
  hitRate?: number;
}

/** The `wakeword` entry of `metadata.json`. */
export interface WakewordMetadata {
  /** The phrases as spoken, e.g. `['hey nova']`. */
  phrases: string[];
  /** Class label of each phrase (same order and length as `phrases`), e.g. `['hey_nova']`; each one of the model's labels. */
  labels: string[];
  /** The calibrated operating point. */
  operatingPoint: WakewordOperatingPoint;
  /** DET points of the calibration (for plots; may be empty). */
  det: DetPoint[];
  /** free-form provenance/licences, written by the trainer */
  data?: unknown;
}

type Check = (value: unknown) => boolean;
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const atLeast = (min: number): Check => (v) => isNumber(v) && (v as number) >= min;
const isCount: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const isProbability: Check = (v) => isNumber(v) && (v as number) >= 0 && (v as number) <= 1;

/** Fields of an operating point: check and expected range (for messages). */
const OPERATING_POINT_FIELDS: Record<keyof WakewordOperatingPoint, [Check, string, boolean]> = {
  detectionThreshold: [(v) => isNumber(v) && (v as number) > 0 && (v as number) <= 1, 'a number in (0, 1]', true],
  averageWindowMs: [atLeast(0), 'a number >= 0', true],
  suppressionMs: [atLeast(0), 'a number >= 0', true],
  minimumCount: [(v) => Number.isInteger(v) && (v as number) >= 1, 'an integer >= 1', true],
  targetFaPerHour: [atLeast(0), 'a number >= 0', true],
  faPerHour: [atLeast(0), 'a number >= 0', true],
  faCount: [isCount, 'an integer >= 0', true],
  negativeHours: [(v) => isNumber(v) && (v as number) > 0, 'a number > 0', true],
  faPerHourUpper95: [atLeast(0), 'a number >= 0', true],
  hitRate: [isProbability, 'a number in [0, 1]', false],
  positives: [isCount, 'an integer >= 0', false],
};

const DET_FIELDS: Record<keyof DetPoint, [Check, string, boolean]> = {
  detectionThreshold: OPERATING_POINT_FIELDS.detectionThreshold,
  averageWindowMs: OPERATING_POINT_FIELDS.averageWindowMs,
  faPerHour: OPERATING_POINT_FIELDS.faPerHour,
  faCount: OPERATING_POINT_FIELDS.faCount,
  hitRate: OPERATING_POINT_FIELDS.hitRate,
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The validated `wakeword` entry of a model's metadata, or undefined when the model has none
 * (an ordinary keyword model).
 * @param dir model folder (for error messages) @default '.'
 * @throws DatasetError naming `metadata.json`, the field, what it must be and its value, for a malformed entry
 */
export function readWakewordMetadata(metadata: ModelMetadata, dir = '.'): WakewordMetadata | undefined {
  const raw = metadata[WAKEWORD_METADATA_KEY];
  if (raw === undefined) return undefined;
  const file = path.join(dir, METADATA_FILE);
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new DatasetError(`${file}: ${WAKEWORD_METADATA_KEY}.${field} must be ${expected}, got ${formatValue(value)}`);
  };
  if (!isObject(raw)) throw new DatasetError(`${file}: ${WAKEWORD_METADATA_KEY} must be an object, got ${formatValue(raw)}`);
  const { phrases, labels, operatingPoint, det } = raw;
  if (!Array.isArray(phrases) || phrases.length < 1 || !phrases.every((p) => typeof p === 'string' && p.trim() !== '')) {
    fail('phrases', 'a non-empty array of non-empty strings', phrases);
  }
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string') || labels.length !== (phrases as string[]).length) {
    fail('labels', `an array of ${(phrases as string[]).length} label name(s), one per phrase`, labels);
  }
  for (const label of labels as string[]) {
    if (!metadata.labels.includes(label)) fail('labels', `model labels (${metadata.labels.join(', ')})`, label);
    // The recognizer never reports these, so a phrase with one of them could never be detected.
    if (label === SILENCE_LABEL || label === UNKNOWN_LABEL) fail('labels', `phrase labels, not ${SILENCE_LABEL} or ${UNKNOWN_LABEL}`, label);
  }
  if (!isObject(operatingPoint)) return fail('operatingPoint', 'an object', operatingPoint);
  for (const [key, [check, expected, required]] of Object.entries(OPERATING_POINT_FIELDS)) {
    const v = operatingPoint[key];
    if ((v !== undefined || required) && !check(v)) fail(`operatingPoint.${key}`, expected, v);
  }
  if (!Array.isArray(det)) return fail('det', 'an array of DET points', det);
  det.forEach((point, i) => {
    if (!isObject(point)) fail(`det[${i}]`, 'an object', point);
    for (const [key, [check, expected, required]] of Object.entries(DET_FIELDS)) {
      const v = (point as Record<string, unknown>)[key];
      if ((v !== undefined || required) && !check(v)) fail(`det[${i}].${key}`, expected, v);
    }
  });
  return raw as unknown as WakewordMetadata;
}

/** True when the model's metadata has a `wakeword` entry (not validated; see {@link readWakewordMetadata}). */
export function isWakewordModel(metadata: ModelMetadata): boolean {
  return metadata[WAKEWORD_METADATA_KEY] !== undefined;
}

/**
 * The recognizer options of a model: the stored operating point (threshold, averaging window,
 * suppression, minimum count) for wake-word models, `{}` for others (the recognizer's defaults).
 * @throws DatasetError naming `metadata.json` for a malformed `wakeword` entry
 */
export function recognizerOptionsFor(metadata: ModelMetadata, dir?: string): CommandRecognizerOptions {
  const wakeword = readWakewordMetadata(metadata, dir);
  if (!wakeword) return {};
  const { detectionThreshold, averageWindowMs, suppressionMs, minimumCount } = wakeword.operatingPoint;
  return { detectionThreshold, averageWindowMs, suppressionMs, minimumCount };
}

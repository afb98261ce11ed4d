/**
 * TensorFlow's Speech Commands split (`which_set` of `input_data.py`), reproduced exactly:
 * the SHA-1 of the file name with `_nohash_...` removed decides the split, so all clips of one
 * speaker land in the same split and the split stays stable when files are added.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { SplitName } from '../types.ts';

/** TensorFlow's `MAX_NUM_WAVS_PER_CLASS`: `2**27 - 1` (about 134M). */
export const MAX_NUM_WAVS_PER_CLASS = 2 ** 27 - 1;
/** Default percentage of clips in the validation split. */
export const DEFAULT_VALIDATION_PERCENTAGE = 10;
/** Default percentage of clips in the testing split. */
export const DEFAULT_TESTING_PERCENTAGE = 10;

const NOHASH = /_nohash_.*$/;

/** The part of a file name that is hashed: the base name with `_nohash_` and everything after it removed. */
export function splitHashName(filePath: string): string {
  return path.basename(filePath).replace(NOHASH, '');
}

/**
 * The split of a file: `percentage = (sha1(hashName) mod 2^27) * 100 / (2^27 - 1)`; below
 * `validationPercentage` is validation, below `validation + testing` is testing, else training.
 * @param filePath a path or name like `left/3cfc6b3a_nohash_2.wav`
 * @throws ConfigError when the percentages are outside [0, 100] or add up to more than 100
 */
export function whichSet(
  filePath: string,
  validationPercentage: number = DEFAULT_VALIDATION_PERCENTAGE,
  testingPercentage: number = DEFAULT_TESTING_PERCENTAGE,
): SplitName {
  checkPercentages(validationPercentage, testingPercentage);
  const hex = createHash('sha1').update(splitHashName(filePath), 'utf8').digest('hex');
  // int(hex, 16) % 2**27 keeps the low 27 bits: the last 7 hex digits, masked.
  const low = parseInt(hex.slice(-7), 16) % (MAX_NUM_WAVS_PER_CLASS + 1);
  const percentageHash = low * (100.0 / MAX_NUM_WAVS_PER_CLASS);
  if (percentageHash < validationPercentage) return 'validation';
  if (percentageHash < testingPercentage + validationPercentage) return 'testing';
  return 'training';
}

/** Validates split percentages. @throws ConfigError */
export function checkPercentages(validationPercentage: number, testingPercentage: number): void {
  for (const [name, v] of [['validationPercentage', validationPercentage], ['testingPercentage', testingPercentage]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) throw new ConfigError(name, 'a number in [0, 100]', v);
  }
  if (validationPercentage + testingPercentage > 100) {
    throw new ConfigError('validationPercentage + testingPercentage', 'at most 100', validationPercentage + testingPercentage);
  }
}

/**
 * Label conventions of Speech Commands, defined once (as TensorFlow's `input_data.py`):
 * `_silence_` is label 0, `_unknown_` label 1, then the wanted words in the given order.
 */

/** Label of examples without speech (background noise only). Index 0. */
export const SILENCE_LABEL = '_silence_';
/** Label of words that are not wanted. Index 1. */
export const UNKNOWN_LABEL = '_unknown_';
/** Index of {@link SILENCE_LABEL}. */
export const SILENCE_INDEX = 0;
/** Index of {@link UNKNOWN_LABEL}. */
export const UNKNOWN_INDEX = 1;
/** Folder of background noise inside a Speech Commands root (the official layout). */
export const BACKGROUND_NOISE_DIR_NAME = '_background_noise_';
/** The ten keywords of the Speech Commands benchmark, TensorFlow's default `wanted_words`. */
export const DEFAULT_WANTED_WORDS: readonly string[] = Object.freeze(['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go']);

/** Labels in index order: `[_silence_, _unknown_, ...wantedWords]` (TensorFlow's `prepare_words_list`). */
export function speechCommandsLabels(wantedWords: readonly string[]): string[] {
  return [SILENCE_LABEL, UNKNOWN_LABEL, ...wantedWords];
}

/**
 * The shipped negative speech pack (`assets/negatives/`): which source files it holds (a stable
 * hash share of each source folder, so the benchmark can exclude them) and their licences.
 */
import { hashFraction } from './negative-audio.ts';

/** One source folder of the pack. */
export interface NegativesPackSource {
  /** Folder name inside the pack. */
  name: string;
  /** Folder inside a wakeword_dev-style dataset. */
  folder: string;
  /** Share of the folder's files in the pack, by file-name hash. */
  share: number;
  description: string;
  licence: string;
  /** Licence file copied along (relative to the dataset root). */
  licenceFile?: string;
}

/** The pack's sources. */
export const NEGATIVES_PACK_SOURCES: readonly NegativesPackSource[] = Object.freeze([
  { name: 'librispeech', folder: 'negatives/librispeech/train-clean-100', share: 0.15, description: 'LibriSpeech train-clean-100 read English speech, ~12 s utterances, one speaker each (FLAC 16 kHz)', licence: 'CC BY 4.0 (LibriSpeech, Panayotov et al. 2015)', licenceFile: 'negatives/librispeech/LICENSE.TXT' },
  { name: 'not_wake_words', folder: 'negatives/not_wake_words/en', share: 0.3, description: 'OpenVoiceOS community recordings of short English words and phrases that are not wake words (WAV 16 kHz)', licence: 'public domain (OpenVoiceOS / Mycroft contributors)' },
]);

/** True when file `name` (a base name) of a source with `share` is in the pack. */
export function isInNegativesPack(name: string, share: number): boolean {
  return hashFraction(`keyspot-negatives-pack/${name}`) < share;
}

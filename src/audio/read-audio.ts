/**
 * Reading audio files of any supported format (WAV, FLAC) from disk, and the file names that
 * dataset listers take as audio.
 */
import fs from 'node:fs';
import { AudioFormatError } from '../errors.ts';
import type { AudioClip } from '../types.ts';
import { decodeAudio, initAudioDecoders } from './decode-audio.ts';

/** File endings read as audio (lower case). */
export const AUDIO_FILE_EXTENSIONS: readonly string[] = Object.freeze(['.wav', '.flac']);

/** True when `name` ends in one of {@link AUDIO_FILE_EXTENSIONS} (any case) and is not a hidden file. */
export function isAudioFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && AUDIO_FILE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** `name` without its audio extension (`a_nohash_0.flac` -> `a_nohash_0`). */
export function stripAudioExtension(name: string): string {
  const lower = name.toLowerCase();
  const ext = AUDIO_FILE_EXTENSIONS.find((e) => lower.endsWith(e));
  return ext ? name.slice(0, name.length - ext.length) : name;
}

/**
 * Reads and decodes an audio file (WAV or FLAC, found from its magic bytes); starts the decoders
 * first when needed.
 * @throws AudioFormatError naming `filePath` when the file cannot be read, WavFormatError /
 *   FlacFormatError when it cannot be decoded (see `decodeAudio`)
 */
export async function readAudio(filePath: string): Promise<AudioClip> {
  await initAudioDecoders();
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(filePath);
  } catch (err) {
    throw new AudioFormatError(`cannot read the file: ${(err as Error).message}`, filePath);
  }
  return decodeAudio(bytes, filePath);
}

/**
 * Reads and decodes an audio file synchronously (WAV or FLAC; FLAC needs `initAudioDecoders()`
 * to have finished once).
 * @throws AudioFormatError naming `filePath` when the file cannot be read, WavFormatError /
 *   FlacFormatError when it cannot be decoded; KeyspotError for FLAC before the decoder started
 */
export function readAudioSync(filePath: string): AudioClip {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (err) {
    throw new AudioFormatError(`cannot read the file: ${(err as Error).message}`, filePath);
  }
  return decodeAudio(bytes, filePath);
}

/**
 * Audio bytes of any supported format to a mono clip: the format is found from the magic bytes
 * (`RIFF`/`RIFX`/`RF64` WAV, `fLaC` FLAC), the file extension deciding only for bytes that match
 * no format. No Node imports: usable in a browser.
 */
import { AudioFormatError } from '../errors.ts';
import type { AudioClip } from '../types.ts';
import { decodeFlac, initFlacDecoder, isFlac } from './flac.ts';
import { decodeWav } from './wav.ts';

/** Formats {@link decodeAudio} reads. */
export type AudioFormat = 'wav' | 'flac';

/** Names and magic bytes of the supported formats, for messages. */
export const SUPPORTED_AUDIO_FORMATS = 'WAV (RIFF/WAVE: PCM 8/16/24/32-bit, float 32/64-bit) and FLAC (fLaC)';

function startsWith(bytes: Uint8Array, tag: string): boolean {
  if (bytes.length < tag.length) return false;
  for (let i = 0; i < tag.length; i++) if (bytes[i] !== tag.charCodeAt(i)) return false;
  return true;
}

/** The name of a known but unsupported format the bytes look like, or undefined. */
function unsupportedFormatOf(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, 'OggS')) return 'Ogg (Vorbis, Opus or Ogg FLAC)';
  if (startsWith(bytes, 'ID3') || (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)) return 'MP3 (MPEG audio)';
  if (startsWith(bytes, 'FORM')) return 'AIFF';
  if (bytes.length >= 8 && startsWith(bytes.subarray(4), 'ftyp')) return 'MP4/M4A';
  return undefined;
}

/**
 * The format of `bytes` from their magic bytes (an ID3v2 tag before `fLaC` is allowed), else from
 * the extension of `file` (`.wav`, `.flac`); undefined when neither tells.
 */
export function detectAudioFormat(bytes: Uint8Array, file?: string): AudioFormat | undefined {
  if (startsWith(bytes, 'RIFF') || startsWith(bytes, 'RIFX') || startsWith(bytes, 'RF64')) return 'wav';
  if (isFlac(bytes)) return 'flac';
  if (unsupportedFormatOf(bytes)) return undefined;
  const lower = file?.toLowerCase() ?? '';
  if (lower.endsWith('.wav') || lower.endsWith('.wave')) return 'wav';
  if (lower.endsWith('.flac')) return 'flac';
  return undefined;
}

/**
 * Starts every decoder that needs an asynchronous start (the WebAssembly FLAC decoder); call once
 * (later calls are free) before the synchronous {@link decodeAudio} or `readAudioSync` of a FLAC
 * file. `keyspot` commands, `readAudio` and `loadClips` call it themselves.
 */
export async function initAudioDecoders(): Promise<void> {
  await initFlacDecoder();
}

/**
 * Decodes a whole audio file (WAV or FLAC, found from the magic bytes) to a mono clip.
 * @param bytes the whole file
 * @param file path used in error messages and, for bytes of no known format, its extension
 * @throws WavFormatError / FlacFormatError naming `file` for a malformed file of that format;
 *   AudioFormatError for an unsupported (MP3, Ogg, ...) or unknown format, listing the supported ones
 * @throws KeyspotError for a FLAC file before {@link initAudioDecoders} has finished
 */
export function decodeAudio(bytes: Uint8Array, file?: string): AudioClip {
  const format = detectAudioFormat(bytes, file);
  switch (format) {
    case 'wav':
      return decodeWav(bytes, file);
    case 'flac':
      return decodeFlac(bytes, file);
    case undefined: {
      const other = unsupportedFormatOf(bytes);
      if (other) throw new AudioFormatError(`unsupported audio format: ${other}; supported: ${SUPPORTED_AUDIO_FORMATS}`, file);
      const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new AudioFormatError(`unknown audio format: ${bytes.length} bytes starting with ${head || '(nothing)'}; supported: ${SUPPORTED_AUDIO_FORMATS}`, file);
    }
    default:
      throw new AudioFormatError(`no decoder for format ${JSON.stringify(format satisfies never)}`, file);
  }
}

/**
 * Synthetic speech from espeak-ng (WebAssembly, offline): a real-looking test signal for the
 * audio front-end and for demos. Each call starts a fresh espeak-ng instance (about 0.3 s).
 */
import { ConfigError } from '../errors.ts';
import type { AudioClip } from '../types.ts';
import { decodeWav } from './wav.ts';

/** Options of {@link synthesizeSpeech}. */
export interface SpeechOptions {
  /** espeak-ng voice. @default 'en-us' */
  voice?: string;
  /** Speaking rate, words per minute. @default 150 */
  wordsPerMinute?: number;
  /** Pitch, 0..99. @default 50 */
  pitch?: number;
}

interface ESpeakInstance {
  FS: { readFile(path: string): Uint8Array };
}

/**
 * Speaks `text` with espeak-ng and returns the clip at espeak's native rate (22050 Hz).
 * @throws ConfigError for empty text or out-of-range options
 */
export async function synthesizeSpeech(text: string, opts: SpeechOptions = {}): Promise<AudioClip> {
  const { voice = 'en-us', wordsPerMinute = 150, pitch = 50 } = opts;
  if (typeof text !== 'string' || text.trim() === '') throw new ConfigError('text', 'a non-empty string', text);
  if (!Number.isInteger(wordsPerMinute) || wordsPerMinute < 80 || wordsPerMinute > 450) {
    throw new ConfigError('wordsPerMinute', 'an integer in [80, 450]', wordsPerMinute);
  }
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 99) throw new ConfigError('pitch', 'an integer in [0, 99]', pitch);
  const { default: ESpeakNg } = (await import('espeak-ng')) as unknown as {
    default: (o: { arguments: string[]; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<ESpeakInstance>;
  };
  const out = 'speech.wav';
  const espeak = await ESpeakNg({
    arguments: ['-w', out, '-v', voice, '-s', String(wordsPerMinute), '-p', String(pitch), text],
    print: () => {},
    printErr: () => {},
  });
  return decodeWav(espeak.FS.readFile(out), `espeak-ng:${voice}:${JSON.stringify(text)}`);
}

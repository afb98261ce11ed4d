/**
 * Offline speech synthesis with the `espeak-ng` npm package (eSpeak NG compiled to WASM):
 * one call runs the espeak-ng command line in a fresh WASM instance and returns the WAV it
 * wrote, decoded. Output is 22,050 Hz mono.
 */
import { decodeWav } from '../audio/wav.ts';
import { ConfigError } from '../errors.ts';
import type { AudioClip } from '../types.ts';

/** Sample rate of espeak-ng's output, Hz. */
export const ESPEAK_SAMPLE_RATE_HZ = 22050;

/** Voice settings of one synthesis. */
export interface EspeakVoice {
  /** Language voice, e.g. `en-us`, `en`, `en-gb-scotland`, `en-029`. */
  voice: string;
  /** Voice variant (`m1`..`m8`, `f1`..`f5`, `croak`, `whisper`, `Annie`, ...), or none. */
  variant?: string;
  /** Speaking rate, words per minute (80..450). @default 175 */
  rateWpm?: number;
  /** Pitch, 0..99. @default 50 */
  pitch?: number;
  /** Pitch range, 0..99. @default 50 */
  pitchRange?: number;
}

type EspeakModule = { FS: { readFile(path: string): Uint8Array } };
type EspeakFactory = (options: { arguments: string[]; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<EspeakModule>;

let factory: Promise<EspeakFactory> | undefined;

function loadFactory(): Promise<EspeakFactory> {
  factory ??= import('espeak-ng').then((m) => (m as { default: EspeakFactory }).default);
  return factory;
}

/**
 * Synthesises `text` (plain text, or SSML when `ssml` is true) with a voice.
 * @throws ConfigError for settings out of range; Error when espeak-ng writes no audio
 */
export async function speak(text: string, voice: EspeakVoice, ssml = false): Promise<AudioClip> {
  const { rateWpm = 175, pitch = 50, pitchRange = 50 } = voice;
  if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(voice.voice)) throw new ConfigError('voice', 'an espeak-ng voice name like en-us', voice.voice);
  if (voice.variant !== undefined && !/^[a-z0-9_]+$/i.test(voice.variant)) throw new ConfigError('variant', 'an espeak-ng variant name like m3', voice.variant);
  if (!(rateWpm >= 80 && rateWpm <= 450)) throw new ConfigError('rateWpm', 'a number in [80, 450]', rateWpm);
  if (!(pitch >= 0 && pitch <= 99)) throw new ConfigError('pitch', 'a number in [0, 99]', pitch);
  if (!(pitchRange >= 0 && pitchRange <= 99)) throw new ConfigError('pitchRange', 'a number in [0, 99]', pitchRange);
  const create = await loadFactory();
  const errors: string[] = [];
  const out = '/keyspot-out.wav';
  const args = [
    ...(ssml ? ['-m'] : []),
    '-v', voice.variant ? `${voice.voice}+${voice.variant}` : voice.voice,
    '-s', String(Math.round(rateWpm)),
    '-p', String(Math.round(pitch)),
    '-P', String(Math.round(pitchRange)),
    '-w', out,
    text,
  ];
  const mod = await create({ arguments: args, print: () => {}, printErr: (s) => errors.push(s) });
  let bytes: Uint8Array;
  try {
    bytes = mod.FS.readFile(out);
  } catch {
    throw new Error(`espeak-ng wrote no audio for voice ${args[ssml ? 2 : 1]}${errors.length ? `: ${errors.join(' ')}` : ''}`);
  }
  return decodeWav(bytes, `espeak-ng(${args[ssml ? 2 : 1]})`);
}

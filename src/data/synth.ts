/**
 * `keyspot data synth`: an offline, synthetic dataset in the Speech Commands layout, spoken by
 * eSpeak NG (WASM) with several voices, variants, rates and pitches, resampled to 16 kHz, plus
 * filler words for `_unknown_` and generated noises (white, pink, brown, hum) in
 * `background_noise/`. Deterministic for a seed. It is the embedded default data of
 * `npm start` and the source of test fixtures; it is not real speech.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { resample } from '../audio/resample.ts';
import { writeWavSync } from '../audio/wav.ts';
import { ConfigError } from '../errors.ts';
import { ESPEAK_SAMPLE_RATE_HZ, speak, type EspeakVoice } from './espeak.ts';
import { DEFAULT_WANTED_WORDS } from './labels.ts';
import { generateNoise, NOISE_KINDS } from './noise.ts';
import { createRng, type Rng } from './rng.ts';
import { BACKGROUND_NOISE_DIR, TESTING_LIST_FILE, VALIDATION_LIST_FILE } from './speech-commands.ts';

/** Default filler words (spoken as `_unknown_` examples): ten of the other Speech Commands words. */
export const DEFAULT_FILLER_WORDS: readonly string[] = Object.freeze(['bed', 'bird', 'cat', 'dog', 'happy', 'house', 'marvin', 'sheila', 'tree', 'wow']);
/** espeak-ng language voices the speakers cycle through. */
export const SYNTH_VOICES: readonly string[] = Object.freeze(['en-us', 'en', 'en-gb-scotland', 'en-029', 'en-gb-x-rp', 'en-us-nyc', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd']);
/** espeak-ng voice variants a speaker draws from. */
export const SYNTH_VARIANTS: readonly string[] = Object.freeze([
  'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'f1', 'f2', 'f3', 'f4', 'f5', 'Annie', 'Andrea', 'Alicia', 'Andy',
  'Alex', 'croak', 'grandma', 'grandpa', 'linda', 'steph', 'john', 'max', 'paul', 'rob', 'quincy', 'norbert', 'shelby', 'travis', 'victor',
]);
/** Defaults of {@link SynthOptions}. */
export const DEFAULT_SYNTH = Object.freeze({ voices: 10, repeats: 2, noiseSec: 30, seed: 0, sampleRateHz: 16000, clipDurationMs: 1000 });

/** Options of {@link synthesizeDataset}. */
export interface SynthOptions {
  /** Output folder (created; existing files of the same names are overwritten). */
  outDir: string;
  /** Words to speak (the keywords). @default DEFAULT_WANTED_WORDS */
  words?: readonly string[];
  /** Extra words for `_unknown_`. @default DEFAULT_FILLER_WORDS */
  fillerWords?: readonly string[];
  /** Number of synthetic speakers (voice + variant + rate + pitch). @default 10 */
  voices?: number;
  /** Utterances per speaker and word (rate and pitch jittered). @default 2 */
  repeats?: number;
  /** Seconds of each generated noise (white, pink, brown, hum). @default 30 */
  noiseSec?: number;
  /** Seed of the speakers, placement, loudness and noise. @default 0 */
  seed?: number;
  /** Output sample rate, Hz. @default 16000 */
  sampleRateHz?: number;
  /** Clip length, ms. @default 1000 */
  clipDurationMs?: number;
  /** Progress: `done` of `total` synthesis steps. */
  onProgress?: (done: number, total: number) => void;
}

/** A synthetic speaker. */
export interface SynthSpeaker extends EspeakVoice {
  /** Speaker id used in file names (8 hex digits). */
  id: string;
  /** Split the speaker's clips are listed in. */
  split: 'training' | 'validation' | 'testing';
}

/** What {@link synthesizeDataset} wrote. */
export interface SynthReport {
  outDir: string;
  words: string[];
  fillerWords: string[];
  speakers: SynthSpeaker[];
  /** Number of clip files written. */
  clips: number;
  /** Background noise files written. */
  noiseFiles: string[];
  /** Wall time, seconds. */
  elapsedSec: number;
}

const WORD_RE = /^[a-z][a-z']*$/;

function checkWords(name: string, words: readonly string[]): void {
  if (!Array.isArray(words) || words.some((w) => typeof w !== 'string' || !WORD_RE.test(w))) {
    throw new ConfigError(name, 'a list of lower-case words (letters and apostrophes)', words);
  }
}

/** The speakers of a seed: voices cycle, variant, rate and pitch drawn; the last ~10% each are testing and validation. */
export function synthSpeakers(count: number, seed: number): SynthSpeaker[] {
  const rng = createRng(`${seed}/synth/speakers`);
  const evalCount = count >= 3 ? Math.max(1, Math.round(count * 0.1)) : 0;
  return Array.from({ length: count }, (_, i) => ({
    id: createHash('sha1').update(`keyspot-synth/${seed}/${i}`).digest('hex').slice(0, 8),
    voice: SYNTH_VOICES[i % SYNTH_VOICES.length]!,
    variant: rng.pick(SYNTH_VARIANTS),
    rateWpm: Math.round(rng.uniform(130, 200)),
    pitch: Math.round(rng.uniform(20, 80)),
    pitchRange: Math.round(rng.uniform(30, 70)),
    split: i >= count - evalCount ? 'testing' : i >= count - 2 * evalCount ? 'validation' : 'training',
  }));
}

/**
 * Splits a recording of words separated by pauses into word segments: runs of 10 ms windows
 * whose peak exceeds `threshold`, ended by at least `minGapMs` of quiet, padded by 20 ms.
 */
export function splitOnSilence(samples: Float32Array, sampleRateHz: number, minGapMs = 250, threshold = 0.01): Float32Array[] {
  const win = Math.max(1, Math.round(sampleRateHz / 100));
  const pad = Math.round(sampleRateHz * 0.02);
  const minGap = Math.round((sampleRateHz * minGapMs) / 1000);
  const segments: Float32Array[] = [];
  let start = -1;
  let end = -1;
  let quiet = 0;
  const close = () => {
    segments.push(samples.slice(Math.max(0, start - pad), Math.min(samples.length, end + pad)));
    start = -1;
  };
  for (let i = 0; i < samples.length; i += win) {
    let peak = 0;
    for (let j = i; j < Math.min(i + win, samples.length); j++) peak = Math.max(peak, Math.abs(samples[j]!));
    if (peak > threshold) {
      if (start < 0) start = i;
      end = Math.min(i + win, samples.length);
      quiet = 0;
    } else if (start >= 0) {
      quiet += win;
      if (quiet >= minGap) close();
    }
  }
  if (start >= 0) close();
  return segments;
}

/** Places a word in a clip: peak scaled to `peak`, at a random offset (trimmed if too long). */
function placeWord(word: Float32Array, clipSamples: number, peak: number, rng: Rng): Float32Array {
  const clip = new Float32Array(clipSamples);
  let max = 0;
  for (const v of word) max = Math.max(max, Math.abs(v));
  const g = max > 0 ? peak / max : 0;
  const n = Math.min(word.length, clipSamples);
  const offset = rng.int(clipSamples - n + 1);
  const skip = Math.floor((word.length - n) / 2);
  for (let i = 0; i < n; i++) clip[offset + i] = word[skip + i]! * g;
  return clip;
}

async function speakWords(words: string[], voice: EspeakVoice): Promise<Float32Array[]> {
  // One WASM run per speaker and repeat: the words as SSML sentences separated by pauses.
  const ssml = `<speak>${words.map((w) => `<s>${w}</s><break time="700ms"/>`).join('')}</speak>`;
  const all = await speak(ssml, voice, true);
  const segments = splitOnSilence(all.samples, all.sampleRateHz);
  if (segments.length === words.length) return segments;
  // The pauses did not separate the words cleanly: one run per word.
  const out: Float32Array[] = [];
  for (const w of words) {
    const one = splitOnSilence((await speak(w, voice)).samples, ESPEAK_SAMPLE_RATE_HZ, 1000);
    out.push(one.length > 0 ? one.reduce((a, b) => (b.length > a.length ? b : a)) : new Float32Array(0));
  }
  return out;
}

function readme(report: Omit<SynthReport, 'elapsedSec'>, options: Required<Omit<SynthOptions, 'onProgress' | 'outDir' | 'words' | 'fillerWords'>>): string {
  return [
    '# Synthetic Speech Commands style dataset',
    '',
    '**This data is synthetic**: every clip was spoken by the eSpeak NG speech synthesizer (the `espeak-ng`',
    'npm package, WASM), not by people, and the background noises are generated. It lets keyspot run offline',
    'and in tests; models trained on it will not recognise real speech well. For real data run',
    '`keyspot data download speech-commands --out <dir>`.',
    '',
    `Made by \`keyspot data synth\` with seed ${options.seed}: ${report.speakers.length} synthetic speakers x ${options.repeats} repeats,`,
    `${options.sampleRateHz} Hz mono 16-bit, ${options.clipDurationMs} ms clips.`,
    '',
    `- keywords: ${report.words.join(', ')}`,
    `- filler words (for \`_unknown_\`): ${report.fillerWords.join(', ') || '(none)'}`,
    `- background_noise/: ${report.noiseFiles.map((f) => path.basename(f)).join(', ')}`,
    `- ${VALIDATION_LIST_FILE} / ${TESTING_LIST_FILE}: speaker-disjoint splits`,
    '',
    '| speaker | voice | variant | rate (wpm) | pitch | split |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.speakers.map((s) => `| ${s.id} | ${s.voice} | ${s.variant} | ${s.rateWpm} | ${s.pitch} | ${s.split} |`),
    '',
  ].join('\n');
}

/**
 * Writes a synthetic dataset: `<outDir>/<word>/<speaker>_nohash_<r>.wav` for every word and
 * filler word, `<outDir>/background_noise/{white,pink,brown,hum}_noise.wav`, list files and a
 * README saying the data is synthetic.
 * @throws ConfigError for bad options
 */
export async function synthesizeDataset(options: SynthOptions): Promise<SynthReport> {
  const started = Date.now();
  const {
    outDir,
    words = DEFAULT_WANTED_WORDS,
    fillerWords = DEFAULT_FILLER_WORDS,
    voices = DEFAULT_SYNTH.voices,
    repeats = DEFAULT_SYNTH.repeats,
    noiseSec = DEFAULT_SYNTH.noiseSec,
    seed = DEFAULT_SYNTH.seed,
    sampleRateHz = DEFAULT_SYNTH.sampleRateHz,
    clipDurationMs = DEFAULT_SYNTH.clipDurationMs,
    onProgress,
  } = options;
  checkWords('words', words);
  checkWords('fillerWords', fillerWords);
  if (words.length === 0) throw new ConfigError('words', 'at least one word', words);
  if (!Number.isInteger(voices) || voices < 1 || voices > 500) throw new ConfigError('voices', 'an integer in [1, 500]', voices);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 20) throw new ConfigError('repeats', 'an integer in [1, 20]', repeats);
  if (!(noiseSec >= 1 && noiseSec <= 3600)) throw new ConfigError('noiseSec', 'a number in [1, 3600]', noiseSec);
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 8000) throw new ConfigError('sampleRateHz', 'an integer >= 8000', sampleRateHz);
  if (!(clipDurationMs >= 100 && clipDurationMs <= 10000)) throw new ConfigError('clipDurationMs', 'a number in [100, 10000]', clipDurationMs);
  const allWords = [...new Set([...words, ...fillerWords])];
  const speakers = synthSpeakers(voices, seed);
  const clipSamples = Math.round((sampleRateHz * clipDurationMs) / 1000);
  const total = voices * repeats + NOISE_KINDS.length;
  let done = 0;
  fs.mkdirSync(outDir, { recursive: true });
  for (const w of allWords) fs.mkdirSync(path.join(outDir, w), { recursive: true });
  const lists = { validation: [] as string[], testing: [] as string[] };
  let clips = 0;
  for (const speaker of speakers) {
    for (let r = 0; r < repeats; r++) {
      const rng = createRng(`${seed}/synth/${speaker.id}/${r}`);
      const voice: EspeakVoice = {
        ...speaker,
        rateWpm: Math.min(450, Math.max(80, speaker.rateWpm! * rng.uniform(0.9, 1.1))),
        pitch: Math.min(99, Math.max(0, speaker.pitch! + rng.uniform(-8, 8))),
      };
      const segments = await speakWords(allWords, voice);
      allWords.forEach((word, k) => {
        if (segments[k]!.length === 0) return;
        const at16k = resample(segments[k]!, ESPEAK_SAMPLE_RATE_HZ, sampleRateHz);
        const clip = placeWord(at16k, clipSamples, rng.uniform(0.25, 0.9), rng);
        const rel = `${word}/${speaker.id}_nohash_${r}.wav`;
        writeWavSync(path.join(outDir, rel), { samples: clip, sampleRateHz });
        clips++;
        if (speaker.split !== 'training') lists[speaker.split].push(rel);
      });
      onProgress?.(++done, total);
    }
  }
  const noiseDir = path.join(outDir, BACKGROUND_NOISE_DIR);
  fs.mkdirSync(noiseDir, { recursive: true });
  const noiseFiles: string[] = [];
  for (const kind of NOISE_KINDS) {
    const file = path.join(noiseDir, `${kind}_noise.wav`);
    const samples = generateNoise({ kind, numSamples: Math.round(noiseSec * sampleRateHz), sampleRateHz }, createRng(`${seed}/synth/noise/${kind}`));
    writeWavSync(file, { samples, sampleRateHz });
    noiseFiles.push(file);
    onProgress?.(++done, total);
  }
  fs.writeFileSync(path.join(outDir, VALIDATION_LIST_FILE), lists.validation.sort().map((l) => `${l}\n`).join(''));
  fs.writeFileSync(path.join(outDir, TESTING_LIST_FILE), lists.testing.sort().map((l) => `${l}\n`).join(''));
  const report = { outDir: path.resolve(outDir), words: [...words], fillerWords: [...fillerWords], speakers, clips, noiseFiles };
  fs.writeFileSync(path.join(outDir, 'README.md'), readme(report, { voices, repeats, noiseSec, seed, sampleRateHz, clipDurationMs }));
  return { ...report, elapsedSec: (Date.now() - started) / 1000 };
}

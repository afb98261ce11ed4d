/**
 * Training speech for a wake phrase from its text: many utterances of the phrase (or of any
 * list of texts and phoneme strings) spoken by eSpeak NG and Flite with drawn voices, variants,
 * rates, pitches, word gaps, emphasis, stress shifts and pauses between words, trimmed and
 * resampled. Deterministic for a seed. Fast: the utterances of one synthetic speaker are
 * spoken in ONE eSpeak run (SSML sections separated by long breaks, split at those silences),
 * and both engines reuse one WASM instance ({@link runEspeak}, {@link runFlite}).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { resample } from '../audio/resample.ts';
import { spawnTsWorker } from '../batch/ts-worker.ts';
import { ESPEAK_SAMPLE_RATE_HZ, runEspeak } from '../data/espeak.ts';
import { createRng, type Rng } from '../data/rng.ts';
import { SYNTH_VOICES, SYNTH_VARIANTS } from '../data/synth.ts';
import { trimSilence } from './trim-silence.ts';
import { ConfigError } from '../errors.ts';
import { ESPEAK_TO_FLITE_PHONES, FLITE_VOICE_F0_HZ, FLITE_VOICES, fliteSpeak } from './flite.ts';
import { checkPhrase, isVowel, splitPhonemes } from './phrase-phonemes.ts';

/** Speech synthesizers available offline. */
export const SYNTH_ENGINES = Object.freeze(['espeak', 'flite'] as const);
/** One of {@link SYNTH_ENGINES}. */
export type SynthEngine = (typeof SYNTH_ENGINES)[number];

/** Defaults of {@link PhraseSynthOptions}. */
export const DEFAULT_PHRASE_SYNTH = Object.freeze({
  seed: 0,
  sampleRateHz: 16000,
  engines: Object.freeze(['espeak', 'flite'] as SynthEngine[]),
  fliteShare: 0.25,
  utterancesPerSpeaker: 4,
  marginMs: 50,
  minRateWpm: 120,
  maxRateWpm: 220,
  minPitch: 20,
  maxPitch: 80,
  maxBreakMs: 200,
  workers: 0,
});

/** eSpeak pause between the utterances of one run, ms (the split points). */
const SEPARATOR_BREAK_MS = 1000;
/** A gap must be at least this long to count as a separator, ms. */
const MIN_SEPARATOR_GAP_MS = 400;
/** Frames quieter than the loudest by more than this are silence when trimming, dB. */
const TRIM_RANGE_DB = 40;
/** Frames below this are always silence when trimming, dBFS. */
const TRIM_FLOOR_DB = -55;

/** Something to say: text (spoken as words) and/or eSpeak phoneme mnemonics (`h'eI n'oUv@`). */
export interface SpeechItem {
  /** Words, e.g. `hey nova`. */
  text?: string;
  /** eSpeak mnemonics, words separated by spaces; spoken as `[[...]]` when there is no text or a stress variant is drawn. */
  phonemes?: string;
}

/** One synthesized utterance. */
export interface SynthesizedUtterance {
  /** Mono samples at `sampleRateHz`, leading and trailing silence trimmed to `marginMs`. */
  samples: Float32Array;
  sampleRateHz: number;
  engine: SynthEngine;
  /** eSpeak language voice (`en-us`, `en-gb-scotland`, ...) or Flite voice (`kal16`, `slt`, ...). */
  voice: string;
  /** eSpeak voice variant (`m3`, `f2`, `Annie`, ...); none for Flite. */
  variant?: string;
  /** Speaking rate, words per minute (eSpeak: base rate x SSML prosody rate; Flite: 175 / duration stretch). */
  rateWpm: number;
  /** Pitch on eSpeak's 0..99 scale (Flite: mapped to a mean F0 between 0.75x and 1.25x the voice's). */
  pitch: number;
  /** eSpeak pitch range, 0..99 (Flite: none). */
  pitchRange?: number;
  /** eSpeak word gap (`-g`), ms at the default rate. */
  wordGapMs?: number;
  /** Index of the word spoken with SSML `<emphasis>`, if any. */
  emphasisWord?: number;
  /** Pauses inserted between consecutive words, ms (empty: none). */
  breaksMs: number[];
  /** The item's text when it was spoken as text. */
  text?: string;
  /** The phonemes spoken (`[[...]]`), when spoken from phonemes (possibly with a shifted stress). */
  phonemes?: string;
  /** Index of the item in the input list. */
  item: number;
}

/** Options shared by {@link synthesizeItems}, {@link synthesizePhrase} and `synthesizeConfusables`. */
export interface SpeechSynthOptions {
  /** Seed of every draw; equal seeds give identical samples. @default 0 */
  seed?: number | string;
  /** Output sample rate, Hz. @default 16000 */
  sampleRateHz?: number;
  /** Engines to draw speakers from. @default ['espeak', 'flite'] */
  engines?: readonly SynthEngine[];
  /** Fraction of speakers drawn from Flite when both engines are used (0..1). @default 0.25 */
  fliteShare?: number;
  /** Consecutive utterances sharing one synthetic speaker (one eSpeak run); 1 = every utterance its own voice. @default 4 */
  utterancesPerSpeaker?: number;
  /** Silence kept before and after the speech, ms. @default 50 */
  marginMs?: number;
  /**
   * Worker threads (0 or 1: synthesize in this thread). The result does not depend on it.
   * Each worker costs a start-up of 2-10 s (tsx, both WASM engines), so workers pay off only
   * for thousands of utterances on otherwise idle cores.
   * @default 0
   */
  workers?: number;
  /** Progress: `done` of `total` utterances. */
  onProgress?: (done: number, total: number) => void;
}

/** Options of {@link synthesizePhrase}. */
export interface PhraseSynthOptions extends SpeechSynthOptions {
  /** Number of utterances (1..100000). */
  count: number;
}

/** A drawn synthetic speaker. */
interface Speaker {
  engine: SynthEngine;
  voice: string;
  variant?: string;
  rateWpm: number;
  pitch: number;
  pitchRange: number;
  wordGapMs: number;
}

/** What one utterance says and how, before synthesis. */
interface UtterancePlan {
  item: number;
  words: string[];
  /** True: spoken from `words` as phoneme words. */
  fromPhonemes: boolean;
  ratePercent: number;
  pitchPercent: number;
  emphasisWord?: number;
  breaksMs: number[];
}

function checkOptions(o: SpeechSynthOptions): ChunkOptions {
  const {
    seed = DEFAULT_PHRASE_SYNTH.seed,
    sampleRateHz = DEFAULT_PHRASE_SYNTH.sampleRateHz,
    engines = DEFAULT_PHRASE_SYNTH.engines,
    fliteShare = DEFAULT_PHRASE_SYNTH.fliteShare,
    utterancesPerSpeaker = DEFAULT_PHRASE_SYNTH.utterancesPerSpeaker,
    marginMs = DEFAULT_PHRASE_SYNTH.marginMs,
  } = o;
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 8000 || sampleRateHz > 48000) throw new ConfigError('sampleRateHz', 'an integer in [8000, 48000]', sampleRateHz);
  if (!Array.isArray(engines) || engines.length === 0 || engines.some((e) => !SYNTH_ENGINES.includes(e))) {
    throw new ConfigError('engines', `a non-empty list of ${SYNTH_ENGINES.join(', ')}`, engines);
  }
  if (!(fliteShare >= 0 && fliteShare <= 1)) throw new ConfigError('fliteShare', 'a number in [0, 1]', fliteShare);
  if (!Number.isInteger(utterancesPerSpeaker) || utterancesPerSpeaker < 1 || utterancesPerSpeaker > 64) {
    throw new ConfigError('utterancesPerSpeaker', 'an integer in [1, 64]', utterancesPerSpeaker);
  }
  if (!(marginMs >= 0 && marginMs <= 1000)) throw new ConfigError('marginMs', 'a number in [0, 1000]', marginMs);
  return { seed, sampleRateHz, engines, fliteShare, utterancesPerSpeaker, marginMs };
}

function drawSpeaker(engines: readonly SynthEngine[], fliteShare: number, rng: Rng): Speaker {
  const d = DEFAULT_PHRASE_SYNTH;
  const engine: SynthEngine = engines.length === 1 ? engines[0]! : rng.next() < fliteShare ? 'flite' : 'espeak';
  const rateWpm = Math.round(rng.uniform(d.minRateWpm + 10, d.maxRateWpm - 10));
  const pitch = Math.round(rng.uniform(d.minPitch, d.maxPitch));
  const pitchRange = Math.round(rng.uniform(20, 80));
  if (engine === 'flite') return { engine, voice: rng.pick(FLITE_VOICES), rateWpm, pitch, pitchRange, wordGapMs: 0 };
  return { engine, voice: rng.pick(SYNTH_VOICES), variant: rng.pick(SYNTH_VARIANTS), rateWpm, pitch, pitchRange, wordGapMs: 10 * rng.int(4) };
}

/**
 * Moves the primary stress of one drawn word of `phonemes` to another vowel of that word (a
 * one-word phrase), or makes it secondary (a phrase of several words, whose other words keep
 * theirs). Returns the phonemes unchanged when no word has a primary stress.
 */
export function shiftStress(phonemes: string, rng: Rng): string {
  const words = phonemes.split(' ');
  const stressed = words.map((w, i) => (w.includes("'") ? i : -1)).filter((i) => i >= 0);
  if (stressed.length === 0) return phonemes;
  const wi = rng.pick(stressed);
  const symbols = splitPhonemes(words[wi]!);
  const bare = symbols.filter((t) => t !== "'" && t !== ',');
  const oldVowel = symbols.slice(0, symbols.indexOf("'")).filter((t) => t !== "'" && t !== ',').length;
  const candidates = bare.map((t, i) => (isVowel(t) && i !== oldVowel ? i : -1)).filter((i) => i >= 0);
  if (words.length > 1 || candidates.length === 0) {
    words[wi] = words[wi]!.replace("'", ',');
  } else {
    const at = rng.pick(candidates);
    words[wi] = [...bare.slice(0, at), "'", ...bare.slice(at)].join('');
  }
  return words.join(' ');
}

/** eSpeak mnemonics -> Flite phones (stress marks dropped, unknown symbols skipped). */
export function toFlitePhones(phonemes: string): string {
  const out: string[] = [];
  const bare = phonemes.replace(/['",%=_]/g, '').replace(/\s+/g, ' ');
  for (const word of bare.split(' ')) {
    for (const sym of splitPhonemes(word)) {
      const ph = ESPEAK_TO_FLITE_PHONES[sym];
      if (ph) out.push(ph);
    }
  }
  return out.join(' ');
}

function planUtterance(item: SpeechItem, index: number, rng: Rng, speaker: Speaker): UtterancePlan {
  const d = DEFAULT_PHRASE_SYNTH;
  let fromPhonemes = item.text === undefined;
  let phonemes = item.phonemes;
  // A stress variant in one of five eSpeak utterances that have phonemes.
  if (speaker.engine === 'espeak' && phonemes && item.text !== undefined && rng.next() < 0.2) {
    phonemes = shiftStress(phonemes, rng);
    fromPhonemes = true;
  }
  const words = (fromPhonemes ? phonemes! : item.text!).split(' ').filter((w) => w.length > 0);
  const ratePercent = Math.round(Math.min(d.maxRateWpm, Math.max(d.minRateWpm, speaker.rateWpm * rng.uniform(0.85, 1.15))) * 100 / speaker.rateWpm);
  const pitchPercent = Math.round(rng.uniform(88, 112));
  const emphasisWord = speaker.engine === 'espeak' && !fromPhonemes && rng.next() < 0.25 ? rng.int(words.length) : undefined;
  const breaksMs = speaker.engine === 'espeak' && words.length > 1 && rng.next() < 0.3
    ? Array.from({ length: words.length - 1 }, () => Math.round(rng.uniform(0, d.maxBreakMs)))
    : [];
  return { item: index, words, fromPhonemes, ratePercent, pitchPercent, emphasisWord, breaksMs };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The SSML of one utterance (a `<prosody>` section). */
function utteranceSsml(p: UtterancePlan): string {
  const words = p.words.map((w, i) => {
    const spoken = p.fromPhonemes ? ` [[${w}]] ` : escapeXml(w);
    return i === p.emphasisWord ? `<emphasis>${spoken}</emphasis>` : spoken;
  });
  const body = words.map((w, i) => (i < p.breaksMs.length ? `${w} <break time="${p.breaksMs[i]}ms"/> ` : w)).join(' ');
  return `<prosody rate="${p.ratePercent}%" pitch="${p.pitchPercent}%">${body} </prosody>`;
}

/**
 * Start and end of the speech in `samples`: 10 ms frames within {@link TRIM_RANGE_DB} of the
 * loudest frame and above {@link TRIM_FLOOR_DB}, widened by `marginSamples`.
 */
export function speechBounds(samples: Float32Array, sampleRateHz: number, marginSamples: number): [number, number] {
  const t = trimSilence(samples, { sampleRateHz, rangeDb: TRIM_RANGE_DB, floorDb: TRIM_FLOOR_DB, marginMs: (marginSamples * 1000) / sampleRateHz });
  return [t.startSample, t.endSample];
}

/**
 * Cuts a run of `count` utterances separated by long pauses at its `count - 1` longest quiet
 * stretches (10 ms frames below -55 dBFS). Returns undefined when a chosen stretch is shorter
 * than {@link MIN_SEPARATOR_GAP_MS} (the pauses did not separate the utterances).
 */
export function splitAtLongestGaps(samples: Float32Array, sampleRateHz: number, count: number): Float32Array[] | undefined {
  if (count === 1) return [samples];
  const frame = Math.max(1, Math.round(sampleRateHz / 100));
  const frames = Math.floor(samples.length / frame);
  const quietLevel = 10 ** (TRIM_FLOOR_DB / 10);
  const gaps: { start: number; length: number }[] = [];
  let run = -1;
  let seenSpeech = false;
  for (let f = 0; f <= frames; f++) {
    let quiet = false;
    if (f < frames) {
      let e = 0;
      for (let i = f * frame; i < (f + 1) * frame; i++) e += samples[i]! * samples[i]!;
      quiet = e / frame < quietLevel;
    }
    if (quiet && seenSpeech && run < 0) run = f;
    if (!quiet) {
      if (run >= 0 && f < frames) gaps.push({ start: run, length: f - run });
      run = -1;
      if (f < frames) seenSpeech = true;
    }
  }
  const chosen = gaps.sort((a, b) => b.length - a.length || a.start - b.start).slice(0, count - 1);
  if (chosen.length < count - 1 || chosen.some((g) => g.length * 10 < MIN_SEPARATOR_GAP_MS)) return undefined;
  const cuts = chosen.map((g) => (g.start + Math.floor(g.length / 2)) * frame).sort((a, b) => a - b);
  const bounds = [0, ...cuts, samples.length];
  return bounds.slice(1).map((end, i) => samples.slice(bounds[i]!, end));
}

function espeakArgs(s: Speaker, ssml: string): string[] {
  return ['-m', '-v', s.variant ? `${s.voice}+${s.variant}` : s.voice, '-s', String(s.rateWpm), '-p', String(s.pitch), '-P', String(s.pitchRange), '-g', String(s.wordGapMs / 10), ssml];
}

async function speakEspeak(s: Speaker, plans: UtterancePlan[]): Promise<Float32Array[]> {
  const ssml = `<speak>${plans.map((p) => `${utteranceSsml(p)}<break time="${SEPARATOR_BREAK_MS}ms"/>`).join('')}</speak>`;
  const run = await runEspeak(espeakArgs(s, ssml), { wav: true });
  if (!run.audio) throw new Error(`espeak-ng wrote no audio for ${s.voice}${run.stderr.length ? `: ${run.stderr.join(' ')}` : ''}`);
  const parts = splitAtLongestGaps(run.audio.samples, ESPEAK_SAMPLE_RATE_HZ, plans.length);
  if (parts) return parts;
  // The pauses did not separate the utterances: one run each.
  const out: Float32Array[] = [];
  for (const p of plans) {
    const one = await runEspeak(espeakArgs(s, `<speak>${utteranceSsml(p)}</speak>`), { wav: true });
    out.push(one.audio?.samples ?? new Float32Array(0));
  }
  return out;
}

async function speakFlite(s: Speaker, p: UtterancePlan, item: SpeechItem): Promise<{ samples: Float32Array; sampleRateHz: number }> {
  const voice = s.voice as (typeof FLITE_VOICES)[number];
  const rateWpm = (s.rateWpm * p.ratePercent) / 100;
  const pitchScale = 0.75 + (0.5 * s.pitch) / 99;
  const clip = await fliteSpeak(p.fromPhonemes ? { phones: toFlitePhones(item.phonemes ?? p.words.join(' ')) } : { text: item.text! }, {
    voice,
    durationStretch: Math.round((175 / rateWpm) * 1000) / 1000,
    f0MeanHz: Math.round(FLITE_VOICE_F0_HZ[voice] * pitchScale * (p.pitchPercent / 100)),
  });
  return clip;
}

/** Checked options as sent to a worker (no callback). */
type ChunkOptions = Required<Omit<SpeechSynthOptions, 'onProgress' | 'workers'>>;

/** A job of the worker pool: the items of one speaker. */
interface ChunkJob {
  /** Speaker index. */
  chunk: number;
  /** Index of `items[0]` in the whole list. */
  from: number;
  items: SpeechItem[];
  options: ChunkOptions;
}

/** Synthesizes the utterances of speaker `chunk` (items `from` .. `from + items.length - 1`). */
async function synthesizeChunk(job: ChunkJob): Promise<SynthesizedUtterance[]> {
  const { chunk, from, items, options: o } = job;
  const speaker = drawSpeaker(o.engines, o.fliteShare, createRng(`${o.seed}/phrase-synth/speaker/${chunk}`));
  const plans = items.map((it, j) => planUtterance(it, from + j, createRng(`${o.seed}/phrase-synth/utterance/${from + j}`), speaker));
  let audio: { samples: Float32Array; sampleRateHz: number }[];
  if (speaker.engine === 'espeak') {
    audio = (await speakEspeak(speaker, plans)).map((samples) => ({ samples, sampleRateHz: ESPEAK_SAMPLE_RATE_HZ }));
  } else {
    audio = [];
    for (const p of plans) audio.push(await speakFlite(speaker, p, items[p.item - from]!));
  }
  return plans.map((p, j) => {
    const a = audio[j]!;
    const [start, end] = speechBounds(a.samples, a.sampleRateHz, Math.round((o.marginMs * a.sampleRateHz) / 1000));
    const trimmed = a.samples.subarray(start, end);
    const item = items[j]!;
    return {
      samples: a.sampleRateHz === o.sampleRateHz ? trimmed.slice() : resample(trimmed, a.sampleRateHz, o.sampleRateHz),
      sampleRateHz: o.sampleRateHz,
      engine: speaker.engine,
      voice: speaker.voice,
      ...(speaker.variant ? { variant: speaker.variant } : {}),
      rateWpm: Math.round((speaker.rateWpm * p.ratePercent) / 100),
      pitch: Math.round(Math.min(99, (speaker.pitch * p.pitchPercent) / 100)),
      ...(speaker.engine === 'espeak' ? { pitchRange: speaker.pitchRange, wordGapMs: speaker.wordGapMs } : {}),
      ...(p.emphasisWord !== undefined ? { emphasisWord: p.emphasisWord } : {}),
      breaksMs: p.breaksMs,
      ...(p.fromPhonemes ? { phonemes: speaker.engine === 'flite' ? item.phonemes ?? p.words.join(' ') : p.words.join(' ') } : { text: item.text! }),
      item: p.item,
    };
  });
}

/** Runs chunk jobs on `workers` worker threads, handing each result to `done` as it arrives. */
async function runPool(jobs: ChunkJob[], workers: number, done: (job: ChunkJob, utterances: SynthesizedUtterance[]) => void): Promise<void> {
  let next = 0;
  const runWorker = () => new Promise<void>((resolve, reject) => {
    const worker = spawnTsWorker(import.meta.url, { keyspotPhraseSynthWorker: true });
    let current: ChunkJob | undefined;
    const send = () => {
      if (next >= jobs.length) {
        current = undefined;
        void worker.terminate().then(() => resolve());
        return;
      }
      current = jobs[next++]!;
      worker.postMessage(current);
    };
    worker.on('message', (msg: { type: 'ready' } | { type: 'done'; utterances: SynthesizedUtterance[] } | { type: 'error'; message: string }) => {
      if (msg.type === 'error') {
        void worker.terminate();
        reject(new Error(msg.message));
        return;
      }
      if (msg.type === 'done') done(current!, msg.utterances);
      send();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (current) reject(new Error(`phrase synthesis worker exited with code ${code}`));
    });
  });
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, runWorker));
}

/**
 * Speaks each item once with drawn synthetic speakers: every `utterancesPerSpeaker`
 * consecutive utterances share an engine, voice, variant, base rate, pitch, pitch range and
 * word gap (and one eSpeak run); each utterance draws its own rate (+-15%, kept in 120..220
 * wpm), pitch (+-12%), emphasis (one word, in one utterance of four), pauses between words
 * (0..200 ms, in three utterances of ten) and, when the item has text and phonemes, a stress
 * shift (one in five, eSpeak only). Utterances come back in item order; their samples depend
 * only on the items, the options and the seed, never on `workers`.
 * @throws ConfigError for bad options or an item with neither text nor phonemes
 */
export async function synthesizeItems(items: readonly SpeechItem[], options: SpeechSynthOptions = {}): Promise<SynthesizedUtterance[]> {
  const o = checkOptions(options);
  items.forEach((it, i) => {
    const text = it.text?.trim();
    const ph = it.phonemes?.trim();
    if (!text && !ph) throw new ConfigError(`items[${i}]`, 'an item with text or phonemes', it);
    if (it.phonemes !== undefined && /[[\]<>&]/.test(it.phonemes)) throw new ConfigError(`items[${i}].phonemes`, 'eSpeak mnemonics without brackets or markup', it.phonemes);
  });
  const total = items.length;
  const { workers = DEFAULT_PHRASE_SYNTH.workers } = options;
  if (!Number.isInteger(workers) || workers < 0 || workers > 16) throw new ConfigError('workers', 'an integer in [0, 16]', workers);
  const jobs: ChunkJob[] = [];
  for (let from = 0, chunk = 0; from < total; from += o.utterancesPerSpeaker, chunk++) {
    jobs.push({ chunk, from, items: items.slice(from, from + o.utterancesPerSpeaker).map((it) => ({ ...it })), options: o });
  }
  const out: SynthesizedUtterance[] = new Array(total);
  let done = 0;
  const collect = (job: ChunkJob, utterances: SynthesizedUtterance[]) => {
    utterances.forEach((u, j) => (out[job.from + j] = u));
    done += utterances.length;
    options.onProgress?.(done, total);
  };
  if (workers <= 1 || jobs.length < 2) {
    for (const job of jobs) collect(job, await synthesizeChunk(job));
  } else {
    await runPool(jobs, workers, collect);
  }
  return out;
}

// Worker-thread entry of the pool; importing this module in the main thread does nothing.
const poolData = workerData as { keyspotPhraseSynthWorker?: boolean } | null;
if (!isMainThread && parentPort && poolData?.keyspotPhraseSynthWorker) {
  const port = parentPort;
  port.on('message', (job: ChunkJob) => {
    synthesizeChunk(job).then(
      (utterances) => port.postMessage({ type: 'done', utterances }, utterances.map((u) => u.samples.buffer as ArrayBuffer)),
      (e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  });
  port.postMessage({ type: 'ready' });
}

/**
 * `count` utterances of a wake phrase ({@link synthesizeItems} of the checked phrase with its
 * eSpeak phonemes, so stress variants can be drawn).
 * @throws ConfigError for a bad phrase (see `checkPhrase`), `count` outside 1..100000 or bad options
 */
export async function synthesizePhrase(phrase: string, options: PhraseSynthOptions): Promise<SynthesizedUtterance[]> {
  const { count } = options;
  if (!Number.isInteger(count) || count < 1 || count > 100000) throw new ConfigError('count', 'an integer in [1, 100000]', count);
  const checked = await checkPhrase(phrase);
  const item: SpeechItem = { text: checked.phrase, phonemes: checked.phonemes };
  return synthesizeItems(Array.from({ length: count }, () => item), options);
}

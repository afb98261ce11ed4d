/**
 * Offline speech synthesis with the `espeak-ng` npm package (eSpeak NG compiled to WASM):
 * one call runs the espeak-ng command line in a fresh WASM instance and returns the WAV it
 * wrote, decoded. Output is 22,050 Hz mono. {@link runEspeak} runs command lines in one reused
 * instance instead (its memory restored before each run): ~10-50 ms per call instead of ~0.2-2 s.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
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

type EspeakModule = { FS: { readFile(path: string): Uint8Array; unlink(path: string): void } };
type EspeakFactory = (options: {
  arguments?: string[];
  noInitialRun?: boolean;
  print?: (s: string) => void;
  printErr?: (s: string) => void;
  instantiateWasm?: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;
}) => Promise<EspeakModule>;

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

/** What one {@link runEspeak} call printed and wrote. */
export interface EspeakRunResult {
  /** Lines printed on stdout (e.g. the phoneme mnemonics of `-q -x`). */
  stdout: string[];
  /** Lines printed on stderr. */
  stderr: string[];
  /** espeak-ng's exit status. */
  exitCode: number;
  /** The WAV it wrote, decoded (22,050 Hz mono); only with `wav: true`, undefined if none was written. */
  audio?: AudioClip;
}

/** Options of {@link runEspeak}. */
export interface RunEspeakOptions {
  /** Append `-w <file>` before the last argument and return the decoded WAV. @default false */
  wav?: boolean;
}

interface ReusableEspeak {
  module: EspeakModule;
  exports: {
    memory: WebAssembly.Memory;
    __main_argc_argv(argc: number, argv: number): number;
    stackSave(): number;
    stackRestore(sp: number): void;
    stackAlloc(bytes: number): number;
  };
  /** Linear memory as it was before `main` first ran. */
  snapshot: Uint8Array;
  stackPointer: number;
  sink: { out: string[]; err: string[] };
}

let reusable: Promise<ReusableEspeak> | undefined;

/** Fixed time, ms since 1970, that {@link runEspeak}'s instance sees. */
const FROZEN_CLOCK_MS = 1_700_000_000_000;

/**
 * The imports with the clock stopped: espeak-ng seeds its noise generator from the time, so
 * a fresh instance (as in {@link speak}) gives slightly different samples from run to run;
 * with a frozen clock every run of the same command line gives the same samples.
 */
function frozenClock(imports: WebAssembly.Imports): WebAssembly.Imports {
  const frozen: WebAssembly.Imports = {};
  for (const [name, table] of Object.entries(imports)) {
    frozen[name] = { ...table, emscripten_date_now: () => FROZEN_CLOCK_MS, emscripten_get_now: () => 0 };
  }
  return frozen;
}

async function loadReusable(): Promise<ReusableEspeak> {
  const create = await loadFactory();
  const sink = { out: [] as string[], err: [] as string[] };
  let instance: WebAssembly.Instance | undefined;
  const wasmPath = path.join(path.dirname(createRequire(import.meta.url).resolve('espeak-ng')), 'espeak-ng.wasm');
  const module = await create({
    noInitialRun: true,
    print: (s) => sink.out.push(s),
    printErr: (s) => sink.err.push(s),
    instantiateWasm: (imports, done) => {
      void import('node:fs/promises')
        .then((fs) => fs.readFile(wasmPath))
        .then((bytes) => WebAssembly.instantiate(bytes, frozenClock(imports)))
        .then((r) => {
          instance = r.instance;
          done(r.instance, r.module);
        });
      return {};
    },
  });
  if (!instance) throw new Error('espeak-ng: the WASM instance was not created');
  const exports = instance.exports as unknown as ReusableEspeak['exports'];
  return { module, exports, snapshot: new Uint8Array(exports.memory.buffer).slice(), stackPointer: exports.stackSave(), sink };
}

/**
 * Runs the espeak-ng command line (`args` without the program name) in one WASM instance that
 * is reused across calls: before each run its linear memory is restored to the state before
 * the first run, so every run sees a freshly started program, and its clock is frozen, so
 * the same command line always gives the same samples, bit for bit ({@link speak}'s fresh
 * instances see the real time and differ slightly). About 20-40 ms per call instead of
 * ~200 ms. Runs are synchronous once the instance is loaded, so calls never interleave.
 * @throws Error when espeak-ng crashes (the instance is then discarded)
 */
export async function runEspeak(args: readonly string[], options: RunEspeakOptions = {}): Promise<EspeakRunResult> {
  const { wav = false } = options;
  reusable ??= loadReusable();
  const r = await reusable;
  const out = '/keyspot-run.wav';
  const all = ['espeak-ng', ...(wav ? [...args.slice(0, -1), '-w', out, ...args.slice(-1)] : args)];
  if (wav) {
    try {
      r.module.FS.unlink(out);
    } catch {
      // no file from an earlier run
    }
  }
  const heap = new Uint8Array(r.exports.memory.buffer);
  heap.set(r.snapshot);
  heap.fill(0, r.snapshot.length);
  r.exports.stackRestore(r.stackPointer);
  const encoder = new TextEncoder();
  const pointers = all.map((a) => {
    const bytes = encoder.encode(`${a}\0`);
    const p = r.exports.stackAlloc(bytes.length);
    new Uint8Array(r.exports.memory.buffer).set(bytes, p);
    return p;
  });
  const argv = r.exports.stackAlloc(4 * (all.length + 1));
  const words = new Uint32Array(r.exports.memory.buffer, argv, all.length + 1);
  pointers.forEach((p, i) => (words[i] = p));
  words[all.length] = 0;
  r.sink.out = [];
  r.sink.err = [];
  let exitCode: number;
  try {
    exitCode = r.exports.__main_argc_argv(all.length, argv);
  } catch (e) {
    const status = (e as { name?: string; status?: number }).name === 'ExitStatus' ? (e as { status: number }).status : undefined;
    if (status === undefined) {
      reusable = undefined;
      throw new Error(`espeak-ng crashed on ${JSON.stringify(all.slice(1))}: ${(e as Error).message}`);
    }
    exitCode = status;
  } finally {
    r.exports.stackRestore(r.stackPointer);
  }
  const result: EspeakRunResult = { stdout: r.sink.out, stderr: r.sink.err, exitCode };
  if (wav) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = r.module.FS.readFile(out);
    } catch {
      bytes = undefined;
    }
    if (bytes) result.audio = decodeWav(bytes, 'espeak-ng');
  }
  return result;
}

/**
 * Loading audio into the compact caches: every clip decoded, converted to the target sample
 * rate and stored as Int16 at the clip length; unreadable files are skipped and reported,
 * never fatal. Clips can be decoded by worker threads straight into the shared store.
 */
import { initAudioDecoders } from '../audio/decode-audio.ts';
import { readAudioSync } from '../audio/read-audio.ts';
import { toSampleRate } from '../audio/resample.ts';
import { spawnTsWorker } from '../batch/ts-worker.ts';
import { ClipStore, toSharedInt16, type SharedClipStore } from './clip-store.ts';

/** Progress callback: `done` of `total` files loaded. */
export type LoadProgress = (done: number, total: number) => void;

/** An unreadable file and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Result of {@link loadClips}. */
export interface LoadedClips {
  /** One slot per input path (slots of skipped files stay silent and unused). */
  store: ClipStore;
  /** Input indices of the readable clips, ascending (their store slot is the same index). */
  readable: Int32Array;
  /** Files that could not be decoded, in input order. */
  skipped: SkippedFile[];
}

/** Options of {@link loadClips}. */
export interface LoadClipsOptions {
  /** Worker threads decoding in parallel (0: the calling thread). @default 0 */
  workers?: number;
  /** Progress callback. */
  onProgress?: LoadProgress;
}

/** Files per job sent to a loading worker. */
const LOAD_JOB_FILES = 256;

/** Decodes `paths[k]` into slot `firstSlot + k` of `store`; returns the failures (by slot). */
export function decodeInto(store: ClipStore, paths: readonly string[], firstSlot: number, sampleRateHz: number): { index: number; reason: string }[] {
  const failed: { index: number; reason: string }[] = [];
  paths.forEach((p, k) => {
    try {
      store.set(firstSlot + k, toSampleRate(readAudioSync(p), sampleRateHz).samples);
    } catch (err) {
      failed.push({ index: firstSlot + k, reason: err instanceof Error ? err.message : String(err) });
    }
  });
  return failed;
}

/** Message to a loading worker. */
export interface LoadJob {
  from: number;
  to: number;
  paths: string[];
}

/**
 * Decodes `paths` into a {@link ClipStore} at `sampleRateHz` and `samplesPerClip` (padded or
 * trimmed at the end). Corrupt or unreadable files are left out and listed in `skipped`.
 * The result is the same with any number of workers.
 */
export async function loadClips(paths: readonly string[], sampleRateHz: number, samplesPerClip: number, options: LoadClipsOptions = {}): Promise<LoadedClips> {
  const { workers = 0, onProgress } = options;
  await initAudioDecoders();
  const store = ClipStore.create(paths.length, samplesPerClip);
  const failed = new Map<number, string>();
  let done = 0;
  const report = (n: number) => {
    done += n;
    onProgress?.(done, paths.length);
  };
  if (workers <= 0 || paths.length < 2 * LOAD_JOB_FILES) {
    for (let from = 0; from < paths.length; from += LOAD_JOB_FILES) {
      const to = Math.min(paths.length, from + LOAD_JOB_FILES);
      for (const f of decodeInto(store, paths.slice(from, to), from, sampleRateHz)) failed.set(f.index, f.reason);
      report(to - from);
    }
  } else {
    let next = 0;
    const runWorker = () => new Promise<void>((resolve, reject) => {
      const worker = spawnTsWorker(new URL('./load-worker.ts', import.meta.url).href, {
        keyspotLoadWorker: true, store: store.toShared() satisfies SharedClipStore, sampleRateHz,
      });
      const send = () => {
        if (next >= paths.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const from = next;
        const to = Math.min(paths.length, from + LOAD_JOB_FILES);
        next = to;
        worker.postMessage({ from, to, paths: paths.slice(from, to) } satisfies LoadJob);
      };
      worker.on('message', (msg: { type: 'ready' } | { type: 'done'; from: number; to: number; failed: { index: number; reason: string }[] }) => {
        if (msg.type === 'done') {
          for (const f of msg.failed) failed.set(f.index, f.reason);
          report(msg.to - msg.from);
        }
        send();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { if (next < paths.length) reject(new Error(`audio loading worker exited with code ${code}`)); });
    });
    await Promise.all(Array.from({ length: Math.min(workers, Math.ceil(paths.length / LOAD_JOB_FILES)) }, runWorker));
  }
  const readable: number[] = [];
  const skipped: SkippedFile[] = [];
  for (let i = 0; i < paths.length; i++) {
    const reason = failed.get(i);
    if (reason === undefined) readable.push(i);
    else skipped.push({ path: paths[i]!, reason });
  }
  return { store, readable: Int32Array.from(readable), skipped };
}

/** Background noise tracks loaded as shared Int16 (files shorter than `minSamples` are skipped). */
export interface LoadedNoise {
  /** Shared Int16 tracks at `sampleRateHz`. */
  tracks: SharedArrayBuffer[];
  /** The file of each track. */
  files: string[];
  /** Total duration of the kept tracks, seconds. */
  totalSec: number;
  skipped: SkippedFile[];
}

/**
 * Scales `samples` in place so that the largest magnitude is 1 (digital silence is left as is).
 * Background noise is stored peak-normalised: the mixing volumes (noise into words up to 0.1,
 * `_silence_` up to 1) then mean the same on full-scale recordings (the official Speech Commands
 * noise files) and on quiet copies of them, whose `_silence_` examples would otherwise be far
 * quieter than the silence a model meets in use.
 */
export function normalizePeak(samples: Float32Array): Float32Array {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]!);
    if (a > peak) peak = a;
  }
  if (peak > 0) {
    const g = 1 / peak;
    for (let i = 0; i < samples.length; i++) samples[i] *= g;
  }
  return samples;
}

/**
 * Loads background noise WAVs at `sampleRateHz`, peak-normalised (see {@link normalizePeak});
 * unreadable or too short files are skipped.
 */
export function loadNoise(paths: readonly string[], sampleRateHz: number, minSamples: number): LoadedNoise {
  const out: LoadedNoise = { tracks: [], files: [], totalSec: 0, skipped: [] };
  for (const p of paths) {
    try {
      const clip = toSampleRate(readAudioSync(p), sampleRateHz);
      if (clip.samples.length < minSamples) {
        out.skipped.push({ path: p, reason: `background noise is too short: ${clip.samples.length} samples, need at least ${minSamples} (one clip)` });
        continue;
      }
      out.tracks.push(toSharedInt16(normalizePeak(clip.samples)));
      out.files.push(p);
      out.totalSec += clip.samples.length / sampleRateHz;
    } catch (err) {
      out.skipped.push({ path: p, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

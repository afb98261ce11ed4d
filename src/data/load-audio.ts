/**
 * Loading audio into the compact caches: every clip decoded, converted to the target sample
 * rate and stored as Int16 at the clip length; unreadable files are skipped and reported,
 * never fatal.
 */
import { readWavSync } from '../audio/wav.ts';
import { toSampleRate } from '../audio/resample.ts';
import { ClipStore, toSharedInt16 } from './clip-store.ts';

/** Progress callback: `done` of `total` files loaded. */
export type LoadProgress = (done: number, total: number) => void;

/** An unreadable file and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Result of {@link loadClips}. */
export interface LoadedClips {
  /** The readable clips, in input order (padded or trimmed to `samplesPerClip`). */
  store: ClipStore;
  /** Index into the input list of each stored clip. */
  sourceIndex: Int32Array;
  /** Files that could not be decoded. */
  skipped: SkippedFile[];
}

/**
 * Decodes `paths` into a {@link ClipStore} at `sampleRateHz` and `samplesPerClip`.
 * Corrupt or unreadable files are left out and listed in `skipped`.
 */
export function loadClips(paths: readonly string[], sampleRateHz: number, samplesPerClip: number, onProgress?: LoadProgress): LoadedClips {
  const skipped: SkippedFile[] = [];
  // Store as decoded; skipped files leave unused room at the end, dropped by truncated().
  const kept: number[] = [];
  const temp = ClipStore.create(paths.length, samplesPerClip);
  let stored = 0;
  for (let i = 0; i < paths.length; i++) {
    try {
      const clip = toSampleRate(readWavSync(paths[i]!), sampleRateHz);
      temp.set(stored++, clip.samples);
      kept.push(i);
    } catch (err) {
      skipped.push({ path: paths[i]!, reason: err instanceof Error ? err.message : String(err) });
    }
    if (onProgress && ((i + 1) % 256 === 0 || i + 1 === paths.length)) onProgress(i + 1, paths.length);
  }
  const store = stored < paths.length ? temp.truncated(stored) : temp;
  return { store, sourceIndex: Int32Array.from(kept), skipped };
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

/** Loads background noise WAVs at `sampleRateHz`; unreadable or too short files are skipped. */
export function loadNoise(paths: readonly string[], sampleRateHz: number, minSamples: number): LoadedNoise {
  const out: LoadedNoise = { tracks: [], files: [], totalSec: 0, skipped: [] };
  for (const p of paths) {
    try {
      const clip = toSampleRate(readWavSync(p), sampleRateHz);
      if (clip.samples.length < minSamples) {
        out.skipped.push({ path: p, reason: `background noise is too short: ${clip.samples.length} samples, need at least ${minSamples} (one clip)` });
        continue;
      }
      out.tracks.push(toSharedInt16(clip.samples));
      out.files.push(p);
      out.totalSec += clip.samples.length / sampleRateHz;
    } catch (err) {
      out.skipped.push({ path: p, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/**
 * Negative audio for wake-word training and calibration: audio files listed from folders
 * (WAV or FLAC, recursively), a stable split of files into training and calibration (by a hash
 * of the path relative to its folder, so adding files never moves others), and cutting long
 * recordings into model-window segments.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isAudioFileName } from '../audio/read-audio.ts';
import { DatasetError } from '../errors.ts';

/**
 * Every audio file below `dir` (sorted, absolute paths).
 * @throws DatasetError when `dir` is not a folder
 */
export function listAudioFiles(dir: string): string[] {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new DatasetError(`${dir}: not a folder (expected a folder of WAV or FLAC files)`);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (isAudioFileName(e.name)) out.push(p);
    }
  };
  walk(abs);
  return out;
}

/** A number in [0, 1) from the SHA-1 of `key` (stable across runs and machines). */
export function hashFraction(key: string): number {
  const h = createHash('sha1').update(key).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

/**
 * Splits files into training and calibration: a file goes to calibration when the hash of
 * `salt + its base name` falls below `calibrationFraction`.
 */
export function splitCalibration(files: readonly string[], calibrationFraction: number, salt = 'keyspot-calibration'): { training: string[]; calibration: string[] } {
  const training: string[] = [];
  const calibration: string[] = [];
  for (const f of files) (hashFraction(`${salt}/${path.basename(f)}`) < calibrationFraction ? calibration : training).push(f);
  return { training, calibration };
}

/**
 * Cuts `samples` into segments of `windowSamples` every `hopSamples` (the last one ends at the
 * end; a clip shorter than a window is one zero-padded segment).
 */
export function cutSegments(samples: Float32Array, windowSamples: number, hopSamples: number): Float32Array[] {
  if (samples.length <= windowSamples) {
    const s = new Float32Array(windowSamples);
    s.set(samples);
    return [s];
  }
  const out: Float32Array[] = [];
  let start = 0;
  for (; start + windowSamples <= samples.length; start += hopSamples) out.push(samples.slice(start, start + windowSamples));
  if (start - hopSamples + windowSamples < samples.length) out.push(samples.slice(samples.length - windowSamples));
  return out;
}

/**
 * Audio front-end benchmark: decode + log-mel (98 x 40) of 1 s, 16 kHz clips on one thread,
 * clips/s, with librosa (per clip) and tf.signal (batched, 1 thread) timed on the same clips in
 * the same run (bench/features_reference.py, when /work/venv or $KEYSPOT_PYTHON is present).
 *
 *   flock /tmp/keyspot-bench.lock npx tsx bench/features.ts [--data DIR] [--clips N] [--reps N] [--no-python]
 *
 * Clips: the first N WAV files of a Speech Commands folder (default ../shared/datasets/speech_commands_dev);
 * without one, N synthetic clips written to a temporary folder. Prints a table and one JSON line.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogMel } from '../src/audio/log-mel.ts';
import { Mfcc } from '../src/audio/mfcc.ts';
import { decodeWav, encodeWav } from '../src/audio/wav.ts';
import { createRng } from '../src/data/rng.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(ROOT, arg('data', '../shared/datasets/speech_commands_dev'));
const numClips = Number(arg('clips', '1000'));
const reps = Number(arg('reps', '5'));
const python = process.env.KEYSPOT_PYTHON ?? '/work/venv/bin/python';
const usePython = !process.argv.includes('--no-python') && fs.existsSync(python);

function listClips(): string[] {
  if (!fs.existsSync(dataDir)) return [];
  const out: string[] = [];
  for (const word of fs.readdirSync(dataDir).sort()) {
    const d = path.join(dataDir, word);
    if (word.startsWith('_') || !fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.wav')) out.push(path.join(d, f));
  }
  // Interleave words so any prefix mixes speakers and words.
  const rng = createRng('bench-features');
  return rng.shuffle(out).slice(0, numClips);
}

let files = listClips();
let tmpDir: string | undefined;
if (files.length === 0) {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-bench-features-'));
  const rng = createRng('bench-features-synth');
  files = Array.from({ length: numClips }, (_, i) => {
    const samples = Float32Array.from({ length: 16000 }, (_, j) => 0.3 * Math.sin(j * (0.05 + 0.001 * i)) + 0.05 * rng.normal());
    const p = path.join(tmpDir!, `clip${i}.wav`);
    fs.writeFileSync(p, encodeWav({ samples, sampleRateHz: 16000 }));
    return p;
  });
}
const bytes = files.map((f) => fs.readFileSync(f));
const logMel = new LogMel();
const mfcc = new Mfcc({ mfcc: 13 });
const clip = new Float32Array(logMel.settings.samplesPerClip);
const out = new Float32Array(logMel.numFrames * logMel.numBins);

function padInto(samples: Float32Array): Float32Array {
  if (samples.length === clip.length) return samples;
  clip.fill(0);
  clip.set(samples.subarray(0, clip.length));
  return clip;
}

/** Best clips/s over `reps` passes over all clips. */
function time(label: string, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(200, bytes.length); i++) fn(i); // warm-up
  let best = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < bytes.length; i++) fn(i);
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, bytes.length / sec);
  }
  console.log(`${label.padEnd(34)} ${best.toFixed(0).padStart(7)} clips/s`);
  return best;
}

console.log(`clips: ${bytes.length} from ${tmpDir ? 'synthetic WAVs' : dataDir}; best of ${reps} passes; one thread`);
console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} (other processes share the cores)`);
const decodeOnly = time('decode only', (i) => decodeWav(bytes[i]!, files[i]));
const decoded = bytes.map((b, i) => padInto(decodeWav(b, files[i]).samples).slice());
const featuresOnly = time('log-mel only (98x40)', (i) => logMel.computeInto(decoded[i]!, out, 0));
const total = time('decode + log-mel (98x40)', (i) => logMel.computeInto(padInto(decodeWav(bytes[i]!, files[i]).samples), out, 0));
const mfccOut = new Float32Array(mfcc.numFrames * mfcc.numBins);
const withMfcc = time('decode + MFCC (98x13)', (i) => mfcc.computeInto(padInto(decodeWav(bytes[i]!, files[i]).samples), mfccOut, 0));

let reference: { librosaClipsPerSec: number; tfSignalClipsPerSec: number; librosa: string; tensorflow: string } | undefined;
if (usePython) {
  const list = path.join(os.tmpdir(), `keyspot-bench-features-${process.pid}.txt`);
  fs.writeFileSync(list, files.join('\n'));
  try {
    const stdout = execFileSync(python, [path.join(ROOT, 'bench', 'features_reference.py'), list, '--reps', String(Math.min(reps, 3))], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, OMP_NUM_THREADS: '1', TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    reference = JSON.parse(stdout.trim().split('\n').pop()!);
  } catch (err) {
    console.log(`python reference failed: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    fs.rmSync(list, { force: true });
  }
} else {
  console.log('python reference skipped (no /work/venv/bin/python or --no-python)');
}
if (reference) {
  console.log(`librosa ${reference.librosa} per clip (decode + log-mel) ${reference.librosaClipsPerSec.toFixed(0).padStart(7)} clips/s`);
  console.log(`tf.signal ${reference.tensorflow} batched 100, 1 thread  ${reference.tfSignalClipsPerSec.toFixed(0).padStart(7)} clips/s`);
  console.log(`keyspot / librosa:   ${(total / reference.librosaClipsPerSec).toFixed(1)}x`);
  console.log(`keyspot / tf.signal: ${(total / reference.tfSignalClipsPerSec).toFixed(1)}x`);
}
console.log(`load average at the end: ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
console.log(JSON.stringify({ clips: bytes.length, decodeOnly, featuresOnly, decodePlusLogMel: total, decodePlusMfcc: withMfcc, reference }));
if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });

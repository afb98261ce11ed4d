/**
 * Benchmark: custom wake words on real speech (issue #17). For each phrase of
 * `wakeword_dev/positives/`, a stream of its real recordings among held-out real negative speech
 * (LibriSpeech, OpenVoiceOS non-wake-words) over real noise (Speech Commands
 * `_background_noise_`) at ~10 dB SNR; hit rate at the model's own calibrated threshold and
 * false accepts per hour on the negative parts.
 *
 *   npx tsx bench/wakeword.ts [--phrases hey_k9,athena,...] [--modes text,rec10] [--minutes 8] [--out DIR] [--backbone DIR]
 *
 * Modes: `text` trains from the phrase's text only (`train wakeword --phrase "..."`); `rec10`
 * adds 10 of the phrase's recordings (`--recordings`), which are then left out of the stream;
 * `synthkws` is the path before `train wakeword` (`data synth --words <phrase>` + `train kws` with
 * npm start's settings, default threshold 0.7; single-word phrases only).
 * Both use `--negatives` = the benchmark's training share of LibriSpeech (30% of those files
 * calibrate the threshold) besides the shipped pack; the test stream holds only files in neither
 * (see `negativeSplit`). The threshold is never tuned on the stream.
 *
 * env: BENCH_DATASETS (default ../shared/datasets), BENCH_OUT (default /tmp/keyspot-bench-wakeword)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { initAudioDecoders } from '../src/audio/decode-audio.ts';
import { readAudioSync } from '../src/audio/read-audio.ts';
import { toSampleRate } from '../src/audio/resample.ts';
import { createRng } from '../src/data/rng.ts';
import { loadStreamModel } from '../src/infer/stream-model.ts';
import { detectStream } from '../src/infer/stream.ts';
import { hashFraction, listAudioFiles } from '../src/wakeword/negative-audio.ts';
import { isInNegativesPack, NEGATIVES_PACK_SOURCES } from '../src/wakeword/negatives-pack.ts';
import { START_SYNTH_BATCH_SIZE, START_SYNTH_EPOCHS } from '../src/cli/start.ts';
import { synthesizeDataset } from '../src/data/synth.ts';
import { trainKws } from '../src/kws/train-kws.ts';
import { trainWakeword } from '../src/wakeword/train-wakeword.ts';
import { recognizerOptionsFor } from '../src/wakeword/wakeword-metadata.ts';
import { trimSilence } from '../src/wakeword/trim-silence.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DATASETS = process.env.BENCH_DATASETS ?? path.resolve(ROOT, '..', 'shared', 'datasets');
const WW = path.join(DATASETS, 'wakeword_dev');
const { values: args } = parseArgs({
  options: {
    phrases: { type: 'string', default: 'amelia,athena,hey_chatterbox,hey_floyd,hey_k9,hey_scout,hey_ziggy' },
    modes: { type: 'string', default: 'text,rec10' },
    minutes: { type: 'string', default: '8' },
    out: { type: 'string', default: process.env.BENCH_OUT ?? '/tmp/keyspot-bench-wakeword' },
    seed: { type: 'string', default: '1' },
    'snr-db': { type: 'string', default: '10' },
    backbone: { type: 'string' },
    /** JSON of recipe fields that differ from the default (development runs). */
    recipe: { type: 'string' },
  },
});
const RATE = 16000;
const OUT = path.resolve(args.out!);
fs.mkdirSync(OUT, { recursive: true });
await initAudioDecoders();

/** Share of train-clean-100 (outside the pack) the benchmark trains and calibrates on; the rest is test. */
const TRAIN_SHARE = 0.5;
const librispeech = NEGATIVES_PACK_SOURCES.find((s) => s.name === 'librispeech')!;
const notWake = NEGATIVES_PACK_SOURCES.find((s) => s.name === 'not_wake_words')!;

/** The benchmark's negative files: training (given as --negatives) and test (in the stream). */
function negativeSplit(): { train: string[]; test: string[] } {
  const train: string[] = [];
  const test: string[] = [];
  for (const f of listAudioFiles(path.join(WW, librispeech.folder))) {
    const name = path.basename(f);
    if (isInNegativesPack(name, librispeech.share)) continue;
    (hashFraction(`bench-wakeword/${name}`) < TRAIN_SHARE ? train : test).push(f);
  }
  for (const f of listAudioFiles(path.join(WW, 'negatives/librispeech/test-other'))) test.push(f);
  for (const f of listAudioFiles(path.join(WW, notWake.folder))) if (!isInNegativesPack(path.basename(f), notWake.share)) test.push(f);
  return { train, test };
}

/** A folder of symbolic links (the CLI takes folders). */
function linkFolder(dir: string, files: readonly string[]): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.symlinkSync(f, path.join(dir, `${path.basename(path.dirname(f))}__${path.basename(f)}`));
  return dir;
}

function read(f: string): Float32Array {
  return toSampleRate(readAudioSync(f), RATE).samples;
}

function rms(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! * x[i]!;
  return Math.sqrt(e / Math.max(1, x.length));
}

/** Active-speech RMS: the RMS of the loudest half of 10 ms frames. */
function speechRms(x: Float32Array): number {
  const f = 160;
  const e: number[] = [];
  for (let i = 0; i + f <= x.length; i += f) e.push(rms(x.subarray(i, i + f)));
  e.sort((a, b) => b - a);
  const top = e.slice(0, Math.max(1, Math.floor(e.length / 2)));
  return Math.sqrt(top.reduce((a, v) => a + v * v, 0) / top.length);
}

interface Stream { samples: Float32Array; positives: { startMs: number; endMs: number }[]; negativeMs: number }

/** Positives and negatives interleaved (seeded order), speech normalised to one level, noise at `snrDb`. */
function buildStream(positives: string[], negatives: string[], noiseFiles: string[], snrDb: number, seed: string): Stream {
  const rng = createRng(seed);
  const level = 0.1;
  const items = [...positives.map((f) => ({ f, pos: true })), ...negatives.map((f) => ({ f, pos: false }))];
  rng.shuffle(items);
  const parts: Float32Array[] = [];
  const marks: { startMs: number; endMs: number }[] = [];
  let n = 0;
  let negSamples = 0;
  for (const it of items) {
    let s = read(it.f);
    if (it.pos) s = trimSilence(s, { sampleRateHz: RATE, marginMs: 100 }).samples;
    const g = level / Math.max(1e-6, speechRms(s));
    const gap = new Float32Array(Math.round(RATE * rng.uniform(0.6, 1.5)));
    parts.push(gap);
    n += gap.length;
    const scaled = s.map((v) => v * g);
    if (it.pos) marks.push({ startMs: (n / RATE) * 1000, endMs: ((n + s.length) / RATE) * 1000 });
    else negSamples += s.length + gap.length;
    parts.push(scaled);
    n += s.length;
  }
  const out = new Float32Array(n + RATE);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  // Noise: the real noise files, concatenated and looped, at snrDb below the speech level.
  const noise = noiseFiles.map(read);
  const noiseLevel = level / 10 ** (snrDb / 20);
  let k = 0, off = 0;
  for (let i = 0; i < out.length; i += RATE) {
    const nz = noise[k % noise.length]!;
    const g = noiseLevel / Math.max(1e-6, rms(nz));
    for (let j = i; j < Math.min(out.length, i + RATE); j++) {
      out[j]! += g * nz[off]!;
      off += 1;
      if (off >= nz.length) { off = 0; k += 1; }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-1, Math.min(1, out[i]!));
  return { samples: out, positives: marks, negativeMs: (negSamples / RATE) * 1000 };
}

/** Hit rate and false accepts per hour of a model folder on a stream, at its stored operating point. */
async function score(modelDir: string, stream: Stream): Promise<Record<string, number>> {
  const info = await loadStreamModel(modelDir);
  try {
    const t0 = performance.now();
    const r = detectStream(info, stream.samples, recognizerOptionsFor(info.metadata, modelDir));
    const sec = (performance.now() - t0) / 1000;
    const hit = new Array<boolean>(stream.positives.length).fill(false);
    let fa = 0;
    for (const d of r.detections) {
      const i = stream.positives.findIndex((p, j) => !hit[j] && d.timeMs >= p.startMs && d.timeMs <= p.endMs + 1500);
      if (i >= 0) hit[i] = true;
      else if (!stream.positives.some((p) => d.timeMs >= p.startMs && d.timeMs <= p.endMs + 1500)) fa += 1;
    }
    const hours = stream.negativeMs / 3_600_000;
    return { hitRate: hit.filter(Boolean).length / stream.positives.length, positives: stream.positives.length, falseAccepts: fa, negativeHours: hours, faPerHour: fa / hours, realTimeFactor: r.durationMs / 1000 / sec };
  } finally {
    info.model.dispose();
  }
}

const split = negativeSplit();
const trainNegDir = linkFolder(path.join(OUT, 'negatives-train'), split.train);
const noiseFiles = listAudioFiles(path.join(DATASETS, 'speech_commands_dev', '_background_noise_'));
process.stdout.write(`negatives: ${split.train.length} training files, ${split.test.length} test files; noise ${noiseFiles.length} files at ${args['snr-db']} dB SNR\n`);
const resultsFile = path.join(OUT, 'results.json');
const results: Record<string, unknown> = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : {};
for (const phrase of args.phrases!.split(',')) {
  const all = listAudioFiles(path.join(WW, 'positives', phrase));
  for (const mode of args.modes!.split(',')) {
    const key = `${phrase}/${mode}`;
    const ordered = [...all].sort((a, b) => hashFraction(`bench-rec/${path.basename(a)}`) - hashFraction(`bench-rec/${path.basename(b)}`));
    const recs = mode === 'rec10' ? ordered.slice(0, 10) : [];
    const testPos = mode === 'rec10' ? ordered.slice(10) : all;
    const recDir = recs.length ? linkFolder(path.join(OUT, `rec-${phrase}`), recs) : undefined;
    const outDir = path.join(OUT, 'models', `${phrase}-${mode}`);
    const t0 = Date.now();
    if (mode === 'synthkws') {
      // Today's path before train wakeword: `data synth --words <phrase>` + `train kws` (npm start's settings), default threshold.
      if (phrase.includes('_')) { process.stdout.write(`${key}: skipped (data synth takes single words)\n`); continue; }
      const data = path.join(OUT, `synth-${phrase}`);
      await synthesizeDataset({ outDir: data, words: [phrase], seed: Number(args.seed) });
      const k = await trainKws({ dataDir: data, words: [phrase], outDir, recipe: { epochs: START_SYNTH_EPOCHS, batchSize: START_SYNTH_BATCH_SIZE }, progress: 'lines', checkpointDir: false });
      const stream = buildStream(all, split.test, noiseFiles, Number(args['snr-db']), `bench-stream/${phrase}`);
      results[key] = { ...(await score(outDir, stream)), trainMinutes: (Date.now() - t0) / 60000, threshold: 0.7, recordings: 0, windowMs: 1000, epochs: k.history.length };
      process.stdout.write(`${JSON.stringify({ [key]: results[key] })}\n`);
      fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
      continue;
    }
    const r = await trainWakeword({
      phrases: [phrase.replace(/_/g, ' ').replace('k9', 'k nine')],
      outDir, recordingsDir: recDir, negativesDirs: [trainNegDir], minutes: Number(args.minutes), seed: Number(args.seed),
      ...(args.backbone ? { backboneDir: args.backbone } : {}),
      ...(args.recipe ? { recipe: JSON.parse(args.recipe) } : {}),
      progress: 'lines',
    });
    const trainMinutes = (Date.now() - t0) / 60000;
    const stream = buildStream(testPos, split.test, noiseFiles, Number(args['snr-db']), `bench-stream/${phrase}`);
    const s = await score(outDir, stream);
    const op = r.wakeword.operatingPoint;
    results[key] = { ...s, trainMinutes, threshold: op.detectionThreshold, averageWindowMs: op.averageWindowMs, calibrationFaPerHour: op.faPerHour, calibrationHours: op.negativeHours, heldOutSynthHitRate: op.hitRate ?? null, recordings: recs.length, windowMs: r.windowMs, epochs: r.kws.history.length };
    process.stdout.write(`${JSON.stringify({ [key]: results[key] })}\n`);
    fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  }
}

/**
 * `trainWakeword`: a wake-word model from the typed phrase (and optional recordings), end to end.
 *
 *   phrase -> eSpeak NG / Flite utterances (many voices, rates, pitches, pauses)
 *          -> room and channel renderings (reverb, band limits) | user recordings (trimmed)
 *          -> confusable phrases from the phrase's phonemes | real negative speech in windows
 *          -> a Speech Commands style folder (wakeword-dataset.ts)
 *          -> trainKws on it: res8 started from the shipped speech backbone, the keyword
 *             pipeline's augmentation (time shift, speed, noise, gain, SpecAugment), checkpoints
 *          -> calibration: the streaming detector over held-out negative speech and held-out
 *             positives, threshold and smoothing chosen in false accepts per hour
 *          -> one model folder: a keyword model whose metadata has a `wakeword` entry
 *             (operating point, DET points, phrases, data provenance and licences).
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderRoomChannel } from '../augment/room-channel.ts';
import { initAudioDecoders } from '../audio/decode-audio.ts';
import { readAudioSync } from '../audio/read-audio.ts';
import { toSampleRate } from '../audio/resample.ts';
import { generateNoise, NOISE_KINDS } from '../data/noise.ts';
import { createRng } from '../data/rng.ts';
import { ConfigError, DatasetError } from '../errors.ts';
import { writeFileSynced } from '../export/atomic-write.ts';
import { detectStream, type WindowScores } from '../infer/stream.ts';
import { trainKws, type TrainKwsResult } from '../kws/train-kws.ts';
import { renderSvg } from '../report/plots.ts';
import { detPlotSpec } from '../report/det-plot.ts';
import type { ProgressMode, TrainProgress } from '../train/progress.ts';
import { DEFAULT_BACKBONE_DIR, loadBackboneInto, type BackboneTransfer } from './backbone.ts';
import { calibrateThreshold } from './calibrate-threshold.ts';
import { confusablePhrases, synthesizeConfusables } from './confusables.ts';
import { cutSegments, hashFraction, listAudioFiles, splitCalibration } from './negative-audio.ts';
import { NEGATIVES_PACK_SOURCES } from './negatives-pack.ts';
import { checkPhrase } from './phrase-phonemes.ts';
import { synthesizePhrase } from './phrase-synth.ts';
import { trimSilence } from './trim-silence.ts';
import { writeWakewordDataset, type DatasetClip, type WakewordDatasetCounts } from './wakeword-dataset.ts';
import { WAKEWORD_METADATA_KEY, type WakewordMetadata } from './wakeword-metadata.ts';
import { DEFAULT_TARGET_FA_PER_HOUR, DEFAULT_WAKEWORD_MINUTES, DEFAULT_WAKEWORD_RECIPE, type WakewordRecipe } from './wakeword-recipe.ts';

/** Sample rate of wake-word models, Hz. */
export const WAKEWORD_SAMPLE_RATE_HZ = 16000;
/** The shipped real negative speech (LibriSpeech excerpts, CC BY 4.0), used unless turned off. */
export const DEFAULT_NEGATIVES_PACK_DIR = path.join(path.dirname(DEFAULT_BACKBONE_DIR), '..', 'assets', 'negatives');
/** Stage names reported to `onStage`. */
export type WakewordStage = 'synthesize' | 'recordings' | 'negatives' | 'dataset' | 'train' | 'calibrate' | 'write';

/** Options of {@link trainWakeword}. */
export interface TrainWakewordOptions {
  /** Phrases, one class each (e.g. `['hey nova']`). */
  phrases: readonly string[];
  /** Model folder. @default `models/<label of the first phrase>` */
  outDir?: string;
  /**
   * Real recordings of the phrase (WAV or FLAC, any rate, silence around them is fine): with one
   * phrase, every audio file below the folder; with several, `<dir>/<phrase label>/`.
   */
  recordingsDir?: string;
  /** Extra audio that must not fire (speech, TV, noise), split into training and calibration. @default [] */
  negativesDirs?: readonly string[];
  /** Held-out negatives used only for calibration (then `negativesDirs` are all training). @default none */
  calibrationDirs?: readonly string[];
  /** Use the shipped negative speech pack (assets/negatives). @default true */
  useNegativesPack?: boolean;
  /** Background noise recordings mixed into examples (besides generated noise). @default [] */
  noiseDirs?: readonly string[];
  /** False accepts per hour the threshold is chosen for. @default 0.5 */
  targetFaPerHour?: number;
  /** Training budget, minutes (synthesis, training, calibration). @default 8 */
  minutes?: number;
  /** Seed of everything. @default 1 */
  seed?: number;
  /** Backbone folder, or null to train from scratch. @default the shipped models/backbone */
  backboneDir?: string | null;
  /** Recipe fields that differ from the default. */
  recipe?: Partial<WakewordRecipe>;
  /** Work folder of the generated dataset. @default `<outDir>.work` */
  workDir?: string;
  /** Keep the work folder after success. @default false */
  keepWorkDir?: boolean;
  /** Resume training from the checkpoints of an interrupted run (see `trainKws`). @default false */
  resume?: boolean;
  /** Progress display of the training epochs. @default 'none' */
  progress?: ProgressMode | TrainProgress;
  /** Called as stages advance. */
  onStage?: (stage: WakewordStage, done: number, total: number) => void;
  /** Training engine. @default 'auto' */
  engine?: 'auto' | 'graph' | 'eager';
  /** Feature worker threads. */
  workers?: number;
}

/** Result of {@link trainWakeword}. */
export interface TrainWakewordResult {
  outDir: string;
  phrases: string[];
  labels: string[];
  windowMs: number;
  wakeword: WakewordMetadata;
  /** Examples written per folder and split. */
  dataset: WakewordDatasetCounts;
  /** Hit rate on held-out recordings at the operating point (when some were held out). */
  recordingsHitRate?: number;
  heldOutRecordings: number;
  kws: TrainKwsResult;
  backbone: Omit<BackboneTransfer, 'metadata'> | null;
  /** Minutes per stage and in total. */
  minutes: Record<string, number>;
  /** Unreadable files skipped (recordings, negatives, noise), as `path: reason`. */
  skipped: string[];
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}

/** `samples` centred in a zero buffer of `length` (cut evenly around the centre when longer). */
function centreIn(samples: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  if (samples.length >= length) {
    const off = Math.floor((samples.length - length) / 2);
    out.set(samples.subarray(off, off + length));
  } else out.set(samples, Math.floor((length - samples.length) / 2));
  return out;
}

function readClip(file: string, skipped: string[]): Float32Array | undefined {
  try {
    return toSampleRate(readAudioSync(file), WAKEWORD_SAMPLE_RATE_HZ).samples;
  } catch (err) {
    skipped.push(`${file}: ${(err as Error).message}`);
    return undefined;
  }
}

/** A positive utterance as a short stream: `padMs` of faint noise on each side (the detector slides over it). */
function positiveStream(samples: Float32Array, padMs: number, rng: ReturnType<typeof createRng>): Float32Array {
  const pad = Math.round((padMs * WAKEWORD_SAMPLE_RATE_HZ) / 1000);
  const out = new Float32Array(samples.length + 2 * pad);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * 0.001;
  for (let i = 0; i < samples.length; i++) out[pad + i]! += samples[i]!;
  return out;
}

/**
 * Trains, calibrates and exports a wake-word model.
 * @throws ConfigError for bad options or a phrase eSpeak NG cannot speak
 * @throws DatasetError for missing folders or recordings
 */
export async function trainWakeword(options: TrainWakewordOptions): Promise<TrainWakewordResult> {
  const started = Date.now();
  const {
    phrases: rawPhrases, recordingsDir, negativesDirs = [], calibrationDirs, useNegativesPack = true, noiseDirs = [],
    targetFaPerHour = DEFAULT_TARGET_FA_PER_HOUR, minutes = DEFAULT_WAKEWORD_MINUTES, seed = 1, backboneDir = DEFAULT_BACKBONE_DIR,
    keepWorkDir = false, resume = false, progress = 'none', onStage, engine, workers,
  } = options;
  await initAudioDecoders();
  const recipe: WakewordRecipe = { ...DEFAULT_WAKEWORD_RECIPE, ...options.recipe, kws: { ...DEFAULT_WAKEWORD_RECIPE.kws, ...options.recipe?.kws } };
  if (!Array.isArray(rawPhrases) || rawPhrases.length === 0) throw new ConfigError('phrase', 'at least one phrase (--phrase "hey nova")', rawPhrases);
  if (!(Number.isFinite(targetFaPerHour) && targetFaPerHour >= 0)) throw new ConfigError('targetFaPerHour', 'a number >= 0', targetFaPerHour);
  if (!(Number.isFinite(minutes) && minutes >= 0.5 && minutes <= 600)) throw new ConfigError('minutes', 'a number in [0.5, 600]', minutes);
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('seed', 'an integer >= 0', seed);
  const checked = [];
  for (const p of rawPhrases) checked.push(await checkPhrase(p));
  const phrases = checked.map((c) => c.phrase);
  const labels = checked.map((c) => c.label);
  const phonemes = checked.map((c) => c.phonemes);
  if (labels.some((l, i) => labels.indexOf(l) !== i)) throw new ConfigError('phrase', 'distinct phrases', rawPhrases);
  const outDir = path.resolve(options.outDir ?? path.join('models', labels[0]!.replace(/_/g, '-')));
  const workDir = path.resolve(options.workDir ?? `${outDir}.work`);
  const rng = createRng(`wakeword/${seed}`);
  const skipped: string[] = [];
  const stageMinutes: Record<string, number> = {};
  let stageStart = Date.now();
  const endStage = (name: string) => { stageMinutes[name] = (Date.now() - stageStart) / 60000; stageStart = Date.now(); };
  const rate = WAKEWORD_SAMPLE_RATE_HZ;

  // 1. Synthesized positives and confusables.
  const synth: Record<string, Float32Array[]> = {};
  const confusableAudio: Float32Array[] = [];
  const totalSynth = phrases.length * (recipe.synthPerPhrase + recipe.confusablesPerPhrase);
  let synthDone = 0;
  for (let k = 0; k < phrases.length; k++) {
    const utts = await synthesizePhrase(phrases[k]!, {
      count: recipe.synthPerPhrase, seed: seed * 1000 + k, sampleRateHz: rate,
      onProgress: (d) => onStage?.('synthesize', synthDone + d, totalSynth),
    });
    synthDone += recipe.synthPerPhrase;
    synth[labels[k]!] = utts.map((u) => u.samples);
    const confs = confusablePhrases(phrases[k]!, phonemes[k]!, { rng: rng.fork(`confusables/${k}`), ...recipe.confusables });
    const audio = await synthesizeConfusables(confs, {
      seed: seed * 1000 + 500 + k, sampleRateHz: rate, repeats: Math.max(1, Math.ceil(recipe.confusablesPerPhrase / confs.length)),
      onProgress: (d) => onStage?.('synthesize', synthDone + d, totalSynth),
    });
    synthDone += recipe.confusablesPerPhrase;
    confusableAudio.push(...audio.map((u) => u.samples));
  }
  const lengths = Object.values(synth).flat().map((s) => s.length);
  const windowMs = Math.min(recipe.maxWindowMs, Math.max(recipe.minWindowMs,
    Math.ceil(((percentile(lengths, 0.95) / rate) * 1000 + recipe.windowPaddingMs) / 100) * 100));
  const windowSamples = Math.round((windowMs * rate) / 1000);
  endStage('synthesize');

  // 2. The user's recordings: trimmed, centred; 1 in 5 held out (at least 5 given) for the hit rate.
  const recordings: Record<string, { train: Float32Array[]; heldOut: Float32Array[] }> = {};
  for (const l of labels) recordings[l] = { train: [], heldOut: [] };
  if (recordingsDir !== undefined) {
    for (let k = 0; k < labels.length; k++) {
      const dir = phrases.length === 1 ? recordingsDir : path.join(recordingsDir, labels[k]!);
      const files = listAudioFiles(dir);
      if (files.length === 0) throw new DatasetError(`${dir}: no WAV or FLAC recordings of "${phrases[k]}"`);
      const clips: Float32Array[] = [];
      files.forEach((f, i) => {
        onStage?.('recordings', i + 1, files.length);
        const s = readClip(f, skipped);
        if (s) clips.push(trimSilence(s, { sampleRateHz: rate }).samples);
      });
      if (clips.length === 0) throw new DatasetError(`${dir}: none of the ${files.length} recordings could be read (${skipped.slice(-1)[0] ?? ''})`);
      clips.forEach((c, i) => (clips.length >= 5 && i % 5 === 4 ? recordings[labels[k]!]!.heldOut : recordings[labels[k]!]!.train).push(c));
    }
  }
  endStage('recordings');

  // 3. Negative speech: the shipped pack and the user's folders, split into training and calibration files.
  const negDirs = [...(useNegativesPack && fs.existsSync(DEFAULT_NEGATIVES_PACK_DIR) ? [DEFAULT_NEGATIVES_PACK_DIR] : []), ...negativesDirs];
  const negFiles = negDirs.flatMap((d) => listAudioFiles(d));
  const split = calibrationDirs !== undefined
    ? { training: negFiles, calibration: calibrationDirs.flatMap((d) => listAudioFiles(d)) }
    : splitCalibration(negFiles, recipe.calibrationFraction);
  const speechClips: DatasetClip[] = [];
  split.training.forEach((f, i) => {
    onStage?.('negatives', i + 1, split.training.length);
    const s = readClip(f, skipped);
    if (!s) return;
    const speaker = `n${i}`;
    const segSplit = hashFraction(`speech/${path.basename(f)}`) < 0.1 ? 'validation' : 'training';
    for (const seg of cutSegments(s, windowSamples, Math.max(1, Math.round(windowSamples * recipe.negativeHopFraction)))) {
      speechClips.push({ samples: seg, speaker, split: segSplit });
    }
  });
  endStage('negatives');

  // 4. The dataset folder: renderings of every utterance, recordings (weighted), confusables, speech, noise.
  const positives: Record<string, DatasetClip[]> = {};
  const heldOutSynth: { label: string; samples: Float32Array }[] = [];
  for (const l of labels) {
    const clips: DatasetClip[] = [];
    synth[l]!.forEach((u, i) => {
      const speaker = `e${i}`;
      const validation = hashFraction(`${l}/${speaker}/${seed}`) < 0.1;
      for (let r = 0; r < recipe.renderingsPerUtterance; r++) {
        const rendered = r === 0 ? u : renderRoomChannel(u, rate, rng.fork(`render/${l}/${i}/${r}`), recipe.roomChannel).samples;
        clips.push({ samples: centreIn(rendered, windowSamples), speaker, split: validation ? 'validation' : 'training' });
      }
      if (validation) heldOutSynth.push({ label: l, samples: u });
    });
    const recs = recordings[l]!;
    recs.train.forEach((c, i) => {
      for (let r = 0; r < recipe.recordingWeight; r++) clips.push({ samples: centreIn(c, windowSamples), speaker: `r${i}`, split: 'training' });
    });
    recs.heldOut.forEach((c, i) => clips.push({ samples: centreIn(c, windowSamples), speaker: `h${i}`, split: 'testing' }));
    positives[l] = clips;
  }
  const confusables: DatasetClip[] = confusableAudio.map((c, i) => ({
    samples: centreIn(i % 2 === 1 ? renderRoomChannel(c, rate, rng.fork(`render/confusable/${i}`), recipe.roomChannel).samples : c, windowSamples),
    speaker: `c${i}`,
    split: hashFraction(`confusable/${i}/${seed}`) < 0.1 ? 'validation' : 'training',
  }));
  const noise: Record<string, Float32Array> = {};
  const noiseRng = rng.fork('noise');
  for (const kind of NOISE_KINDS) noise[`generated_${kind}`] = generateNoise({ kind, numSamples: rate * 30, sampleRateHz: rate }, noiseRng);
  for (const d of noiseDirs) {
    for (const f of listAudioFiles(d)) {
      const s = readClip(f, skipped);
      if (s) noise[`user_${path.basename(f).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '_')}`] = s;
    }
  }
  onStage?.('dataset', 0, 1);
  const counts = writeWakewordDataset({ dir: workDir, sampleRateHz: rate, positives, confusables, speech: speechClips, noise });
  onStage?.('dataset', 1, 1);
  endStage('dataset');

  // 5. Training: the keyword pipeline on the folder, from the backbone, epochs from the budget.
  const numFrames = Math.floor((windowMs - 30) / 10) + 1;
  const wanted = labels.reduce((a, l) => a + counts[l]!.training, 0);
  const perEpoch = Math.ceil(wanted * (1 + ((recipe.kws.unknownPercentage ?? 0) + (recipe.kws.silencePercentage ?? 0)) / 100));
  // Deterministic (a resumed run must get the same epochs): the budget's training share at the assumed speed.
  const trainSec = Math.max(30, minutes * recipe.trainShare * 60);
  const examplesPerSec = recipe.examplesPerSecAt98Frames * (98 / numFrames);
  const epochs = recipe.epochs ?? Math.max(3, Math.min(300, Math.floor((trainSec * examplesPerSec) / perEpoch)));
  let transfer: BackboneTransfer | undefined;
  let wakeword: WakewordMetadata | undefined;
  let recordingsHitRate: number | undefined;
  const heldOutRecordings = labels.reduce((a, l) => a + recordings[l]!.heldOut.length, 0);
  const packUsed = negDirs.includes(DEFAULT_NEGATIVES_PACK_DIR);
  const licences = () => [
    ...(transfer ? [{ name: 'keyspot speech backbone', use: 'initial weights', licence: `trained by keyspot on ${JSON.stringify((transfer.metadata.provenance as { data?: { name: string; licence: string }[] } | undefined)?.data?.map((d) => `${d.name} (${d.licence})`) ?? 'see its metadata.json')}` }] : []),
    { name: 'eSpeak NG and Flite speech synthesizers', use: 'synthesized positives and confusables', licence: 'GPL-3.0 (eSpeak NG) and BSD-style (Flite) programs; audio they synthesize is not covered by their licences' },
    ...(packUsed ? NEGATIVES_PACK_SOURCES.map((p) => ({ name: `${p.description} (assets/negatives/${p.name})`, use: 'negative speech and calibration', licence: p.licence })) : []),
    ...(recordingsDir ? [{ name: 'user recordings', folder: path.resolve(recordingsDir), use: 'positives', licence: 'as given by the user' }] : []),
    ...negativesDirs.map((d) => ({ name: 'user negatives', folder: path.resolve(d), use: 'negatives and calibration', licence: 'as given by the user' })),
    ...(calibrationDirs ?? []).map((d) => ({ name: 'user calibration negatives', folder: path.resolve(d), use: 'calibration', licence: 'as given by the user' })),
    ...noiseDirs.map((d) => ({ name: 'user noise', folder: path.resolve(d), use: 'background noise', licence: 'as given by the user' })),
  ];
  const kws = await trainKws({
    dataDir: workDir,
    words: labels,
    outDir,
    seed,
    progress,
    engine,
    workers,
    resume,
    recipe: { ...recipe.kws, epochs, features: { ...recipe.kws.features, clipDurationMs: windowMs } },
    initModel: backboneDir === null ? undefined : async (model) => {
      transfer = await loadBackboneInto(model, backboneDir);
      model.layers.filter((l) => l.getWeights().length > 0).slice(0, Math.min(recipe.frozenBackboneLayers, transfer.layers)).forEach((l) => { l.trainable = false; });
    },
    finalize: async ({ model, data, tmpDir }) => {
      endStage('train');
      // 6. Calibration on held-out negatives and positives.
      const info = { model, labels: data.labels, featureSettings: data.features };
      const negStreams: { windows: WindowScores[]; durationMs: number }[] = [];
      split.calibration.forEach((f, i) => {
        onStage?.('calibrate', i + 1, split.calibration.length + heldOutSynth.length + heldOutRecordings);
        const s = readClip(f, skipped);
        if (!s || s.length < windowSamples) return;
        const r = detectStream(info, s, { keepScores: true });
        negStreams.push({ windows: r.windows!, durationMs: r.durationMs });
      });
      if (negStreams.length === 0) throw new DatasetError('no held-out negative speech to calibrate on: give --negatives DIR (speech that never says the phrase) or keep the shipped negatives pack');
      const posRng = rng.fork('calibration-positives');
      const posStreams = [...heldOutSynth.map((p) => ({ ...p, source: 'synth' })),
        ...labels.flatMap((l) => recordings[l]!.heldOut.map((samples) => ({ label: l, samples, source: 'recording' })))]
        .map((p) => {
          const r = detectStream(info, positiveStream(p.samples, 800, posRng), { keepScores: true });
          return { label: p.label, windows: r.windows!, durationMs: r.durationMs, source: p.source };
        });
      const cal = calibrateThreshold({ negatives: negStreams, positives: posStreams.filter((p) => p.source === 'synth'), labels: data.labels, phraseLabels: labels }, { targetFaPerHour });
      if (heldOutRecordings > 0) {
        const recCal = calibrateThreshold({ negatives: negStreams, positives: posStreams.filter((p) => p.source === 'recording'), labels: data.labels, phraseLabels: labels },
          { targetFaPerHour, averageWindowsMs: [cal.operatingPoint.averageWindowMs], thresholds: [cal.operatingPoint.detectionThreshold] });
        recordingsHitRate = recCal.operatingPoint.hitRate;
      }
      wakeword = {
        phrases, labels, operatingPoint: cal.operatingPoint, det: cal.det,
        data: {
          phonemes,
          windowMs,
          synthesizedPerPhrase: recipe.synthPerPhrase,
          confusablesPerPhrase: recipe.confusablesPerPhrase,
          recordings: labels.map((l) => ({ label: l, training: recordings[l]!.train.length, heldOut: recordings[l]!.heldOut.length })),
          ...(recordingsHitRate !== undefined ? { recordingsHitRate } : {}),
          negatives: { trainingFiles: split.training.length, calibrationFiles: split.calibration.length, calibrationHours: cal.operatingPoint.negativeHours },
          dataset: counts,
          licences: licences(),
          backbone: transfer ? { dir: path.basename(transfer.dir), provenance: transfer.metadata.provenance ?? null } : null,
        },
      };
      endStage('calibrate');
      const det = await renderSvg(detPlotSpec(cal.det, cal.operatingPoint, { title: `${phrases.join(', ')}: hit rate against false accepts per hour` }));
      await writeFileSynced(path.join(tmpDir, 'det.svg'), det);
      return { metadata: { [WAKEWORD_METADATA_KEY]: wakeword }, report: wakewordReport(wakeword, recordingsHitRate, heldOutRecordings, stageMinutes) };
    },
  });
  endStage('write');
  if (!keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  stageMinutes.total = (Date.now() - started) / 60000;
  return {
    outDir, phrases, labels, windowMs, wakeword: wakeword!, dataset: counts, recordingsHitRate, heldOutRecordings, kws,
    backbone: transfer ? { dir: transfer.dir, layers: transfer.layers, weights: transfer.weights } : null,
    minutes: stageMinutes, skipped: [...skipped, ...kws.skipped],
  };
}

function pct(x: number | undefined): string {
  return x === undefined ? '-' : `${(100 * x).toFixed(1)}%`;
}

/** The wake-word sections of the model card (`report.md`), before the keyword training sections. */
export function wakewordReport(w: WakewordMetadata, recordingsHitRate: number | undefined, heldOutRecordings: number, minutes: Record<string, number>): string {
  const op = w.operatingPoint;
  const d = w.data as { licences?: { name: string; use: string; licence: string; folder?: string }[]; windowMs?: number; phonemes?: string[] } | undefined;
  return [
    `# Wake word: ${w.phrases.map((p) => `"${p}"`).join(', ')}`,
    '',
    `Labels ${w.labels.join(', ')}; window ${d?.windowMs ?? '?'} ms; phonemes ${(d?.phonemes ?? []).map((p) => `\`${p}\``).join(', ')}.`,
    '',
    '## Operating point (chosen in false accepts per hour)',
    '',
    '| | |',
    '| --- | --- |',
    `| threshold | ${op.detectionThreshold.toFixed(4)} (scores averaged over ${op.averageWindowMs} ms, at least ${op.minimumCount} windows, ${op.suppressionMs} ms suppression) |`,
    `| target | ${op.targetFaPerHour} false accepts per hour |`,
    `| measured on held-out negative speech | ${op.faCount} false accepts in ${op.negativeHours.toFixed(3)} h = ${op.faPerHour.toFixed(2)}/h (95% upper bound ${op.faPerHourUpper95.toFixed(2)}/h) |`,
    `| hit rate, held-out synthesized utterances | ${pct(op.hitRate)} of ${op.positives ?? 0} |`,
    `| hit rate, held-out recordings | ${heldOutRecordings > 0 ? `${pct(recordingsHitRate)} of ${heldOutRecordings}` : 'none held out (fewer than 5 recordings, or none given)'} |`,
    '',
    'The false-accept estimate is only as fine as the held-out negatives are long: with few minutes of',
    'speech, zero false accepts still allows the upper bound above. Give `--negatives DIR` with hours of',
    'speech like your deployment\'s for a sharper threshold.',
    '',
    '![DET curve](det.svg)',
    '',
    '## Data and licences',
    '',
    '| source | use | licence |',
    '| --- | --- | --- |',
    ...(d?.licences ?? []).map((l) => `| ${l.name}${l.folder ? ` (${l.folder})` : ''} | ${l.use} | ${l.licence} |`),
    '',
    `Minutes: ${Object.entries(minutes).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}.`,
    '',
  ].join('\n');
}

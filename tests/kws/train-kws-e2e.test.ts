/**
 * End to end on a tiny synthesized dataset: `keyspot train kws --json` in a child process, the
 * exported folder's contents, the same probabilities in process and from `keyspot predict` in a
 * fresh process (1e-5), and well-formed evaluations on the training layout and the 12-class layout.
 * The fixture (2 words + 1 filler word, 5 voices x 1 repeat: 3 training, 1 validation, 1 testing)
 * has known split sizes: 4 validation and 4 testing examples (1 each of _silence_, _unknown_, yes, no).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resample } from '../../src/audio/resample.ts';
import { readWavSync } from '../../src/audio/wav.ts';
import { getTf } from '../../src/backend.ts';
import { synthesizeDataset } from '../../src/data/synth.ts';
import { loadRecognizer } from '../../src/infer/recognizer.ts';
import { evaluateKeywordModel } from '../../src/kws/evaluate-kws.ts';
import { KEYWORD_INPUT_KIND } from '../../src/kws/keyword-input.ts';
import { VERSION } from '../../src/version.ts';
import { runCli } from '../helpers/cli.ts';

let tmp: string;
let dataDir: string;
let modelDir: string;
let trainJson: Record<string, unknown>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-kws-e2e-'));
  dataDir = path.join(tmp, 'speech_commands');
  modelDir = path.join(tmp, 'models', 'kws');
  await synthesizeDataset({ outDir: dataDir, words: ['yes', 'no'], fillerWords: ['cat'], voices: 5, repeats: 1, noiseSec: 2, seed: 3 });
  const r = runCli(['train', 'kws', '--data', dataDir, '--words', 'yes,no', '--epochs', '2', '--batch-size', '8', '--workers', '0', '--out', modelDir, '--json']);
  expect(r.status, r.stderr).toBe(0);
  trainJson = JSON.parse(r.stdout) as Record<string, unknown>;
}, 180_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('train kws end to end', () => {
  it('prints one well-formed JSON document', () => {
    expect(trainJson.labels).toEqual(['_silence_', '_unknown_', 'yes', 'no']);
    expect(trainJson.model).toBe('res8');
    expect((trainJson.history as unknown[]).length).toBe(2);
    // 4 examples per evaluation split: accuracies are finite multiples of 1/4 in [0, 1].
    for (const key of ['valAccuracy', 'testAccuracy'] as const) {
      const v = trainJson[key] as number;
      expect(Number.isFinite(v) && v >= 0 && v <= 1, `${key} ${v}`).toBe(true);
      expect(Number.isInteger(v * 4), `${key} ${v}`).toBe(true);
    }
    const test = trainJson.test as { count: number; accuracy: number };
    expect(test.count).toBe(4);
    expect(test.accuracy).toBe(trainJson.testAccuracy);
    for (const m of trainJson.history as { loss: number; accuracy: number; valLoss: number }[]) {
      expect(Number.isFinite(m.loss) && m.loss > 0).toBe(true);
      expect(Number.isFinite(m.valLoss) && m.valLoss > 0).toBe(true);
      expect(m.accuracy >= 0 && m.accuracy <= 1).toBe(true);
    }
    expect(trainJson.outDir).toBe(modelDir);
  });

  it('exports model.json, weights, metadata with the full feature settings, report and plots; no temporary folder left', () => {
    for (const f of ['model.json', 'weights.bin', 'metadata.json', 'report.md', 'curves.svg', 'confusion.svg']) {
      expect(fs.existsSync(path.join(modelDir, f)), f).toBe(true);
    }
    expect(fs.readdirSync(path.dirname(modelDir))).toEqual(['kws']);
    const meta = JSON.parse(fs.readFileSync(path.join(modelDir, 'metadata.json'), 'utf8'));
    expect(meta.keyspotVersion).toBe(VERSION);
    expect(meta.labels).toEqual(['_silence_', '_unknown_', 'yes', 'no']);
    expect(meta.input.kind).toBe(KEYWORD_INPUT_KIND);
    expect(meta.input.sampleRateHz).toBe(16000);
    expect(meta.input.clipDurationMs).toBe(1000);
    expect(meta.input.features.exampleShape).toEqual(meta.inputShape);
    expect(meta.input.features.windowSamples).toBe(480);
    expect(meta.training.wantedWords).toEqual(['yes', 'no']);
    // 3 training clips of each word; oversampling brings _silence_ and _unknown_ up to 3 too.
    expect(meta.training.composition).toEqual({
      training: { _silence_: 3, _unknown_: 3, yes: 3, no: 3 },
      validation: { _silence_: 1, _unknown_: 1, yes: 1, no: 1 },
      testing: { _silence_: 1, _unknown_: 1, yes: 1, no: 1 },
    });
    expect(meta.metrics.valAccuracy).toBe(trainJson.valAccuracy);
    expect(meta.metrics.testAccuracy).toBe(trainJson.testAccuracy);
    const modelJson = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect(fs.readFileSync(path.join(modelDir, 'curves.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('predicts the same probabilities in process and in a fresh `keyspot predict` process (1e-5)', async () => {
    const files = ['yes', 'no', 'cat'].map((w) => path.join(dataDir, w, fs.readdirSync(path.join(dataDir, w)).sort()[0]!));
    const rec = await loadRecognizer(modelDir);
    const tf = getTf();
    const before = tf.memory().numTensors;
    const inProcess = files.map((f) => rec.classify(readWavSync(f)));
    const many = rec.classifyMany(files.map((f) => readWavSync(f)));
    expect(tf.memory().numTensors).toBe(before);
    rec.dispose();
    const r = runCli(['predict', '--model', modelDir, ...files, '--top', '4', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { predictions: { file: string; label: string; top: { label: string; score: number }[] }[] };
    out.predictions.forEach((p, i) => {
      expect(p.label).toBe(inProcess[i]!.label);
      for (const t of p.top) {
        const j = rec.labels.indexOf(t.label);
        expect(Math.abs(t.score - inProcess[i]!.scores[j]!)).toBeLessThan(1e-5);
        expect(Math.abs(many[i]!.scores[j]! - inProcess[i]!.scores[j]!)).toBeLessThan(1e-5);
      }
    });
  });

  it('classifies audio at another sample rate (resampled to the saved rate): as the 16 kHz original within 0.05', async () => {
    const rec = await loadRecognizer(modelDir);
    const clip = readWavSync(path.join(dataDir, 'yes', fs.readdirSync(path.join(dataDir, 'yes')).sort()[0]!));
    expect(clip.sampleRateHz).toBe(16000);
    const at8k = resample(clip.samples, 16000, 8000); // band-limited to 4 kHz
    const r = rec.classify(at8k, 8000);
    expect(r.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Exactly what classifying the audio resampled to 16 kHz by hand gives ...
    const byHand = rec.classify(resample(at8k, 8000, 16000), 16000);
    expect(r.label).toBe(byHand.label);
    r.scores.forEach((s, i) => expect(Math.abs(s - byHand.scores[i]!)).toBeLessThan(1e-6));
    // ... and close to the original: only the 4-8 kHz band is gone (measured: at most 0.036 on
    // the 15 clips of this fixture).
    const original = rec.classify(clip);
    expect(r.label).toBe(original.label);
    r.scores.forEach((s, i) => expect(Math.abs(s - original.scores[i]!), rec.labels[i]).toBeLessThan(0.05));
    expect(() => rec.classify(new Float32Array(0))).toThrow(/clip must be non-empty/);
    rec.dispose();
  });

  it('reports a missing predict input and continues with the other files', () => {
    const good = path.join(dataDir, 'yes', fs.readdirSync(path.join(dataDir, 'yes')).sort()[0]!);
    const r = runCli(['predict', '--model', modelDir, path.join(tmp, 'missing.wav'), good, '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { predictions: { label: string | null; error?: string }[] };
    expect(out.predictions[0]!.error).toMatch(/missing\.wav/);
    expect(out.predictions[1]!.label).not.toBeNull();
  });

  it('evaluates on the training layout (test split) and on the 12-class test layout', async () => {
    const onTraining = await evaluateKeywordModel(modelDir, dataDir);
    expect(onTraining.layout).toBe('training');
    expect(onTraining.count).toBe(4); // the test split: 1 each of _silence_, _unknown_, yes, no
    expect(onTraining.perClass.map((c) => c.support)).toEqual([1, 1, 1, 1]);
    expect(Number.isInteger(onTraining.accuracy * 4) && onTraining.accuracy >= 0 && onTraining.accuracy <= 1).toBe(true);
    expect(onTraining.confusion.length).toBe(4);
    // Build a 12-class-style layout from the same clips (unknown files named as the official set).
    const test12 = path.join(tmp, 'test12');
    for (const label of ['yes', 'no', '_unknown_', '_silence_']) fs.mkdirSync(path.join(test12, label), { recursive: true });
    for (const w of ['yes', 'no']) {
      for (const f of fs.readdirSync(path.join(dataDir, w)).slice(0, 2)) fs.copyFileSync(path.join(dataDir, w, f), path.join(test12, w, f));
    }
    const catFile = fs.readdirSync(path.join(dataDir, 'cat')).sort()[0]!;
    fs.copyFileSync(path.join(dataDir, 'cat', catFile), path.join(test12, '_unknown_', `cat_${catFile}.wav`));
    fs.copyFileSync(path.join(dataDir, 'background_noise', fs.readdirSync(path.join(dataDir, 'background_noise'))[0]!), path.join(test12, '_silence_', '0.wav'));
    fs.writeFileSync(path.join(test12, 'yes', 'broken.wav'), 'not a wav');
    const ev = await evaluateKeywordModel(modelDir, test12);
    expect(ev.layout).toBe('test12');
    expect(ev.count).toBe(6);
    expect(ev.skipped.length).toBe(1);
    expect(ev.skipped[0]).toMatch(/broken\.wav/);
    expect(ev.perClass.map((c) => c.support)).toEqual([1, 1, 2, 2]);
    expect(JSON.parse(JSON.stringify(ev)).confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(6);
    const cli = runCli(['eval', '--model', modelDir, '--data', test12, '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    const doc = JSON.parse(cli.stdout) as { accuracy: number; count: number; layout: string; perClass: { label: string; precision: number; recall: number }[]; confusion: number[][]; skippedFiles: number };
    expect(doc.layout).toBe('test12');
    expect(doc.count).toBe(6);
    expect(doc.skippedFiles).toBe(1);
    expect(doc.perClass.map((c) => c.label)).toEqual(['_silence_', '_unknown_', 'yes', 'no']);
    expect(doc.accuracy).toBeCloseTo(ev.accuracy, 12);
  });
});

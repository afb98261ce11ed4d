/**
 * End to end on a tiny synthesized dataset: `keyspot train kws --json` in a child process, the
 * exported folder's contents, the same probabilities in process and from `keyspot predict` in a
 * fresh process (1e-5), and well-formed evaluations on the training layout and the 12-class layout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(typeof trainJson.valAccuracy).toBe('number');
    expect(typeof trainJson.testAccuracy).toBe('number');
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
    expect(meta.training.composition.training.yes).toBeGreaterThan(0);
    expect(typeof meta.metrics.valAccuracy).toBe('number');
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

  it('classifies audio at another sample rate (resampled to the saved rate)', async () => {
    const rec = await loadRecognizer(modelDir);
    const clip = readWavSync(path.join(dataDir, 'yes', fs.readdirSync(path.join(dataDir, 'yes')).sort()[0]!));
    const at8k = new Float32Array(clip.samples.length / 2);
    for (let i = 0; i < at8k.length; i++) at8k[i] = clip.samples[2 * i]!;
    const r = rec.classify(at8k, 8000);
    expect(r.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(rec.labels).toContain(r.label);
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
    expect(onTraining.count).toBeGreaterThan(0);
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

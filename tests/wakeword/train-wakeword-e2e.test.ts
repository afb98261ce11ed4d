/**
 * `train wakeword` end to end at a tiny scale: a real eSpeak NG phrase, a few utterances and
 * confusables, generated negatives (tones and noise, no shipped pack), two epochs from scratch;
 * then the model folder's contract (keyword model + validated `wakeword` entry, report, DET
 * plot, licences) and `listen` using the stored threshold.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWavSync } from '../../src/audio/wav.ts';
import { createRng } from '../../src/data/rng.ts';
import { loadModelDir } from '../../src/export/model-dir.ts';
import { isKeywordModel } from '../../src/kws/keyword-input.ts';
import { trainWakeword, type TrainWakewordResult } from '../../src/wakeword/train-wakeword.ts';
import { readWakewordMetadata } from '../../src/wakeword/wakeword-metadata.ts';
import { runCli } from '../helpers/cli.ts';

const TINY = { synthPerPhrase: 12, confusablesPerPhrase: 8, renderingsPerUtterance: 2, epochs: 2, confusables: { substitutions: 2, deletions: 1, insertions: 1, others: 2 }, kws: { batchSize: 16 } };

let tmp: string;
let result: TrainWakewordResult;

function negatives(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const rng = createRng('e2e-negatives');
  for (let f = 0; f < 8; f++) {
    const x = new Float32Array(16000 * 6);
    const hz = 200 + 150 * f;
    for (let i = 0; i < x.length; i++) x[i] = 0.2 * Math.sin((2 * Math.PI * hz * i) / 16000) * (Math.floor(i / 4000) % 2) + 0.02 * rng.normal();
    writeWavSync(path.join(dir, `neg${f}.wav`), { samples: x, sampleRateHz: 16000 });
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-ww-'));
  negatives(path.join(tmp, 'neg'));
  result = await trainWakeword({
    phrases: ['hey nova'],
    outDir: path.join(tmp, 'hey-nova'),
    negativesDirs: [path.join(tmp, 'neg')],
    useNegativesPack: false,
    backboneDir: null,
    recipe: TINY,
    seed: 3,
    workers: 0,
  });
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('trainWakeword (tiny)', () => {
  it('writes a keyword model folder with a valid wakeword entry', async () => {
    const dir = result.outDir;
    for (const f of ['model.json', 'weights.bin', 'metadata.json', 'report.md', 'det.svg']) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(fs.existsSync(`${dir}.work`)).toBe(false);
    const { model, metadata } = await loadModelDir(dir);
    model.dispose();
    expect(isKeywordModel(metadata)).toBe(true);
    expect(metadata.labels).toEqual(['_silence_', '_unknown_', 'hey_nova']);
    const w = readWakewordMetadata(metadata, dir)!;
    expect(w.phrases).toEqual(['hey nova']);
    expect(w.labels).toEqual(['hey_nova']);
    expect(w.operatingPoint.targetFaPerHour).toBe(0.5);
    expect(w.operatingPoint.detectionThreshold).toBeGreaterThanOrEqual(0.5);
    expect(w.operatingPoint.detectionThreshold).toBeLessThanOrEqual(1);
    expect(w.operatingPoint.negativeHours).toBeGreaterThan(0);
    const data = w.data as { windowMs: number; phonemes: string[]; licences: { name: string }[] };
    expect(data.phonemes).toEqual(["h'eI n'oUv@"]);
    expect(data.windowMs).toBe(result.windowMs);
    expect(data.windowMs % 100).toBe(0);
    expect(data.windowMs).toBeGreaterThanOrEqual(1000);
    expect(data.licences.map((l) => l.name)).toContain('user negatives');
    expect((metadata.input as { clipDurationMs: number }).clipDurationMs).toBe(result.windowMs);
    expect(result.kws.history.length).toBe(2);
    const report = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(report).toMatch(/^# Wake word: "hey nova"/);
    expect(report).toMatch(/## Operating point \(chosen in false accepts per hour\)/);
    expect(report).toMatch(/## Data and licences/);
    expect(report).toMatch(/# Keyword model: res8/);
    expect(fs.readFileSync(path.join(dir, 'det.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('counts what it wrote', () => {
    // 12 utterances x 2 renderings; confusables: 8 utterances; 8 negative files of 6 s in windows with a half-window hop.
    const pos = result.dataset.hey_nova!;
    expect(pos.training + pos.validation).toBe(24);
    const conf = result.dataset.confusable!;
    expect(conf.training + conf.validation).toBeGreaterThanOrEqual(8);
  });

  it('listen uses the stored threshold', () => {
    const wav = path.join(tmp, 'neg', 'neg0.wav');
    const r = runCli(['listen', '--model', result.outDir, wav, '--json'], {}, undefined, 180_000);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.thresholdSource).toBe('model');
    expect(out.detectionThreshold).toBeCloseTo(result.wakeword.operatingPoint.detectionThreshold, 10);
  });
});

describe('train wakeword CLI errors', () => {
  it('names the phrase problem', () => {
    const empty = runCli(['train', 'wakeword', '--phrase', '  ', '--out', path.join(os.tmpdir(), 'never')]);
    expect(empty.status).not.toBe(0);
    expect(empty.stderr).toMatch(/phrase must be/);
    const none = runCli(['train', 'wakeword']);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/--phrase must be a wake phrase/);
    const bad = runCli(['train', 'wakeword', '--phrase', 'hey nova', '--minutes', '0']);
    expect(bad.stderr).toMatch(/--minutes must be a number in \[0.5, 600\], got "0"/);
  });
});

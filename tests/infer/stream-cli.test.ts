/** `keyspot listen`, `keyspot eval-stream` and `keyspot export` run as a user would, on a saved tone model. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { writeWavSync } from '../../src/audio/wav.ts';
import { getTf } from '../../src/backend.ts';
import { DEFAULT_SWEEP_THRESHOLDS, formatStreamLabels } from '../../src/infer/stream-eval.ts';
import { runCli } from '../helpers/cli.ts';
import { saveToneModelDir, TONE_FEATURES, toneStream } from './tone-model.ts';

let root: string;
let modelDir: string;
let model: tfTypes.LayersModel;
const WORDS = [
  { label: 'low', startMs: 1500 }, { label: '_unknown_', startMs: 4000 }, { label: 'high', startMs: 6500 }, { label: 'high', startMs: 9500 },
];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-stream-cli-'));
  modelDir = path.join(root, 'model');
  model = await saveToneModelDir(modelDir);
  writeWavSync(path.join(root, 'stream.wav'), { samples: toneStream(12000, WORDS), sampleRateHz: 8000 });
  // Word offsets as clip starts: the tone sits 300 ms into its 1 s clip in these labels.
  fs.writeFileSync(path.join(root, 'labels.txt'), formatStreamLabels(WORDS.map((w) => ({ label: w.label, offsetMs: w.startMs - 300 }))));
});
afterAll(() => {
  model?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('keyspot listen / eval-stream / export', () => {
  it('listen --json prints detections with times and scores', () => {
    const r = runCli(['listen', '--model', modelDir, path.join(root, 'stream.wav'), '--json']);
    expect(r.stderr).not.toMatch(/keyspot: error/);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.durationMs).toBe(12000);
    expect(out.hopMs).toBe(20);
    // Speed is measured by bench/stream.ts, not asserted here: a loaded machine is no failure.
    expect(out.realTimeFactor).toBeGreaterThan(0);
    expect(out.scoring).toBe('exact'); // auto: this model flattens its window, nothing to share
    expect(out.detections.map((d: { label: string }) => d.label)).toEqual(['low', 'high', 'high']);
    for (const d of out.detections) expect(Object.keys(d).sort()).toEqual(['label', 'score', 'timeMs', 'windowStartMs']);
  });

  it('listen --scoring shared names why this model cannot share its convolutions', () => {
    const r = runCli(['listen', '--model', modelDir, path.join(root, 'stream.wav'), '--scoring', 'shared']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/scoring must be exact or auto for this model \(shared: no GlobalAveragePooling2D layer/);
  });

  it('listen (text) prints one line per detection; a 16 kHz file is resampled', () => {
    writeWavSync(path.join(root, 'stream16k.wav'), { samples: toneStream(4000, [{ label: 'low', startMs: 1200 }], 5, { ...TONE_FEATURES, sampleRateHz: 16000 }), sampleRateHz: 16000 });
    const r = runCli(['listen', '--model', modelDir, path.join(root, 'stream16k.wav')]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^\d+\.\d\ds\tlow\t0\.\d{3}\n$/);
  });

  it('eval-stream --json reports hit rate, false accepts per hour and writes a DET curve', () => {
    const det = path.join(root, 'det.svg');
    const r = runCli(['eval-stream', '--model', modelDir, path.join(root, 'stream.wav'), path.join(root, 'labels.txt'), '--json', '--det', det]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ hitRate: 1, falseAcceptsPerHour: 0, hits: 3, misses: 0, wrongLabels: 0, keywordWords: 3, unknownWords: 1, detectionThreshold: 0.7 });
    expect(out.sweep.map((p: { detectionThreshold: number }) => p.detectionThreshold)).toEqual([...DEFAULT_SWEEP_THRESHOLDS]);
    expect(out.sweep).toHaveLength(23);
    expect(out.sweep.find((p: { detectionThreshold: number }) => p.detectionThreshold === 0.7)).toEqual({
      detectionThreshold: 0.7, hitRate: 1, missRate: 0, falseAcceptsPerHour: 0, falseAccepts: 0, hits: 3,
    });
    expect(fs.readFileSync(det, 'utf8')).toMatch(/^<svg/);
  });

  it('eval-stream names a malformed labels file and line', () => {
    fs.writeFileSync(path.join(root, 'bad.txt'), 'low,100\nhigh;200\n');
    const r = runCli(['eval-stream', '--model', modelDir, path.join(root, 'stream.wav'), path.join(root, 'bad.txt')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.txt:2: expected "label, offset_ms"/);
  });

  it('export --format onnx writes a file onnxruntime runs like tfjs', async () => {
    const out = path.join(root, 'model.onnx');
    const r = runCli(['export', '--model', modelDir, '--format', 'onnx', '--out', out, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'onnx', file: out, opset: 13, labels: ['_silence_', '_unknown_', 'low', 'high'] });
    const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(out);
    const tf = getTf();
    const x = Float32Array.from({ length: 2 * 98 * 20 }, (_, i) => Math.sin(i) * 5 - 8);
    const expected = tf.tidy(() => (model.predict(tf.tensor4d(x, [2, 98, 20, 1])) as tfTypes.Tensor).dataSync());
    const got = (await session.run({ input: new ort.Tensor('float32', x, [2, 98, 20, 1]) })).output!.data as Float32Array;
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-4);
    await session.release();
  });
});

/**
 * Streaming detection with a real tiny model trained on tone "keywords" through the real
 * log-mel features: known word times are found, noise alone gives nothing, chunk sizes do not
 * change detections, tensors do not leak.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../../src/backend.ts';
import { detectStream, StreamingDetector, type StreamModelInfo } from '../../src/infer/stream.ts';
import { createFeaturizer } from '../../src/features/featurizer.ts';
import { TONE_FEATURES, TONE_LABELS, TONE_WORDS, toneStream, trainToneModel } from './tone-model.ts';

const tf = getTf();
let model: tfTypes.LayersModel;
let info: StreamModelInfo;

const WORDS = TONE_WORDS;
const DURATION_MS = 16000;
/** A detection's decision comes within this long after the word's start. */
const TOLERANCE_MS = 1000;

beforeAll(async () => {
  model = await trainToneModel(1);
  info = { model, labels: TONE_LABELS, featureSettings: TONE_FEATURES };
});
afterAll(() => model?.dispose());

describe('StreamingDetector', () => {
  it('finds every tone keyword at its time, ignores the unknown word', () => {
    const audio = toneStream(DURATION_MS, WORDS);
    const { detections, windowCount, hopMs, durationMs } = detectStream(info, audio);
    expect(hopMs).toBe(20);
    expect(durationMs).toBe(DURATION_MS);
    // Windows end every 20 ms from 1000 ms to 16000 ms.
    expect(windowCount).toBe(Math.floor((DURATION_MS - 1000) / 20) + 1);
    const keywords = WORDS.filter((w) => w.label !== '_unknown_');
    expect(detections.map((d) => d.label)).toEqual(keywords.map((w) => w.label));
    detections.forEach((d, i) => {
      const wordEndMs = keywords[i]!.startMs + 400;
      expect(d.timeMs).toBeGreaterThan(keywords[i]!.startMs);
      expect(d.timeMs - wordEndMs).toBeLessThan(TOLERANCE_MS);
      expect(d.windowStartMs).toBe(d.timeMs - 1000);
      expect(d.score).toBeGreaterThan(0.7);
    });
  });

  it('gives no detection on noise alone at the default threshold', () => {
    const audio = toneStream(20000, [], 9);
    expect(detectStream(info, audio).detections).toEqual([]);
  });

  it('finds the same detections whatever the chunk size', () => {
    const audio = toneStream(DURATION_MS, WORDS);
    const reference = detectStream(info, audio, { chunkSamples: audio.length });
    expect(reference.detections.length).toBe(5);
    for (const chunkSamples of [37, 160, 1000, 7919]) {
      const got = detectStream(info, audio, { chunkSamples });
      expect(got.windowCount).toBe(reference.windowCount);
      expect(got.detections.map((d) => [d.label, d.timeMs])).toEqual(reference.detections.map((d) => [d.label, d.timeMs]));
      got.detections.forEach((d, i) => expect(d.score).toBeCloseTo(reference.detections[i]!.score, 5));
    }
  });

  it('window scores do not depend on batching (maxBatch 1 vs 64)', () => {
    const audio = toneStream(4000, [{ label: 'low', startMs: 1500 }]);
    const a = detectStream(info, audio, { maxBatch: 1, keepScores: true }).windows!;
    const b = detectStream(info, audio, { maxBatch: 64, keepScores: true }).windows!;
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) {
      expect(a[i]!.timeMs).toBe(b[i]!.timeMs);
      for (let k = 0; k < TONE_LABELS.length; k++) expect(Math.abs(a[i]!.scores[k]! - b[i]!.scores[k]!)).toBeLessThan(1e-5);
    }
  });

  it('hop rounds to whole feature frames and the scores match the offline window', () => {
    const audio = toneStream(3000, [{ label: 'high', startMs: 1200 }]);
    const { windows, hopMs } = detectStream(info, audio, { hopMs: 25, keepScores: true });
    expect(hopMs).toBe(30); // 25 ms -> 3 frames of 10 ms (round half up: 2.5 -> 3)
    // Window k covers samples [k * 240, k * 240 + 8000): classify it directly and compare.
    const k = 20;
    const start = k * 3 * TONE_FEATURES.hopSamples;
    const features = createFeaturizer(TONE_FEATURES).compute(audio.subarray(start, start + 8000));
    const direct = tf.tidy(() => (model.predict(tf.tensor4d(features.data, [1, ...TONE_FEATURES.exampleShape])) as tfTypes.Tensor).dataSync());
    const w = windows![k]!;
    for (let c = 0; c < TONE_LABELS.length; c++) expect(Math.abs(w.scores[c]! - direct[c]!)).toBeLessThan(1e-5);
    expect(w.timeMs).toBe(((start + 8000) * 1000) / 8000);
  });

  it('streams centred features (center: true) like the offline clip at the stream start', () => {
    // A model over centred 8 kHz features; weights are random (the check is about the features).
    const settings = { ...TONE_FEATURES, center: true };
    const centred = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [101, 20, 1] }), tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })] });
    const clip = toneStream(1000, [{ label: 'low', startMs: 300 }]);
    // Silence after the first second: the first window then sees exactly the offline clip (zeros past its end).
    const audio = new Float32Array(16000);
    audio.set(clip);
    const { windows } = detectStream({ model: centred, labels: TONE_LABELS, featureSettings: settings }, audio, { keepScores: true, chunkSamples: 333 });
    const features = createFeaturizer(settings).compute(clip);
    expect(features.numFrames).toBe(101);
    const direct = tf.tidy(() => (centred.predict(tf.tensor4d(features.data, [1, 101, 20, 1])) as tfTypes.Tensor).dataSync());
    expect(windows![0]!.windowStartMs).toBe(0);
    expect(windows![0]!.timeMs).toBe(1000);
    for (let c = 0; c < 4; c++) expect(Math.abs(windows![0]!.scores[c]! - direct[c]!)).toBeLessThan(1e-5);
    centred.dispose();
  });

  it('keeps the tensor count stable and validates its options', () => {
    const before = tf.memory().numTensors;
    const det = new StreamingDetector(info);
    det.push(toneStream(3000, [{ label: 'low', startMs: 1000 }]));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new StreamingDetector(info, { hopMs: 0 })).toThrow(/hopMs must be a number > 0, got 0/);
    expect(() => new StreamingDetector(info, { detectionThreshold: 1.5 })).toThrow(/detectionThreshold must be a number in \(0, 1\], got 1.5/);
    expect(() => new StreamingDetector(info, { minimumCount: 0 })).toThrow(/minimumCount must be an integer >= 1, got 0/);
    expect(() => det.push([1, 2] as unknown as Float32Array)).toThrow(/chunk must be a Float32Array/);
  });
});

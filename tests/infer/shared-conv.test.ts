/**
 * Shared-convolution streaming: the model split (stride, receptive field, refusal reasons),
 * exact agreement with per-window scoring for a model without time context, agreement with one
 * whole-stream body pass (margins and alignment), chunk and block invariance, detections on a
 * tone stream with a trained global-pooling model, tensor hygiene.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../../src/backend.ts';
import { createFeaturizer } from '../../src/features/featurizer.ts';
import { detectStream, StreamingDetector, type StreamModelInfo } from '../../src/infer/stream.ts';
import { splitSharedConvModel } from '../../src/infer/shared-conv-model.ts';
import { buildModel } from '../../src/models/registry.ts';
import { TONE_FEATURES, TONE_LABELS, TONE_WORDS, toneStream, trainToneModel } from './tone-model.ts';

const tf = getTf();
const S = TONE_FEATURES;
let gapModel: tfTypes.LayersModel;
let info: StreamModelInfo;

const WORDS = TONE_WORDS.slice(0, 5);

beforeAll(async () => {
  gapModel = await trainToneModel(1, 'gap');
  info = { model: gapModel, labels: TONE_LABELS, featureSettings: S };
});
afterAll(() => gapModel?.dispose());

/** A model with no time context (kernels 1 frame long) and a time stride of 2: shared = exact. */
function pointwiseModel(): tfTypes.LayersModel {
  const L = tf.layers;
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      L.conv2d({ inputShape: [...S.exampleShape], filters: 6, kernelSize: [1, 3], strides: [2, 1], padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      L.conv2d({ filters: 5, kernelSize: [1, 1], activation: 'tanh', kernelInitializer: init(2) }),
      L.globalAveragePooling2d({}),
      L.dense({ units: TONE_LABELS.length, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('splitSharedConvModel', () => {
  it('splits res8 and ds_cnn with their time stride and receptive field', () => {
    const res8 = buildModel('res8', [98, 40, 1], 12, { seed: 1 });
    const r = splitSharedConvModel(res8, 98, 40);
    expect(r.ok).toBe(true);
    if (r.ok) {
      // conv 3 (+2), avg-pool 4 (+3), six 3x3 convs at stride 4 (+6 * 2 * 4) = 54 frames.
      expect(r.model.timeStrideFrames).toBe(4);
      expect(r.model.receptiveFieldFrames).toBe(54);
      expect(r.model.marginPositions).toBe(15);
      expect([r.model.positionsPerWindow, r.model.freqPositions, r.model.channels]).toEqual([25, 14, 45]);
    }
    const ds = buildModel('ds_cnn', [98, 40, 1], 12, { seed: 1 });
    const d = splitSharedConvModel(ds, 98, 40);
    expect(d.ok && [d.model.timeStrideFrames, d.model.receptiveFieldFrames]).toEqual([2, 26]);
    res8.dispose();
    ds.dispose();
  });

  it('refuses models whose head needs the whole window, naming the layer', () => {
    const conv = buildModel('tiny_conv', [98, 40, 1], 12, { seed: 1 });
    const r = splitSharedConvModel(conv, 98, 40);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/no GlobalAveragePooling2D layer/);
    conv.dispose();
  });
});

describe('StreamingDetector with shared scoring', () => {
  it('equals per-window scoring for a model without time context, at a hop off the stride (two phases)', () => {
    const model = pointwiseModel();
    const audio = toneStream(5000, [{ label: 'low', startMs: 1200 }, { label: 'high', startMs: 3000 }]);
    const m = { model, labels: TONE_LABELS, featureSettings: S };
    const exact = detectStream(m, audio, { scoring: 'exact', hopMs: 30, keepScores: true });
    for (const chunkSamples of [333, 8000]) {
      const shared = detectStream(m, audio, { scoring: 'shared', hopMs: 30, keepScores: true, chunkSamples, blockMs: 200 });
      expect(shared.scoring).toBe('shared');
      expect(shared.windowCount).toBe(exact.windowCount);
      shared.windows!.forEach((w, i) => {
        expect(w.timeMs).toBe(exact.windows![i]!.timeMs);
        expect(maxDiff(w.scores, exact.windows![i]!.scores)).toBeLessThan(1e-5);
      });
    }
    model.dispose();
  });

  it('matches one body pass over the whole stream away from its ends (margins and alignment)', () => {
    const split = splitSharedConvModel(gapModel, S.numFrames, S.numBins);
    if (!split.ok) throw new Error(split.reason);
    const { body, head, timeStrideFrames: stride, positionsPerWindow: p, freqPositions: f, channels } = split.model;
    const audio = toneStream(8000, WORDS.slice(0, 3));
    const { windows, hopMs } = detectStream(info, audio, { scoring: 'shared', keepScores: true, chunkSamples: 1000, blockMs: 250 });
    expect(hopMs).toBe(20);
    // Windows starting at frames 0, 4, 8, ... (even window index at a 2-frame hop) share phase 0.
    const frames = createFeaturizer({ ...S, center: false }).compute(audio);
    let n = frames.numFrames;
    n -= (((n - S.numFrames) % stride) + stride) % stride; // same length modulo the stride as a window
    const sums = tf.tidy(() => (body.predict(tf.tensor4d(frames.data.subarray(0, n * S.numBins), [1, n, S.numBins, 1])) as tfTypes.Tensor).sum(2).dataSync());
    let checked = 0;
    for (let w = 20; w < windows!.length - 40; w += 2) {
      const g0 = (w * 2) / stride;
      const mean = new Float32Array(channels);
      for (let g = g0; g < g0 + p; g++) for (let c = 0; c < channels; c++) mean[c]! += sums[g * channels + c]! / (p * f);
      const ref = tf.tidy(() => (head.predict(tf.tensor2d(mean, [1, channels])) as tfTypes.Tensor).dataSync() as Float32Array);
      expect(maxDiff(windows![w]!.scores, ref)).toBeLessThan(1e-5);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('gives the same window scores whatever the chunk and block sizes', () => {
    const audio = toneStream(8000, WORDS.slice(0, 3));
    const reference = detectStream(info, audio, { scoring: 'shared', keepScores: true, chunkSamples: audio.length, blockMs: 4000 });
    for (const [chunkSamples, blockMs] of [[37, 1000], [160, 100], [7919, 2500]] as const) {
      const got = detectStream(info, audio, { scoring: 'shared', keepScores: true, chunkSamples, blockMs });
      expect(got.windowCount).toBe(reference.windowCount);
      got.windows!.forEach((w, i) => expect(maxDiff(w.scores, reference.windows![i]!.scores)).toBeLessThan(1e-5));
    }
  });

  it('finds every tone keyword at its time with a trained global-pooling model, and nothing in noise', () => {
    const audio = toneStream(14000, WORDS);
    const result = detectStream(info, audio);
    expect(result.scoring).toBe('shared'); // auto picks shared for this model
    const keywords = WORDS.filter((w) => w.label !== '_unknown_');
    expect(result.detections.map((d) => d.label)).toEqual(keywords.map((w) => w.label));
    result.detections.forEach((d, i) => {
      expect(d.timeMs).toBeGreaterThan(keywords[i]!.startMs);
      expect(d.timeMs - (keywords[i]!.startMs + 400)).toBeLessThan(1000);
    });
    expect(detectStream(info, toneStream(20000, [], 9)).detections).toEqual([]);
  });

  it('auto falls back to exact with the reason; shared on such a model is an error', () => {
    const conv = buildModel('tiny_conv', [...S.exampleShape], TONE_LABELS.length, { seed: 1 });
    const m = { model: conv, labels: TONE_LABELS, featureSettings: S };
    const det = new StreamingDetector(m);
    expect(det.scoring).toBe('exact');
    expect(det.exactReason).toMatch(/no GlobalAveragePooling2D/);
    expect(() => new StreamingDetector(m, { scoring: 'shared' })).toThrow(/scoring must be exact or auto for this model \(shared: no GlobalAveragePooling2D/);
    expect(() => new StreamingDetector(m, { scoring: 'fast' as 'auto' })).toThrow(/scoring must be auto, exact or shared, got "fast"/);
    expect(() => new StreamingDetector(info, { blockMs: 0 })).toThrow(/blockMs must be a number > 0, got 0/);
    conv.dispose();
  });

  it('keeps the tensor count stable, scores late windows on flush, refuses audio after flush', () => {
    const det = new StreamingDetector(info, { blockMs: 500 });
    const before = tf.memory().numTensors;
    let windows = 0;
    const counting = new StreamingDetector(info, { blockMs: 500, onScores: () => windows++ });
    counting.push(toneStream(3000, [{ label: 'low', startMs: 1000 }]));
    const beforeFlush = windows;
    counting.flush();
    // Windows end every 20 ms from 1000 to 3000 ms: 101 in all; some waited for context.
    expect(windows).toBe(101);
    expect(beforeFlush).toBeLessThan(101);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => counting.push(new Float32Array(10))).toThrow(/push must be called before flush\(\)/);
    counting.reset();
    counting.push(new Float32Array(10));
    det.flush();
  });
});

/**
 * ONNX export parity: each supported layer type, exported and run in onnxruntime-node, matches
 * the tfjs output within 1e-4 (max abs difference).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../../src/backend.ts';
import { createRng } from '../../src/data/rng.ts';
import { exportOnnx, modelToOnnx, transposeArray } from '../../src/export/onnx.ts';
import { ACTIVATIONS } from '../../src/models/options.ts';
import { buildModel, MODEL_SPECS } from '../../src/models/registry.ts';

type Ort = typeof import('onnxruntime-node');
const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;
const tf = getTf();
const TOLERANCE = 1e-4;

/** Gives every weight seeded values (BatchNorm variances positive), so the test is deterministic. */
function seedWeights(model: tfTypes.LayersModel, seed: number): void {
  const rng = createRng(seed);
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const next = ws.map((w, i) => {
      const name = layer.weights[i]!.name;
      const vals = Float32Array.from({ length: w.size }, () => (name.includes('variance') ? rng.uniform(0.5, 2) : rng.uniform(-0.8, 0.8)));
      return tf.tensor(vals, w.shape);
    });
    layer.setWeights(next);
    next.forEach((t) => t.dispose());
  }
}

async function maxAbsDiff(model: tfTypes.LayersModel, seed = 1, batch = 3): Promise<number> {
  seedWeights(model, seed);
  const rng = createRng(seed + 100);
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  const size = batch * inShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: size }, () => rng.uniform(-2, 2));
  const expected = tf.tidy(() => (model.predict(tf.tensor(x, [batch, ...inShape])) as tfTypes.Tensor).dataSync().slice());
  const session = await ort.InferenceSession.create(modelToOnnx(model));
  const out = await session.run({ input: new ort.Tensor('float32', x, [batch, ...inShape]) });
  const got = out.output!.data as Float32Array;
  expect(out.output!.dims).toEqual([batch, ...(model.outputs[0]!.shape.slice(1) as number[])]);
  expect(got.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i]! - expected[i]!));
  await session.release();
  return max;
}

function seq(inputShape: number[], layers: (first: { inputShape: number[] }) => tfTypes.layers.Layer[]): tfTypes.Sequential {
  const model = tf.sequential();
  for (const l of layers({ inputShape })) model.add(l);
  return model;
}

const L = tf.layers;
const cases: Record<string, () => tfTypes.LayersModel> = {
  'Conv2D same + relu, bias': () => seq([9, 7, 2], (f) => [L.conv2d({ ...f, filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' })]),
  'Conv2D valid, strides 2, no bias, relu6': () => seq([10, 9, 3], (f) => [L.conv2d({ ...f, filters: 5, kernelSize: [3, 2], strides: 2, useBias: false, activation: 'relu6' })]),
  'Conv2D same, strides 2 (odd input), dilation-free': () => seq([11, 8, 1], (f) => [L.conv2d({ ...f, filters: 3, kernelSize: [4, 3], strides: [2, 3], padding: 'same' })]),
  'Conv2D dilation 2, elu': () => seq([12, 12, 2], (f) => [L.conv2d({ ...f, filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'elu' })]),
  'DepthwiseConv2D multiplier 2, same': () => seq([8, 6, 3], (f) => [L.depthwiseConv2d({ ...f, kernelSize: 3, depthMultiplier: 2, padding: 'same' })]),
  'DepthwiseConv2D strides 2, valid, tanh': () => seq([9, 9, 4], (f) => [L.depthwiseConv2d({ ...f, kernelSize: [3, 3], strides: 2, activation: 'tanh' })]),
  'SeparableConv2D same + sigmoid': () => seq([8, 8, 3], (f) => [L.separableConv2d({ ...f, filters: 5, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'sigmoid' })]),
  'Dense + softmax': () => seq([6], (f) => [L.dense({ ...f, units: 4, activation: 'softmax' })]),
  'Dense on 4-D input (last axis)': () => seq([3, 4, 5], (f) => [L.conv2d({ ...f, filters: 2, kernelSize: 1 }), L.dense({ units: 3 })]),
  'BatchNormalization 4-D and 2-D': () => seq([6, 5, 3], (f) => [L.batchNormalization({ ...f }), L.flatten(), L.dense({ units: 4 }), L.batchNormalization({ epsilon: 0.01 })]),
  'BatchNormalization without scale/center': () => seq([4, 4, 2], (f) => [L.batchNormalization({ ...f, scale: false, center: false })]),
  'ReLU / LeakyReLU / ELU / PReLU layers': () => seq([5, 4, 3], (f) => [L.conv2d({ ...f, filters: 3, kernelSize: 2, padding: 'same' }), L.leakyReLU({ alpha: 0.2 }), L.conv2d({ filters: 3, kernelSize: 1 }), L.prelu(), L.elu(), L.reLU({ maxValue: 1.5 }), L.reLU()]),
  'PReLU on 2-D': () => seq([7], (f) => [L.prelu({ ...f })]),
  'Activation layers (selu, softplus, softsign, hardSigmoid, swish, linear)': () => seq([6], (f) => [
    L.activation({ ...f, activation: 'selu' }), L.activation({ activation: 'softplus' }), L.activation({ activation: 'softsign' }),
    L.activation({ activation: 'hardSigmoid' }), L.activation({ activation: 'swish' }), L.activation({ activation: 'linear' }),
  ]),
  'Softmax layer (after Flatten)': () => seq([3, 3, 4], (f) => [L.conv2d({ ...f, filters: 4, kernelSize: 1 }), L.flatten(), L.softmax()]),
  'MaxPooling2D valid / same, AveragePooling2D same': () => seq([9, 7, 2], (f) => [
    L.conv2d({ ...f, filters: 2, kernelSize: 1 }), L.maxPooling2d({ poolSize: 2 }), L.maxPooling2d({ poolSize: [2, 3], strides: 1, padding: 'same' }),
    L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
  ]),
  'AveragePooling2D valid': () => seq([8, 6, 2], (f) => [L.averagePooling2d({ ...f, poolSize: [2, 3] })]),
  'GlobalAveragePooling2D / GlobalMaxPooling2D': () => {
    const input = tf.input({ shape: [6, 5, 3] });
    const c = L.conv2d({ filters: 4, kernelSize: 3 }).apply(input) as tfTypes.SymbolicTensor;
    const a = L.globalAveragePooling2d({}).apply(c) as tfTypes.SymbolicTensor;
    const m = L.globalMaxPooling2d({}).apply(c) as tfTypes.SymbolicTensor;
    return tf.model({ inputs: input, outputs: L.concatenate().apply([a, m]) as tfTypes.SymbolicTensor });
  },
  'Flatten after Conv (NHWC order) + Dropout + Dense': () => seq([5, 4, 1], (f) => [L.conv2d({ ...f, filters: 3, kernelSize: 2 }), L.flatten(), L.dropout({ rate: 0.5 }), L.dense({ units: 3, activation: 'softmax' })]),
  'Reshape': () => seq([4, 6, 2], (f) => [L.conv2d({ ...f, filters: 2, kernelSize: 1 }), L.reshape({ targetShape: [8, 6] }), L.reshape({ targetShape: [2, 4, 6] }), L.flatten()]),
  'ZeroPadding2D': () => seq([4, 5, 2], (f) => [L.conv2d({ ...f, filters: 2, kernelSize: 1 }), L.zeroPadding2d({ padding: [[1, 2], [0, 3]] }), L.conv2d({ filters: 2, kernelSize: 3 })]),
  'Add / Multiply / Average / Maximum (residual)': () => {
    const input = tf.input({ shape: [6, 6, 3] });
    const a = L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tfTypes.SymbolicTensor;
    const b = L.batchNormalization({}).apply(a) as tfTypes.SymbolicTensor;
    const sum = L.add().apply([input, b]) as tfTypes.SymbolicTensor;
    const mul = L.multiply().apply([sum, a]) as tfTypes.SymbolicTensor;
    const avg = L.average().apply([mul, sum, input]) as tfTypes.SymbolicTensor;
    const mx = L.maximum().apply([avg, input]) as tfTypes.SymbolicTensor;
    return tf.model({ inputs: input, outputs: L.activation({ activation: 'relu' }).apply(mx) as tfTypes.SymbolicTensor });
  },
  'small keyword-spotting CNN (conv-bn-relu-pool x2, dense softmax)': () => seq([49, 40, 1], (f) => [
    L.conv2d({ ...f, filters: 8, kernelSize: [10, 4], strides: [2, 2], padding: 'same', useBias: false }), L.batchNormalization({}), L.reLU(),
    L.depthwiseConv2d({ kernelSize: 3, padding: 'same' }), L.batchNormalization({}), L.activation({ activation: 'relu' }),
    L.separableConv2d({ filters: 12, kernelSize: 3, padding: 'same' }), L.maxPooling2d({ poolSize: 2 }),
    L.globalAveragePooling2d({}), L.dropout({ rate: 0.2 }), L.dense({ units: 5, activation: 'softmax' }),
  ]),
};

describe('ONNX export parity with tfjs (onnxruntime-node)', () => {
  for (const [name, build] of Object.entries(cases)) {
    it(name, async () => {
      const model = build();
      const before = tf.memory().numTensors;
      const diff = await maxAbsDiff(model);
      expect(tf.memory().numTensors).toBe(before);
      expect(diff).toBeLessThan(TOLERANCE);
      model.dispose();
    });
  }

  for (const spec of MODEL_SPECS) {
    it(`registry model ${spec.name} (batch norm on) matches`, async () => {
      const shape: [number, number, number] = spec.kind === 'keyword' ? [49, 40, 1] : [28, 28, 1];
      const model = buildModel(spec.name, shape, 4, { batchNorm: true, activation: 'prelu' });
      expect(await maxAbsDiff(model, 7, 2)).toBeLessThan(TOLERANCE);
      model.dispose();
    });
  }

  it('every hidden activation of the registry converts (ds_cnn)', async () => {
    for (const activation of ACTIVATIONS) {
      const model = buildModel('ds_cnn', [49, 40, 1], 3, { activation, batchNorm: true });
      expect(await maxAbsDiff(model, 3, 2), activation).toBeLessThan(TOLERANCE);
      model.dispose();
    }
  });

  it('writes a file that loads, with metadata, and names the batch dimension N', async () => {
    const model = seq([4, 3, 1], (f) => [L.flatten(f), L.dense({ units: 2, activation: 'softmax' })]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-onnx-'));
    const file = path.join(dir, 'sub', 'model.onnx');
    const bytes = exportOnnx(model, file, { metadata: { labels: '["a","b"]' } });
    expect(fs.statSync(file).size).toBe(bytes);
    const session = await ort.InferenceSession.create(file);
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['output']);
    const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(5 * 12), [5, 4, 3, 1]) });
    expect(out.output!.dims).toEqual([5, 2]);
    await session.release();
    fs.rmSync(dir, { recursive: true, force: true });
    model.dispose();
  });

  it('names the layer and the supported list for an unsupported layer', () => {
    const model = seq([4, 6], (f) => [L.lstm({ ...f, units: 2 })]);
    expect(() => modelToOnnx(model)).toThrow(/layer "lstm.*" class must be one of the layer types the ONNX exporter converts \(InputLayer, Conv2D.*got "LSTM"/);
    model.dispose();
  });

  it('transposeArray matches hand-computed values', () => {
    const t = transposeArray(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]);
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

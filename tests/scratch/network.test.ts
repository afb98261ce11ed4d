import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.ts';
import { buildMlp } from '../../src/scratch/build-mlp.ts';
import { DenseLayer } from '../../src/scratch/dense-layer.ts';
import { DropoutLayer } from '../../src/scratch/dropout-layer.ts';
import { initialiseWeights } from '../../src/scratch/initialisers.ts';
import { oneHot, softmaxCrossEntropy } from '../../src/scratch/losses.ts';
import { Network } from '../../src/scratch/network.ts';
import { SgdOptimizer } from '../../src/scratch/sgd-optimizer.ts';
import { ActivationLayer } from '../../src/scratch/activation-layer.ts';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('one SGD step equals the hand-computed update', () => {
  it('softmax regression 2 -> 2, one example, plain SGD', () => {
    const net = buildMlp({ inputSize: 2, hiddenUnits: [], activations: [], outputUnits: 2, dtype: 'float64' }, createRng(0));
    net.setWeights([[0.1, 0.2, 0.3, 0.4], [0, 0]]);
    const x = new Float64Array([1, 2]);
    const t = new Float64Array([0, 1]);
    // z = x·W = [0.7, 1.0]; p0 = 1 / (1 + e^0.3); loss = −log p1; ∂L/∂z = p − t = [p0, −p0]
    const p0 = 1 / (1 + Math.exp(0.3));
    const loss = net.lossAndGradients(x, t, 1);
    expect(loss).toBeCloseTo(-Math.log(1 - p0), 14);
    new SgdOptimizer(net.params(), { learningRate: 0.5 }).step();
    const [w, b] = net.getWeights();
    // W' = W − 0.5 · xᵀ(p − t); b' = b − 0.5 · (p − t)
    const expectedW = [0.1 - 0.5 * p0, 0.2 + 0.5 * p0, 0.3 - 0.5 * 2 * p0, 0.4 + 0.5 * 2 * p0];
    Array.from(w!).forEach((v, i) => expect(v).toBeCloseTo(expectedW[i]!, 14));
    expect(Array.from(b!)[0]).toBeCloseTo(-0.5 * p0, 14);
    expect(Array.from(b!)[1]).toBeCloseTo(0.5 * p0, 14);
  });

  it('2 -> 2 sigmoid -> 1 linear with MSE, batch of 2, momentum and L2 over two steps', () => {
    const layers = [
      new DenseLayer({ inputSize: 2, units: 2, name: 'h', dtype: 'float64' }, createRng(0)),
      new ActivationLayer({ activation: 'sigmoid', size: 2, dtype: 'float64' }),
      new DenseLayer({ inputSize: 2, units: 1, name: 'o', dtype: 'float64' }, createRng(0)),
    ];
    const l2 = 0.01;
    const net = new Network(layers, { loss: 'mse', l2 });
    const W1 = [[0.5, -0.3], [0.2, 0.8]]; // W1[i][j]: input i -> hidden j
    const b1 = [0.1, -0.1];
    const W2 = [0.7, -0.4];
    const b2 = 0.05;
    net.setWeights([W1.flat(), b1, W2, [b2]]);
    const X = [[1, -1], [0.5, 2]];
    const T = [0.3, -0.2];
    // Hand-written forward and backward (chain rule), mean over the batch.
    const grads = (w1: number[][], bb1: number[], w2: number[], bb2: number) => {
      const g = { w1: [[0, 0], [0, 0]], b1: [0, 0], w2: [0, 0], b2: 0 };
      for (let n = 0; n < 2; n++) {
        const x = X[n]!;
        const a = [0, 1].map((j) => sigmoid(x[0]! * w1[0]![j]! + x[1]! * w1[1]![j]! + bb1[j]!));
        const y = a[0]! * w2[0]! + a[1]! * w2[1]! + bb2;
        const dy = (2 * (y - T[n]!)) / 2; // d mean((y − t)²)/dy over N = 2 examples, 1 output
        g.b2 += dy;
        for (let j = 0; j < 2; j++) {
          g.w2[j]! += a[j]! * dy;
          const dz = dy * w2[j]! * a[j]! * (1 - a[j]!);
          g.b1[j]! += dz;
          for (let i = 0; i < 2; i++) g.w1[i]![j]! += x[i]! * dz;
        }
      }
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) g.w1[i]![j]! += 2 * l2 * w1[i]![j]!;
      for (let j = 0; j < 2; j++) g.w2[j]! += 2 * l2 * w2[j]!;
      return g;
    };
    const lr = 0.1;
    const mu = 0.9;
    const opt = new SgdOptimizer(net.params(), { learningRate: lr, momentum: mu });
    const x = new Float64Array(X.flat());
    const t = new Float64Array(T);
    // step 1: v = g; w -= lr·v.  step 2: v = μv + g; w -= lr·v.
    let w1 = W1.map((r) => [...r]);
    let bb1 = [...b1];
    let w2 = [...W2];
    let bb2 = b2;
    let v = { w1: [[0, 0], [0, 0]], b1: [0, 0], w2: [0, 0], b2: 0 };
    for (let step = 0; step < 2; step++) {
      net.lossAndGradients(x, t, 2);
      opt.step();
      const g = grads(w1, bb1, w2, bb2);
      v = {
        w1: v.w1.map((r, i) => r.map((vv, j) => mu * vv + g.w1[i]![j]!)),
        b1: v.b1.map((vv, j) => mu * vv + g.b1[j]!),
        w2: v.w2.map((vv, j) => mu * vv + g.w2[j]!),
        b2: mu * v.b2 + g.b2,
      };
      w1 = w1.map((r, i) => r.map((ww, j) => ww - lr * v.w1[i]![j]!));
      bb1 = bb1.map((bb, j) => bb - lr * v.b1[j]!);
      w2 = w2.map((ww, j) => ww - lr * v.w2[j]!);
      bb2 -= lr * v.b2;
    }
    const got = net.getWeights().map((a) => Array.from(a));
    const want = [w1.flat(), bb1, w2, [bb2]];
    got.forEach((arr, k) => arr.forEach((val, i) => expect(val).toBeCloseTo(want[k]![i]!, 14)));
  });

  it('inverse-time decay lowers the learning rate per step', () => {
    const net = buildMlp({ inputSize: 2, hiddenUnits: [], activations: [], outputUnits: 2 }, createRng(0));
    const opt = new SgdOptimizer(net.params(), { learningRate: 0.1, lrDecay: 0.5 });
    expect(opt.currentLearningRate()).toBe(0.1);
    opt.step();
    opt.step();
    expect(opt.iterations).toBe(2);
    expect(opt.currentLearningRate()).toBeCloseTo(0.1 / 2, 15);
  });
});

describe('network behaviour', () => {
  it('float32 and float64 networks with the same weights agree', () => {
    const opts = { inputSize: 12, hiddenUnits: [8, 6], activations: ['improved-sigmoid', 'relu'] as const, outputUnits: 4 };
    const n32 = buildMlp({ ...opts, activations: [...opts.activations], dtype: 'float32' }, createRng(3));
    const n64 = buildMlp({ ...opts, activations: [...opts.activations], dtype: 'float64' }, createRng(3));
    n64.setWeights(n32.getWeights());
    const rng = createRng('in');
    const x = Float32Array.from({ length: 5 * 12 }, () => rng.uniform(0, 1));
    const a = n32.forward(x, 5);
    const b = n64.forward(Float64Array.from(x), 5);
    for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 6);
    expect(n32.describe()).toBe('12-8 improved-sigmoid-6 relu-4 softmax');
    expect(n32.paramCount()).toBe(12 * 8 + 8 + 8 * 6 + 6 + 6 * 4 + 4);
  });

  it('same seed, same initial weights; different seed, different weights', () => {
    const make = (seed: number) => buildMlp({ inputSize: 5, hiddenUnits: [4], activations: ['tanh'], outputUnits: 3 }, createRng(seed)).getWeights();
    expect(make(1)).toEqual(make(1));
    expect(make(1)).not.toEqual(make(2));
  });

  it('the fused softmax cross-entropy stays finite for huge logits', () => {
    const z = new Float64Array([1000, 0, -1000, 0]);
    const t = oneHot(new Int32Array([1, 0]), 2, new Float64Array(4));
    const grad = new Float64Array(4);
    // row 0: logits [1000, 0], label 1 -> loss 1000; row 1: [-1000, 0], label 0 -> loss 1000
    expect(softmaxCrossEntropy(z, t, { batchSize: 2, classes: 2 }, grad)).toBeCloseTo(1000, 10);
    expect(Array.from(grad)).toEqual([0.5, -0.5, -0.5, 0.5]);
  });

  it('dropout is seeded, scales survivors and is the identity at evaluation', () => {
    const make = () => new DropoutLayer({ rate: 0.25, size: 1000, dtype: 'float64' }, createRng('drop'));
    const x = new Float64Array(2000).fill(1);
    const a = Array.from(make().forward(x, 2, true));
    const b = Array.from(make().forward(x, 2, true));
    expect(a).toEqual(b);
    const kept = a.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-12)).toBe(true);
    expect(kept.length / a.length).toBeGreaterThan(0.72);
    expect(kept.length / a.length).toBeLessThan(0.78);
    expect(make().forward(x, 2, false)).toBe(x);
  });

  it('initialisers have the documented spread', () => {
    const w = new Float64Array(200 * 100);
    const std = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    initialiseWeights('xavier', w, { fanIn: 200, fanOut: 100 }, createRng(1));
    const limit = Math.sqrt(6 / 300);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(std(w)).toBeCloseTo(limit / Math.sqrt(3), 2);
    initialiseWeights('he', w, { fanIn: 200, fanOut: 100 }, createRng(1));
    expect(std(w)).toBeCloseTo(Math.sqrt(2 / 200), 2);
    initialiseWeights('normal-fan-in', w, { fanIn: 200, fanOut: 100 }, createRng(1));
    expect(std(w)).toBeCloseTo(Math.sqrt(1 / 200), 2);
    initialiseWeights('xavier-normal', w, { fanIn: 200, fanOut: 100 }, createRng(1));
    expect(std(w)).toBeCloseTo(Math.sqrt(2 / 300), 2);
  });

  it('rejects bad options with messages naming them', () => {
    const base = { inputSize: 4, hiddenUnits: [3], activations: ['relu' as const], outputUnits: 2 };
    expect(() => buildMlp({ ...base, hiddenUnits: [0] }, createRng(1))).toThrow(/layers\[0\] must be an integer >= 1 \(units of a hidden layer\), got 0/);
    expect(() => buildMlp({ ...base, activations: ['swish' as never] }, createRng(1))).toThrow(/activations\[0\] must be one of linear, sigmoid, improved-sigmoid, tanh, relu, softmax, got "swish"/);
    expect(() => buildMlp({ ...base, hiddenUnits: [3, 3], activations: ['relu', 'relu', 'relu'] }, createRng(1))).toThrow(/activations must be 1 or 2 names/);
    expect(() => buildMlp({ ...base, dropout: 1 }, createRng(1))).toThrow(/dropout must be a rate in \[0, 1\), got 1/);
    expect(() => buildMlp({ ...base, init: 'zeros' as never }, createRng(1))).toThrow(/init must be one of normal-fan-in, xavier, xavier-normal, he, got "zeros"/);
    const net = buildMlp(base, createRng(1));
    expect(() => new SgdOptimizer(net.params(), { momentum: 1 })).toThrow(/momentum must be a number in \[0, 1\), got 1/);
    expect(() => net.forward(new Float32Array(3), 1)).toThrow(/x.length must be batchSize\*inputSize = 4, got 3/);
    expect(() => net.setWeights([[1]])).toThrow(/weights.length must be 4, got 1/);
  });
});

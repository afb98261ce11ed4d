import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.ts';
import { ActivationLayer } from '../../src/scratch/activation-layer.ts';
import { ACTIVATION_NAMES } from '../../src/scratch/activations.ts';
import { buildMlp } from '../../src/scratch/build-mlp.ts';
import { DenseLayer } from '../../src/scratch/dense-layer.ts';
import { DropoutLayer } from '../../src/scratch/dropout-layer.ts';
import { allocFloat } from '../../src/scratch/float-array.ts';
import { checkLayerGradients, checkLossGradient, checkNetworkGradients, formatGradientCheck } from '../../src/scratch/gradient-check.ts';
import { crossEntropy, meanSquaredError, oneHot, softmaxCrossEntropy } from '../../src/scratch/losses.ts';

const TOL = 1e-6;

function randomInput(n: number, seed: string, scale = 1): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = scale * rng.uniform(-1, 1);
  return x;
}

describe('gradient check of each layer (float64)', () => {
  it('dense layer: kernel, bias and input', () => {
    const layer = new DenseLayer({ inputSize: 5, units: 4, dtype: 'float64' }, createRng(1));
    const r = checkLayerGradients(layer, randomInput(3 * 5, 'x'), 3);
    expect(r.tensors.map((t) => t.name)).toEqual(['dense/kernel', 'dense/bias', 'input']);
    expect(r.tensors.every((t) => t.checked === t.shape.reduce((a, b) => a * b, 1))).toBe(true);
    expect(r.maxRelDiff).toBeLessThan(TOL);
  });

  for (const activation of ACTIVATION_NAMES) {
    it(`activation ${activation}`, () => {
      const layer = new ActivationLayer({ activation, size: 6, dtype: 'float64' });
      const r = checkLayerGradients(layer, randomInput(4 * 6, `x-${activation}`, 2), 4);
      expect(r.tensors.map((t) => t.name)).toEqual(['input']);
      expect(r.maxRelDiff).toBeLessThan(TOL);
    });
  }

  it('dropout layer (frozen mask) in training mode, and identity at evaluation', () => {
    const layer = new DropoutLayer({ rate: 0.4, size: 8, dtype: 'float64' }, createRng('d'));
    const r = checkLayerGradients(layer, randomInput(3 * 8, 'xd'), 3);
    expect(r.maxRelDiff).toBeLessThan(TOL);
    const e = checkLayerGradients(layer, randomInput(3 * 8, 'xd'), 3, { training: false });
    expect(e.maxRelDiff).toBeLessThan(TOL);
  });
});

describe('gradient check of each loss (float64)', () => {
  const shape = { batchSize: 4, classes: 5 };
  const targets = oneHot(new Int32Array([0, 3, 4, 1]), 5, new Float64Array(20));
  it('softmax cross-entropy on logits, including large logits', () => {
    expect(checkLossGradient(softmaxCrossEntropy, randomInput(20, 'z', 3), targets, shape).maxRelDiff).toBeLessThan(TOL);
    const big = randomInput(20, 'z2', 3).map((v, i) => v + (i % 5 === 0 ? 800 : 0));
    expect(Number.isFinite(softmaxCrossEntropy(big, targets, shape))).toBe(true);
    expect(checkLossGradient(softmaxCrossEntropy, big, targets, shape).maxRelDiff).toBeLessThan(TOL);
  });
  it('cross-entropy on probabilities', () => {
    const p = randomInput(20, 'p').map((v) => 0.1 + 0.4 * (v + 1));
    expect(checkLossGradient(crossEntropy, p, targets, shape).maxRelDiff).toBeLessThan(TOL);
  });
  it('mean squared error', () => {
    expect(checkLossGradient(meanSquaredError, randomInput(20, 'm'), targets, shape).maxRelDiff).toBeLessThan(TOL);
  });
});

describe('gradient check of whole networks (float64)', () => {
  const batch = 5;
  const labels = new Int32Array([0, 1, 2, 1, 0]);
  for (const activation of ['sigmoid', 'improved-sigmoid', 'tanh', 'relu'] as const) {
    it(`softmax + cross-entropy, ${activation} hidden layers, L1 + L2`, () => {
      const net = buildMlp({ inputSize: 6, hiddenUnits: [5, 4], activations: [activation], outputUnits: 3, dtype: 'float64', l1: 1e-3, l2: 1e-2 }, createRng(`n-${activation}`));
      const targets = oneHot(labels, 3, allocFloat('float64', batch * 3));
      const r = checkNetworkGradients(net, randomInput(batch * 6, 'nx'), targets, batch);
      expect(r.tensors.map((t) => t.name)).toEqual(['dense1/kernel', 'dense1/bias', 'dense2/kernel', 'dense2/bias', 'dense3/kernel', 'dense3/bias']);
      expect(r.maxRelDiff, formatGradientCheck(r)).toBeLessThan(TOL);
    });
  }
  it('sigmoid outputs with MSE, and dropout with frozen masks', () => {
    const net = buildMlp({ inputSize: 6, hiddenUnits: [7], activations: ['tanh'], outputUnits: 3, outputActivation: 'sigmoid', loss: 'mse', dropout: 0.3, dtype: 'float64' }, createRng('mse'));
    const targets = oneHot(labels, 3, allocFloat('float64', batch * 3));
    const r = checkNetworkGradients(net, randomInput(batch * 6, 'mx'), targets, batch);
    expect(r.maxRelDiff, formatGradientCheck(r)).toBeLessThan(TOL);
  });
  it('float32 networks check to a looser tolerance, with a sampled subset of a large tensor', () => {
    const net = buildMlp({ inputSize: 50, hiddenUnits: [20], activations: ['sigmoid'], outputUnits: 4, dtype: 'float32' }, createRng('f32'));
    const targets = oneHot(new Int32Array([0, 1, 2, 3]), 4, allocFloat('float32', 16));
    const x = new Float32Array(randomInput(200, 'fx'));
    const r = checkNetworkGradients(net, x, targets, 4, { maxElementsPerTensor: 30 });
    expect(r.tensors[0]!.checked).toBe(30);
    expect(r.maxAbsDiff).toBeLessThan(1e-3);
  });
});

describe('the checker finds wrong gradients', () => {
  it('reports a bias gradient that back-propagation got wrong', () => {
    class WrongBiasDense extends DenseLayer {
      override backward(dy: Float64Array | Float32Array, batchSize: number, needInputGrad: boolean) {
        const dx = super.backward(dy, batchSize, needInputGrad);
        this.bias.grad[1] *= 1.01;
        return dx;
      }
    }
    const layer = new WrongBiasDense({ inputSize: 3, units: 2, dtype: 'float64' }, createRng(2));
    const r = checkLayerGradients(layer, randomInput(6, 'w'), 2);
    const bias = r.tensors.find((t) => t.name === 'dense/bias')!;
    expect(bias.maxRelDiff).toBeGreaterThan(5e-3);
    expect(bias.worstIndex).toBe(1);
    expect(r.tensors.find((t) => t.name === 'dense/kernel')!.maxRelDiff).toBeLessThan(TOL);
  });
  it('rejects a bad epsilon', () => {
    const layer = new DenseLayer({ inputSize: 3, units: 2, dtype: 'float64' }, createRng(2));
    expect(() => checkLayerGradients(layer, randomInput(6, 'w'), 2, { epsilon: -1 })).toThrow(/epsilon must be a number > 0, got -1/);
  });
});

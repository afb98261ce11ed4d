import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { train } from '../../src/train/trainer.ts';
import { syntheticData } from '../train/synthetic.ts';
import { twin, weightsDiff } from './helpers.ts';

const tf = getTf();

function model(): tfTypes.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tfTypes.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tfTypes.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tfTypes.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tfTypes.SymbolicTensor;
  x = tf.layers.dense({ units: 3, kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }).apply(x) as tfTypes.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'softmax' }).apply(x) as tfTypes.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('trainer engines', () => {
  it('graph and eager engines give the same history and weights (no dropout)', async () => {
    const g = model();
    const e = twin(model, g);
    const opts = { epochs: 3, batchSize: 16, seed: 3, optimizer: { name: 'adam' as const, learningRate: 0.01 } };
    const rg = await train(g, syntheticData(2), { ...opts, engine: 'graph' });
    const re = await train(e, syntheticData(2), { ...opts, engine: 'eager' });
    expect(rg.engine).toBe('graph');
    expect(re.engine).toBe('eager');
    expect(weightsDiff(g, e)).toBeLessThan(1e-4);
    for (let i = 0; i < 3; i++) {
      expect(rg.history[i]!.loss).toBeCloseTo(re.history[i]!.loss, 4);
      expect(rg.history[i]!.valLoss!).toBeCloseTo(re.history[i]!.valLoss!, 4);
      expect(rg.history[i]!.accuracy).toBeCloseTo(re.history[i]!.accuracy, 6);
    }
  });
});

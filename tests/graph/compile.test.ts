import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { compileTrainingStep, supported, type GraphCompileOptions } from '../../src/graph/compile.ts';
import { eagerStep, maxScaledDiff, seededBatches, twin, weightsDiff, type EagerLossOptions } from './helpers.ts';

const tf = getTf();
/** Stated tolerance: every weight and loss within 1e-4 * (1 + |eager value|) after K steps. */
const TOL = 1e-4;
const K = 6;

interface Case {
  name: string;
  build: () => tfTypes.LayersModel;
  inputShape: number[];
  classes: number;
  optimizer?: () => tfTypes.Optimizer;
  loss?: EagerLossOptions;
  lr?: number;
  /** Extra graph compile options (e.g. the batch-norm implementation). */
  graph?: GraphCompileOptions;
}

function seq(inputShape: number[], layers: tfTypes.layers.Layer[]): tfTypes.LayersModel {
  const m = tf.sequential();
  const input = tf.input({ shape: inputShape });
  let out: tfTypes.SymbolicTensor = input;
  for (const l of layers) out = l.apply(out) as tfTypes.SymbolicTensor;
  m.add(tf.model({ inputs: input, outputs: out }));
  return tf.model({ inputs: input, outputs: out });
}

const conv = (): tfTypes.LayersModel => seq([8, 8, 1], [
  tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
  tf.layers.maxPooling2d({ poolSize: 2 }),
  tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, activation: 'relu6' }),
  tf.layers.flatten(),
  tf.layers.dense({ units: 3, activation: 'softmax' }),
]);

const cases: Case[] = [
  { name: 'Conv2D + MaxPool + Flatten + Dense, Adam', build: conv, inputShape: [8, 8, 1], classes: 3, optimizer: () => tf.train.adam(0.01) },
  {
    name: 'DepthwiseConv2D + SeparableConv2D + AvgPool + GlobalAveragePooling, Adam',
    build: () => seq([8, 8, 2], [
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: 'relu', padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'elu' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ]),
    inputShape: [8, 8, 2], classes: 4, optimizer: () => tf.train.adam(0.01),
  },
  {
    name: 'BatchNormalization (conv and dense inputs, moving statistics), SGD',
    build: () => seq([6, 6, 1], [
      tf.layers.conv2d({ filters: 3, kernelSize: 3 }),
      tf.layers.batchNormalization({ momentum: 0.9 }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5 }),
      tf.layers.batchNormalization({ momentum: 0.8, epsilon: 0.01 }),
      tf.layers.reLU(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ]),
    inputShape: [6, 6, 1], classes: 3, optimizer: () => tf.train.sgd(0.1),
  },
  {
    name: 'Dense + PReLU + LeakyReLU + Softmax layer, momentum',
    build: () => seq([10], [
      tf.layers.dense({ units: 8 }),
      tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.2 }) }),
      tf.layers.dense({ units: 6 }),
      tf.layers.leakyReLU({ alpha: 0.1 }),
      tf.layers.dense({ units: 3 }),
      tf.layers.softmax(),
    ]),
    inputShape: [10], classes: 3, optimizer: () => tf.train.momentum(0.05, 0.9),
  },
  { name: 'Nesterov momentum', build: conv, inputShape: [8, 8, 1], classes: 3, optimizer: () => tf.train.momentum(0.05, 0.9, true) },
  { name: 'RMSprop', build: conv, inputShape: [8, 8, 1], classes: 3, optimizer: () => tf.train.rmsprop(0.005, 0.9, 0.5) },
  { name: 'SGD with L2, L1 and label smoothing', build: conv, inputShape: [8, 8, 1], classes: 3, optimizer: () => tf.train.sgd(0.1), loss: { l2: 0.01, l1: 0.001, labelSmoothing: 0.1 } },
  {
    name: 'residual block (Add) with BatchNormalization, Adam',
    build: () => {
      const input = tf.input({ shape: [6, 6, 4] });
      const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tfTypes.SymbolicTensor;
      const bn = tf.layers.batchNormalization().apply(a) as tfTypes.SymbolicTensor;
      const r = tf.layers.reLU().apply(bn) as tfTypes.SymbolicTensor;
      const sum = tf.layers.add().apply([r, input]) as tfTypes.SymbolicTensor;
      const gap = tf.layers.globalAveragePooling2d({}).apply(sum) as tfTypes.SymbolicTensor;
      const out = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(gap) as tfTypes.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    },
    inputShape: [6, 6, 4], classes: 3, optimizer: () => tf.train.adam(0.01),
  },
];

// Both batch-norm implementations (auto picks moments for these channel counts, not multiples of 8).
for (const name of ['BatchNormalization (conv and dense inputs, moving statistics), SGD', 'residual block (Add) with BatchNormalization, Adam']) {
  const base = cases.find((c) => c.name === name)!;
  cases.push({ ...base, name: `${name}, FusedBatchNormV3`, graph: { batchNorm: 'fused' } });
}

describe('graph training step equals eager tfjs training', () => {
  for (const c of cases) {
    it(c.name, () => {
      const graphModel = c.build();
      const eagerModel = twin(c.build, graphModel);
      const eagerOpt = c.optimizer ? c.optimizer() : tf.train.adam(0.01);
      const options: GraphCompileOptions = {
        optimizer: eagerOpt, labelSmoothing: c.loss?.labelSmoothing, l2: c.loss?.l2, l1: c.loss?.l1, ...c.graph,
      };
      const lr = (eagerOpt.getConfig() as { learningRate: number }).learningRate;
      const trainer = compileTrainingStep(graphModel, options);
      const batches = seededBatches(7, K, 16, c.inputShape, c.classes);
      const graphLosses: number[] = [];
      const eagerLosses: number[] = [];
      for (const { x, y } of batches) {
        graphLosses.push(trainer.step(x, y, lr));
        eagerLosses.push(eagerStep(eagerModel, eagerOpt, x, y, c.inputShape, c.classes, c.loss));
      }
      trainer.readWeightsInto(graphModel);
      expect(maxScaledDiff(graphLosses, eagerLosses)).toBeLessThan(TOL);
      expect(weightsDiff(graphModel, eagerModel)).toBeLessThan(TOL);
      expect(graphLosses[K - 1]).not.toBe(graphLosses[0]);
      // Inference forward pass equals tfjs predict on the trained weights.
      const { x } = batches[0]!;
      const p = trainer.predict(x);
      const ref = tf.tidy(() => (graphModel.predict(tf.tensor(x, [16, ...c.inputShape])) as tfTypes.Tensor).dataSync());
      expect(maxScaledDiff(p, ref)).toBeLessThan(1e-5);
      trainer.dispose();
      eagerOpt.dispose();
      graphModel.dispose();
      eagerModel.dispose();
    });
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { batchToTensors } from '../../src/batch/tf-dataset.ts';
import type { ActivationName } from '../../src/scratch/activations.ts';
import { feedBatch, type FeedBuffers } from '../../src/scratch/evaluate-network.ts';
import { SgdOptimizer } from '../../src/scratch/sgd-optimizer.ts';
import { buildTfjsTwin, compileTwin, disposeTwinOptimizer, trainTfjsTwin } from '../../src/scratch/tfjs-twin.ts';
import { buildScratchNetwork, resolveScratchTrainOptions, trainScratchNetwork } from '../../src/scratch/train-scratch-network.ts';
import { createSyntheticData, type SyntheticData } from './helpers/synthetic-data.ts';

let data: SyntheticData;
beforeAll(async () => {
  data = await createSyntheticData({ exampleShape: [3, 4, 1], classes: 4, counts: { training: 64, validation: 16, testing: 24 } });
});
afterAll(async () => {
  await data.close();
});

/** Trains both for `steps` batches from the same weights and returns both loss sequences. */
async function lossesSideBySide(options: Parameters<typeof resolveScratchTrainOptions>[0], steps: number) {
  const tf = getTf();
  const opts = resolveScratchTrainOptions({ dtype: 'float64', batchSize: 16, ...options });
  const net = buildScratchNetwork(data, opts);
  const model = buildTfjsTwin(net, data.exampleShape);
  const tfOpt = compileTwin(model, net, opts);
  const sgd = new SgdOptimizer(net.params(), opts);
  const buffers: FeedBuffers = {};
  const scratch: number[] = [];
  const twin: number[] = [];
  for (let epoch = 0; scratch.length < steps; epoch++) {
    for await (const batch of data.trainBatches(epoch, opts.batchSize)) {
      if (scratch.length === steps) break;
      const { x, targets } = feedBatch(net, batch, buffers);
      scratch.push(net.lossAndGradients(x, targets, batch.size));
      sgd.step();
      const { xs, ys } = batchToTensors(batch, data.labels.length);
      twin.push(((await model.trainOnBatch(xs, ys)) as number[])[0]!);
      tf.dispose([xs, ys]);
    }
  }
  model.dispose();
  disposeTwinOptimizer(tfOpt);
  return { scratch, twin };
}

describe('the scratch network and its tfjs twin agree', () => {
  const cases: { name: string; activations: ActivationName[]; momentum?: number; l2?: number; l1?: number }[] = [
    { name: 'sigmoid, relu (the course topology), plain SGD', activations: ['sigmoid', 'relu'] },
    { name: 'tanh, improved-sigmoid, momentum 0.9', activations: ['tanh', 'improved-sigmoid'], momentum: 0.9 },
    { name: 'relu, relu, momentum 0.5, L1 + L2', activations: ['relu', 'relu'], momentum: 0.5, l1: 1e-3, l2: 1e-3 },
  ];
  for (const c of cases) {
    it(`loss after each of 8 steps within 1e-4: ${c.name}`, async () => {
      const before = getTf().memory().numTensors;
      const { scratch, twin } = await lossesSideBySide({ hiddenUnits: [10, 6], activations: c.activations, learningRate: 0.1, momentum: c.momentum, l1: c.l1, l2: c.l2, seed: 5 }, 8);
      expect(scratch).toHaveLength(8);
      for (let i = 0; i < 8; i++) expect(Math.abs(scratch[i]! - twin[i]!), `step ${i}`).toBeLessThan(1e-4);
      // and it learnt something
      expect(scratch[7]!).toBeLessThan(scratch[0]!);
      expect(getTf().memory().numTensors).toBe(before);
    });
  }

  it('whole training runs (2 epochs, decay) give the same curves and test accuracy', async () => {
    const before = getTf().memory().numTensors;
    const options = { hiddenUnits: [12], activations: ['sigmoid'] as ActivationName[], epochs: 2, batchSize: 8, learningRate: 0.2, lrDecay: 0.01, momentum: 0.5, dtype: 'float64' as const };
    const scratch = await trainScratchNetwork(data, options);
    const twin = await trainTfjsTwin(scratch.network, scratch.initialWeights, data, scratch.options);
    twin.model.dispose();
    expect(twin.history).toHaveLength(2);
    scratch.history.forEach((m, i) => {
      const t = twin.history[i]!;
      expect(Math.abs(m.loss - t.loss)).toBeLessThan(1e-4);
      expect(Math.abs(m.valLoss! - t.valLoss!)).toBeLessThan(1e-4);
      expect(m.accuracy).toBeCloseTo(t.accuracy, 6);
      expect(m.learningRate).toBeCloseTo(t.learningRate, 12);
    });
    expect(Math.abs(scratch.test!.loss - twin.test!.loss)).toBeLessThan(1e-4);
    expect(scratch.test!.accuracy).toBe(twin.test!.accuracy);
    expect(getTf().memory().numTensors).toBe(before);
  });
});

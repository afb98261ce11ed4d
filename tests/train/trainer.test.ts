import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { buildModel } from '../../src/models/registry.ts';
import { train } from '../../src/train/trainer.ts';
import { evaluateModel } from '../../src/train/metrics.ts';
import { syntheticData } from './synthetic.ts';

const tf = getTf();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-train-'));
const weightsOf = (m: ReturnType<typeof buildModel>) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('train', () => {
  it('learns a separable problem and keeps numTensors steady across epochs', async () => {
    const data = syntheticData();
    const model = buildModel('mlp_100_50', [4, 4, 1], 3, { dropout: 0.2, batchNorm: true, seed: 3 });
    const counts: number[] = [];
    const result = await train(model, data, {
      epochs: 5, batchSize: 16, optimizer: { name: 'adam', learningRate: 0.01 },
      onEpochEnd: () => { counts.push(tf.memory().numTensors); },
    });
    expect(result.history).toHaveLength(5);
    expect(result.history[4]!.valAccuracy).toBeGreaterThan(0.9);
    expect(new Set(counts.slice(1)).size).toBe(1);
    const test = await evaluateModel(model, data, 'testing');
    expect(test.count).toBe(30);
    expect(test.accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('resume from a checkpoint gives the same weights as an uninterrupted run', async () => {
    const data = syntheticData(2);
    const options = { batchSize: 16, seed: 5, optimizer: { name: 'adam' as const, learningRate: 0.01 }, schedule: { kind: 'exponential' as const, decayRate: 0.5, everyEpochs: 1 } };
    const build = () => buildModel('mlp_100_50', [4, 4, 1], 3, { dropout: 0.3, batchNorm: true, seed: 9 });
    const a = build();
    const full = await train(a, data, { ...options, epochs: 4, checkpointDir: tmp() });
    const dir = tmp();
    const b1 = build();
    await train(b1, data, { ...options, epochs: 2, checkpointDir: dir });
    b1.dispose();
    expect(fs.readFileSync(path.join(dir, 'latest'), 'utf8').trim()).toBe('epoch-0002');
    const b2 = build();
    const resumed = await train(b2, data, { ...options, epochs: 4, checkpointDir: dir, resume: true });
    expect(resumed.resumedFromEpoch).toBe(2);
    expect(resumed.history.map((m) => m.loss)).toEqual(full.history.map((m) => m.loss));
    expect(weightsOf(b2)).toEqual(weightsOf(a));
    a.dispose();
    b2.dispose();
  });

  it('resume works for SGD with Nesterov momentum and for Nadam', async () => {
    for (const optimizer of [{ name: 'nesterov' as const, learningRate: 0.05 }, { name: 'nadam' as const, learningRate: 0.01 }]) {
      const data = syntheticData(3);
      const build = () => buildModel('softmax', [4, 4, 1], 3, { seed: 1 });
      const a = build();
      await train(a, data, { batchSize: 32, optimizer, epochs: 3 });
      const dir = tmp();
      const b = build();
      await train(b, data, { batchSize: 32, optimizer, epochs: 1, checkpointDir: dir });
      const c = build();
      await train(c, data, { batchSize: 32, optimizer, epochs: 3, checkpointDir: dir, resume: true });
      expect(weightsOf(c)).toEqual(weightsOf(a));
      for (const m of [a, b, c]) m.dispose();
    }
  });

  it('early stopping stops after `patience` epochs and restores the best epoch', async () => {
    const data = syntheticData(4);
    const model = buildModel('softmax', [4, 4, 1], 3, { seed: 2 });
    const perEpoch: number[][][] = [];
    const result = await train(model, data, {
      epochs: 10, batchSize: 16, optimizer: { name: 'sgd', learningRate: 0.1 },
      earlyStopping: { monitor: 'valAccuracy', patience: 2, minDelta: 1 },
      onEpochEnd: () => { perEpoch.push(weightsOf(model)); },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(3);
    expect(result.bestEpoch).toBe(1);
    expect(result.restoredBestWeights).toBe(true);
    expect(weightsOf(model)).toEqual(perEpoch[0]);
    model.dispose();
  });

  it('writes metrics.jsonl and applies class weights', async () => {
    const dir = tmp();
    const data = syntheticData(5);
    const model = buildModel('softmax', [4, 4, 1], 3, { seed: 2 });
    await train(model, data, { epochs: 2, batchSize: 32, classWeights: [1, 2, 3], metricsFile: path.join(dir, 'metrics.jsonl') });
    const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    expect(lines[0]).toHaveProperty('valAccuracy');
    await expect(train(model, data, { epochs: 1, classWeights: [1, 2] })).rejects.toThrow(/classWeights must be 3 numbers > 0/);
    model.dispose();
  });

  it('rejects a model that does not fit the data', async () => {
    const data = syntheticData();
    const model = buildModel('softmax', [4, 4, 1], 4);
    await expect(train(model, data, { epochs: 1 })).rejects.toThrow(/model output units must be 3/);
    const other = buildModel('softmax', [5, 4, 1], 3);
    await expect(train(other, data, { epochs: 1 })).rejects.toThrow(/model input shape must be \[batch, 4, 4, 1\]/);
    await expect(train(other, data, { epochs: 0 })).rejects.toThrow(/epochs must be an integer >= 1, got 0/);
  });
});

import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { batchToTensors, toTfDataset } from '../../src/batch/tf-dataset.ts';
import type { Batch, SplitName, TrainingData } from '../../src/types.ts';

/** A small in-memory TrainingData: example i of epoch e = constant (i + e). */
function memoryData(): TrainingData & { epochs: number[] } {
  const shape = [2, 2, 1] as const;
  const epochs: number[] = [];
  const make = (n: number, base: number): Batch => ({
    x: Float32Array.from({ length: n * 4 }, (_, k) => base + Math.floor(k / 4)),
    y: Int32Array.from({ length: n }, (_, i) => (base + i) % 3),
    size: n,
    exampleShape: shape,
  });
  return {
    labels: ['a', 'b', 'c'],
    exampleShape: shape,
    skipped: [],
    epochs,
    batchesPerEpoch: (b) => Math.ceil(10 / b),
    splitSize: (s: SplitName) => (s === 'training' ? 10 : 4),
    async *trainBatches(epoch, batchSize) {
      epochs.push(epoch);
      for (let i = 0; i < 10; i += batchSize) yield make(Math.min(batchSize, 10 - i), epoch * 100 + i);
    },
    async *evalBatches(_split, batchSize) {
      for (let i = 0; i < 4; i += batchSize) yield make(Math.min(batchSize, 4 - i), i);
    },
  };
}

describe('tf.data bridge', () => {
  it('turns a batch into NHWC float32 and one-hot labels', () => {
    const tf = getTf();
    const before = tf.memory().numTensors;
    const { xs, ys } = batchToTensors({ x: new Float32Array(8), y: Int32Array.from([2, 0]), size: 2, exampleShape: [2, 2, 1] }, 3);
    expect(xs.shape).toEqual([2, 2, 2, 1]);
    expect(ys.arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
    tf.dispose([xs, ys]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('serves the next epoch on each pass and trains with fitDataset without leaking tensors', async () => {
    const tf = getTf();
    const data = memoryData();
    const ds = toTfDataset(data, { split: 'training', batchSize: 4, firstEpoch: 3 });
    const val = toTfDataset(data, { split: 'validation', batchSize: 4 });
    const first = await ds.toArray();
    expect(first.map((b) => b.xs.shape[0])).toEqual([4, 4, 2]);
    expect((first[0]!.xs.dataSync() as Float32Array)[0]).toBe(300);
    tf.dispose(first.flatMap((b) => [b.xs, b.ys]));
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const before = tf.memory().numTensors;
    const h = await model.fitDataset(ds, { epochs: 2, validationData: val, verbose: 0 });
    expect(h.history.loss).toHaveLength(2);
    expect(h.history.val_loss).toHaveLength(2);
    expect(data.epochs).toEqual([3, 4, 5]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

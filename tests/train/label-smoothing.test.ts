import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { train } from '../../src/train/trainer.ts';
import { syntheticData } from './synthetic.ts';

const tf = getTf();

/** conv -> flatten -> dense -> softmax, seeded weights, no batch norm (predict = training forward). */
function model(): tfTypes.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  let x = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(input) as tfTypes.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tfTypes.SymbolicTensor;
  x = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(x) as tfTypes.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'softmax' }).apply(x) as tfTypes.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Mean over the epoch's batches of the batch-mean cross-entropy against smoothed targets. */
async function expectedLoss(m: tfTypes.LayersModel, s: number): Promise<number> {
  const data = syntheticData(4);
  let sum = 0;
  let batches = 0;
  for await (const batch of data.trainBatches(0, 32)) {
    const p = tf.tidy(() => m.predict(tf.tensor4d(batch.x.subarray(0, batch.size * 16), [batch.size, 4, 4, 1])) as tfTypes.Tensor).arraySync() as number[][];
    let ce = 0;
    for (let i = 0; i < batch.size; i++) {
      for (let k = 0; k < 3; k++) ce -= ((k === batch.y[i] ? 1 - s : 0) + s / 3) * Math.log(p[i]![k]!);
    }
    sum += ce / batch.size;
    batches++;
  }
  return sum / batches;
}

describe('label smoothing', () => {
  it('the training loss is the cross-entropy against (1 - s) * onehot + s / K, in both engines', async () => {
    for (const engine of ['eager', 'graph'] as const) {
      for (const s of [0, 0.3]) {
        const m = model();
        const expected = await expectedLoss(m, s);
        // a learning rate this small leaves the weights unchanged within float precision
        const r = await train(m, syntheticData(4), { epochs: 1, batchSize: 32, labelSmoothing: s, engine, optimizer: { name: 'sgd', learningRate: 1e-12 } });
        expect(r.engine).toBe(engine);
        expect(r.history[0]!.loss).toBeCloseTo(expected, 4);
        m.dispose();
      }
    }
  });

  it('rejects a factor outside [0, 1)', async () => {
    const m = model();
    await expect(train(m, syntheticData(4), { epochs: 1, labelSmoothing: 1 })).rejects.toThrow(/labelSmoothing.*\[0, 1\).*1/);
    m.dispose();
  });
});

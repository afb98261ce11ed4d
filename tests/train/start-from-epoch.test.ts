import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/models/registry.ts';
import { train } from '../../src/train/trainer.ts';
import { syntheticData } from './synthetic.ts';

describe('early stopping startFromEpoch', () => {
  it('never keeps an epoch before startFromEpoch as the best one', async () => {
    // a high learning rate that decays: validation accuracy is best early on for this seed or not;
    // either way epochs 1-3 are not candidates
    const run = async (startFromEpoch?: number) => {
      const m = buildModel('mlp_100_50', [4, 4, 1], 3, { seed: 4 });
      const r = await train(m, syntheticData(5), {
        epochs: 5, batchSize: 16, seed: 1, optimizer: { name: 'adam', learningRate: 0.01 },
        earlyStopping: { monitor: 'valAccuracy', patience: 10, restoreBestWeights: true, ...(startFromEpoch ? { startFromEpoch } : {}) },
      });
      m.dispose();
      return r;
    };
    const late = await run(4);
    expect(late.bestEpoch).toBeGreaterThanOrEqual(4);
    const best = Math.max(...late.history.slice(3).map((h) => h.valAccuracy!));
    expect(late.history[late.bestEpoch - 1]!.valAccuracy).toBe(best);
    const any = await run();
    const bestAny = Math.max(...any.history.map((h) => h.valAccuracy!));
    expect(any.history[any.bestEpoch - 1]!.valAccuracy).toBe(bestAny);
  });

  it('rejects a start epoch below 1', async () => {
    const m = buildModel('softmax', [4, 4, 1], 3, { seed: 1 });
    await expect(train(m, syntheticData(5), { epochs: 1, earlyStopping: { startFromEpoch: 0 } })).rejects.toThrow(/earlyStopping\.startFromEpoch.*integer >= 1.*0/);
    m.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { buildModel } from '../../src/models/registry.ts';
import { ensemblePredictor } from '../../src/train/ensemble.ts';

const tf = getTf();

describe('ensemblePredictor', () => {
  it('averages (weighted) probabilities without leaking tensors', () => {
    const a = buildModel('softmax', [3, 3, 1], 4, { seed: 1 });
    const b = buildModel('mlp_100_50', [3, 3, 1], 4, { seed: 2 });
    const x = tf.randomNormal([5, 3, 3, 1], 0, 1, 'float32', 3);
    const pa = (a.predict(x) as ReturnType<typeof tf.zeros>).arraySync() as number[][];
    const pb = (b.predict(x) as ReturnType<typeof tf.zeros>).arraySync() as number[][];
    const before = tf.memory().numTensors;
    const y = ensemblePredictor([a, b], [1, 3])(x as never);
    const got = y.arraySync();
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(0.25 * pa[i]![j]! + 0.75 * pb[i]![j]!, 6)));
    expect(() => ensemblePredictor([a, buildModel('softmax', [3, 3, 1], 3)])).toThrow(/ensemble output sizes must be equal for every model, got \[4,3\]/);
    expect(() => ensemblePredictor([a, b], [1])).toThrow(/ensemble weights must be 2 numbers >= 0/);
  });
});

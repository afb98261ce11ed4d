import { describe, expect, it } from 'vitest';
import { getTf } from '../../src/backend.ts';
import { buildModel } from '../../src/models/registry.ts';
import { resolveModelOptions } from '../../src/models/options.ts';

const tf = getTf();

describe('model input normalisation', () => {
  it('batch_norm puts one batch-normalisation layer on the input; none (the default) does not', () => {
    const plain = buildModel('res8', [98, 40, 1], 12, { seed: 1 });
    const normed = buildModel('res8', [98, 40, 1], 12, { seed: 1, inputNorm: 'batch_norm' });
    expect(plain.layers[1]!.getClassName()).toBe('Conv2D');
    expect(normed.layers[1]!.getClassName()).toBe('BatchNormalization');
    // gamma, beta, moving mean, moving variance of the single input channel
    expect(normed.countParams() - plain.countParams()).toBe(4);
    plain.dispose();
    normed.dispose();
  });

  it('makes the output invariant to an affine change of the input scale (training-mode statistics)', () => {
    const m = buildModel('res8', [98, 40, 1], 12, { seed: 2, inputNorm: 'batch_norm' });
    const [a, b] = tf.tidy(() => {
      const x = tf.randomNormal([4, 98, 40, 1], -6, 3, 'float32', 5);
      const y1 = m.apply(x, { training: true }) as ReturnType<typeof tf.tensor>;
      const y2 = m.apply(tf.add(tf.mul(x, 4), 20), { training: true }) as ReturnType<typeof tf.tensor>;
      return [y1.arraySync(), y2.arraySync()];
    });
    expect(a).toHaveLength(4);
    (a as number[][]).forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo((b as number[][])[i]![k]!, 3)));
    m.dispose();
  });

  it('rejects an unknown normalisation naming the choices', () => {
    expect(resolveModelOptions().inputNorm).toBe('none');
    expect(() => resolveModelOptions({ inputNorm: 'layer' as never })).toThrow(/inputNorm.*none, batch_norm.*layer/);
  });
});

/**
 * Dropout with seeded stateless random numbers: the mask of training step t is a pure function
 * of (compile seed, layer, t), so the same seed gives the same masks run after run.
 * Inference is the identity.
 */
import type { LayerMapping } from './mapping.ts';

/** `Dropout` -> x * (uniform >= rate) / (1 - rate) in training. */
export const dropout: LayerMapping = {
  className: 'Dropout',
  check: (config) => (config.noiseShape === null || config.noiseShape === undefined ? null : 'noiseShape'),
  build(ctx, [x]) {
    const rate = Number(ctx.config.rate ?? 0);
    if (!ctx.training || rate <= 0) return [x!];
    const { b } = ctx;
    const shape = b.op('Shape', [x!], { T: 'float32', out_type: 'int32' });
    const uniform = b.op('StatelessRandomUniform', [shape, ctx.randomSeed()], { dtype: 'float32', T: 'int32', Tseed: 'int64' });
    const keep = b.cast(b.op('GreaterEqual', [uniform, b.constF(rate)], { T: 'float32' }), 'bool', 'float32');
    return [b.mul(x!, b.mul(keep, b.constF(1 / (1 - rate))))];
  },
};

/** The dropout family. */
export const DROPOUT_MAPPINGS: LayerMapping[] = [dropout];

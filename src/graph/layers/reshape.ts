/** Shape layers: InputLayer (identity), Flatten, Reshape. */
import type { LayerMapping } from './mapping.ts';

/** `Flatten` -> Reshape to [batch, -1] (static feature size when known). */
export const flatten: LayerMapping = {
  className: 'Flatten',
  check: (config) => (config.dataFormat === 'channelsFirst' ? 'dataFormat channelsFirst' : null),
  build(ctx, [x]) {
    const shape = ctx.b.shape(x!);
    const features = shape && shape.slice(1).every((d) => d > 0) ? shape.slice(1).reduce((a, d) => a * d, 1) : -1;
    return [ctx.b.reshape(x!, [-1, features])];
  },
};

/** `Reshape` -> Reshape to [batch, ...targetShape]. */
export const reshape: LayerMapping = {
  className: 'Reshape',
  check: () => null,
  build: (ctx, [x]) => [ctx.b.reshape(x!, [-1, ...(ctx.config.targetShape as number[])])],
};

/** The shape family. */
export const RESHAPE_MAPPINGS: LayerMapping[] = [flatten, reshape];

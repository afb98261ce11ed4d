/** Merge layers: Add (residual connections). */
import type { LayerMapping } from './mapping.ts';

/** `Add` -> AddV2 (two inputs) or AddN. */
export const add: LayerMapping = {
  className: 'Add',
  check: () => null,
  build(ctx, inputs) {
    if (inputs.length === 2) return [ctx.b.add(inputs[0]!, inputs[1]!)];
    return [ctx.b.op('AddN', [{ list: inputs }], { T: 'float32', N: inputs.length })];
  },
};

/** The merge family. */
export const MERGE_MAPPINGS: LayerMapping[] = [add];

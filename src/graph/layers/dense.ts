/** Dense (fully connected) layers on rank-2 inputs: MatMul + BiasAdd + activation. */
import { applyActivation, isSupportedActivation } from '../activations.ts';
import type { LayerMapping } from './mapping.ts';

/** `Dense` -> MatMul + BiasAdd + activation. */
export const dense: LayerMapping = {
  className: 'Dense',
  check(config, layer) {
    if (!isSupportedActivation(config.activation)) return `activation ${String(config.activation)}`;
    let rank: number | undefined;
    try {
      rank = (layer.input as { shape?: unknown[] }).shape?.length;
    } catch {
      rank = undefined; // a layer applied several times has no single input
    }
    if (rank !== undefined && rank > 2) return 'inputs of rank > 2 (flatten first)';
    return null;
  },
  build(ctx, [x]) {
    let y = ctx.b.op('MatMul', [x!, ctx.weight('kernel').value], { T: 'float32', transpose_a: false, transpose_b: false });
    if (ctx.config.useBias !== false && ctx.hasWeight('bias')) {
      y = ctx.b.op('BiasAdd', [y, ctx.weight('bias').value], { T: 'float32', data_format: 'NHWC' });
    }
    return [applyActivation(ctx.b, y, ctx.config.activation, ctx.markSoftmax)];
  },
};

/** The dense family. */
export const DENSE_MAPPINGS: LayerMapping[] = [dense];

/**
 * BatchNormalization on the last axis: FusedBatchNormV3 with batch statistics in training (and
 * the moving statistics updated the way tfjs does: moving -= (moving - batch) * (1 - momentum),
 * with the biased batch variance), and with the moving statistics in inference.
 */
import type { GraphOutput } from '../addon.ts';
import type { LayerBuildContext, LayerMapping } from './mapping.ts';

function scaleOrConst(ctx: LayerBuildContext, name: 'gamma' | 'beta', channels: number): GraphOutput {
  if (ctx.hasWeight(name)) return ctx.weight(name).value;
  return ctx.b.constF(new Array<number>(channels).fill(name === 'gamma' ? 1 : 0));
}

/** `BatchNormalization` (axis -1) on rank-2 or rank-4 inputs. */
export const batchNormalization: LayerMapping = {
  className: 'BatchNormalization',
  check(config, layer) {
    const axis = config.axis as number | number[] | undefined;
    let rank: number | undefined;
    try {
      rank = (layer.input as { shape?: unknown[] }).shape?.length;
    } catch {
      rank = undefined;
    }
    const lastAxis = axis === -1 || (typeof axis === 'number' && rank !== undefined && axis === rank - 1);
    if (!lastAxis) return `axis ${JSON.stringify(axis)} (only the last axis)`;
    if (rank !== undefined && rank !== 2 && rank !== 4) return `inputs of rank ${rank} (2 or 4 supported)`;
    return null;
  },
  build(ctx, [input]) {
    const { b, config } = ctx;
    const movingMean = ctx.weight('moving_mean');
    const movingVar = ctx.weight('moving_variance');
    const channels = movingMean.shape[0]!;
    const inShape = b.shape(input!);
    const rank2 = inShape !== null && inShape.length === 2;
    const x = rank2 ? b.reshape(input!, [-1, 1, 1, channels]) : input!;
    const gamma = scaleOrConst(ctx, 'gamma', channels);
    const beta = scaleOrConst(ctx, 'beta', channels);
    const epsilon = { __kind: 'float' as const, value: Number(config.epsilon ?? 1e-3) };
    let y: GraphOutput;
    if (ctx.training) {
      const empty = b.constF([], [0]);
      const fused = b.opAll('FusedBatchNormV3', [x, gamma, beta, empty, empty], {
        T: 'float32', U: 'float32', epsilon, exponential_avg_factor: { __kind: 'float', value: 1 },
        data_format: 'NHWC', is_training: true,
      });
      y = fused.outputs[0]!;
      const batchMean = fused.outputs[1]!;
      // outputs[2] is the Bessel-corrected variance; tfjs averages the biased one: * (n - 1) / n.
      const n = b.div(b.cast(b.op('Size', [x], { T: 'float32', out_type: 'int32' }), 'int32', 'float32'), b.constF(channels));
      const biasedVar = b.mul(fused.outputs[2]!, b.div(b.sub(n, b.constF(1)), n));
      const decay = b.constF(1 - Number(config.momentum ?? 0.99));
      ctx.addUpdate(b.assign(movingMean, b.sub(movingMean.value, b.mul(b.sub(movingMean.value, batchMean), decay))));
      ctx.addUpdate(b.assign(movingVar, b.sub(movingVar.value, b.mul(b.sub(movingVar.value, biasedVar), decay))));
    } else {
      y = b.op('FusedBatchNormV3', [x, gamma, beta, movingMean.value, movingVar.value], {
        T: 'float32', U: 'float32', epsilon, exponential_avg_factor: { __kind: 'float', value: 1 },
        data_format: 'NHWC', is_training: false,
      });
    }
    return [rank2 ? b.reshape(y, [-1, channels]) : y];
  },
};

/** The normalization family. */
export const NORMALIZATION_MAPPINGS: LayerMapping[] = [batchNormalization];

/**
 * BatchNormalization on the last axis. Training: batch statistics either from FusedBatchNormV3
 * or from mean/variance ops with elementwise normalisation as Keras computes them
 * (`GraphCompileOptions.batchNorm`; `auto` picks per layer by channel count); the moving
 * statistics are updated the way tfjs does, with the biased batch variance. Inference:
 * FusedBatchNormV3 with the moving statistics.
 */
import type { GraphOutput } from '../addon.ts';
import type { GraphVariable } from '../builder.ts';
import type { LayerBuildContext, LayerMapping } from './mapping.ts';

function scaleOrConst(ctx: LayerBuildContext, name: 'gamma' | 'beta', channels: number): GraphOutput {
  if (ctx.hasWeight(name)) return ctx.weight(name).value;
  return ctx.b.constF(new Array<number>(channels).fill(name === 'gamma' ? 1 : 0));
}

/** Moving statistics the way tfjs updates them: moving -= (moving - batch) * (1 - momentum). */
function updateMoving(ctx: LayerBuildContext, pairs: readonly (readonly [GraphVariable, GraphOutput])[]): void {
  const { b } = ctx;
  const decay = b.constF(1 - Number(ctx.config.momentum ?? 0.99));
  for (const [moving, batch] of pairs) ctx.addUpdate(b.assign(moving, b.sub(moving.value, b.mul(b.sub(moving.value, batch), decay))));
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
    const moments = ctx.batchNorm === 'moments' || (ctx.batchNorm === 'auto' && channels % 8 !== 0);
    if (ctx.training && moments) {
      // Batch moments as Keras computes them: mean over N, H, W; the biased variance around the
      // mean with the mean's gradient path stopped (zero anyway: the derivative of E[(x - m)^2]
      // in m vanishes at the mean); y = x * inv + (beta - mean * inv).
      const batchMean = b.mean(x, [0, 1, 2], true);
      const variance = b.mean(b.op('SquaredDifference', [x, b.op('StopGradient', [batchMean], { T: 'float32' })], { T: 'float32' }), [0, 1, 2], true);
      const inv = b.mul(b.op('Rsqrt', [b.add(variance, b.constF(epsilon.value))], { T: 'float32' }), gamma);
      y = b.add(b.mul(x, inv), b.sub(beta, b.mul(batchMean, inv)));
      updateMoving(ctx, [[movingMean, b.reshape(batchMean, [channels])], [movingVar, b.reshape(variance, [channels])]]);
    } else if (ctx.training) {
      const empty = b.constF([], [0]);
      const fused = b.opAll('FusedBatchNormV3', [x, gamma, beta, empty, empty], {
        T: 'float32', U: 'float32', epsilon, exponential_avg_factor: { __kind: 'float', value: 1 },
        data_format: 'NHWC', is_training: true,
      });
      y = fused.outputs[0]!;
      // outputs[2] is the Bessel-corrected variance; tfjs averages the biased one: * (n - 1) / n.
      const n = b.div(b.cast(b.op('Size', [x], { T: 'float32', out_type: 'int32' }), 'int32', 'float32'), b.constF(channels));
      updateMoving(ctx, [[movingMean, fused.outputs[1]!], [movingVar, b.mul(fused.outputs[2]!, b.div(b.sub(n, b.constF(1)), n))]]);
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

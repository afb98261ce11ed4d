/** Activation layers: Activation, ReLU, ELU, LeakyReLU, PReLU, Softmax. */
import { applyActivation, isSupportedActivation } from '../activations.ts';
import type { LayerMapping } from './mapping.ts';

/** `Activation` -> the named activation. */
export const activation: LayerMapping = {
  className: 'Activation',
  check: (config) => (isSupportedActivation(config.activation) ? null : `activation ${String(config.activation)}`),
  build: (ctx, [x]) => [applyActivation(ctx.b, x!, ctx.config.activation, ctx.markSoftmax)],
};

/** `ReLU` -> Relu, Relu6 (maxValue 6) or a clipped Relu. */
export const relu: LayerMapping = {
  className: 'ReLU',
  check: () => null,
  build(ctx, [x]) {
    const max = ctx.config.maxValue as number | null | undefined;
    if (max === null || max === undefined) return [ctx.b.op('Relu', [x!], { T: 'float32' })];
    if (max === 6) return [ctx.b.op('Relu6', [x!], { T: 'float32' })];
    return [ctx.b.op('Minimum', [ctx.b.op('Relu', [x!], { T: 'float32' }), ctx.b.constF(max)], { T: 'float32' })];
  },
};

/** `ELU` -> Elu (alpha 1) or alpha * (exp(x) - 1) on the negative side. */
export const elu: LayerMapping = {
  className: 'ELU',
  check: (config) => (config.alpha === undefined || config.alpha === 1 ? null : 'alpha other than 1'),
  build: (ctx, [x]) => [ctx.b.op('Elu', [x!], { T: 'float32' })],
};

/** `LeakyReLU` -> LeakyRelu. */
export const leakyRelu: LayerMapping = {
  className: 'LeakyReLU',
  check: () => null,
  build: (ctx, [x]) => [ctx.b.op('LeakyRelu', [x!], { T: 'float32', alpha: { __kind: 'float', value: Number(ctx.config.alpha ?? 0.3) } })],
};

/** `PReLU` -> relu(x) - alpha * relu(-x) (alpha broadcast over the batch). */
export const prelu: LayerMapping = {
  className: 'PReLU',
  check: () => null,
  build(ctx, [x]) {
    const { b } = ctx;
    const pos = b.op('Relu', [x!], { T: 'float32' });
    const negPart = b.op('Relu', [b.neg(x!)], { T: 'float32' });
    return [b.sub(pos, b.mul(ctx.weight('alpha').value, negPart))];
  },
};

/** `Softmax` layer on the last axis. */
export const softmax: LayerMapping = {
  className: 'Softmax',
  check(config, layer) {
    let rank: number | undefined;
    try {
      rank = (layer.input as { shape?: unknown[] }).shape?.length;
    } catch {
      rank = undefined;
    }
    const axis = Array.isArray(config.axis) && config.axis.length === 1 ? config.axis[0] : config.axis;
    return axis === undefined || axis === -1 || (rank !== undefined && axis === rank - 1) ? null : `axis ${JSON.stringify(config.axis)} (only the last axis)`;
  },
  build: (ctx, [x]) => [applyActivation(ctx.b, x!, 'softmax', ctx.markSoftmax)],
};

/** The activation-layer family. */
export const ACTIVATION_MAPPINGS: LayerMapping[] = [activation, relu, elu, leakyRelu, prelu, softmax];

/** Convolution layers: Conv2D, DepthwiseConv2D, SeparableConv2D (NHWC, bias, activation). */
import type { GraphOutput } from '../addon.ts';
import { applyActivation, isSupportedActivation } from '../activations.ts';
import { checkChannelsLast, pair, tfPadding, type LayerBuildContext, type LayerConfig, type LayerMapping } from './mapping.ts';

function checkConv(config: LayerConfig): string | null {
  const cl = checkChannelsLast(config);
  if (cl) return cl;
  if (!isSupportedActivation(config.activation)) return `activation ${String(config.activation)}`;
  const [dh, dw] = pair(config.dilationRate ?? 1, 'dilationRate');
  const [sh, sw] = pair(config.strides ?? 1, 'strides');
  if ((dh !== 1 || dw !== 1) && (sh !== 1 || sw !== 1)) return 'dilation together with strides';
  return null;
}

function convAttrs(config: LayerConfig) {
  const [sh, sw] = pair(config.strides ?? 1, 'strides');
  const [dh, dw] = pair(config.dilationRate ?? 1, 'dilationRate');
  return {
    T: 'float32' as const,
    strides: [1, sh, sw, 1],
    dilations: [1, dh, dw, 1],
    padding: tfPadding(config.padding),
    data_format: 'NHWC',
  };
}

/** Adds the bias (if any) and the activation. */
export function biasAndActivation(ctx: LayerBuildContext, y: GraphOutput): GraphOutput {
  let out = y;
  if (ctx.config.useBias !== false && ctx.hasWeight('bias')) {
    out = ctx.b.op('BiasAdd', [out, ctx.weight('bias').value], { T: 'float32', data_format: 'NHWC' });
  }
  return applyActivation(ctx.b, out, ctx.config.activation, ctx.markSoftmax);
}

/** `Conv2D` -> Conv2D + BiasAdd + activation. */
export const conv2d: LayerMapping = {
  className: 'Conv2D',
  check: checkConv,
  build(ctx, [x]) {
    const y = ctx.b.op('Conv2D', [x!, ctx.weight('kernel').value], convAttrs(ctx.config));
    return [biasAndActivation(ctx, y)];
  },
};

/** `DepthwiseConv2D` -> DepthwiseConv2dNative + BiasAdd + activation. */
export const depthwiseConv2d: LayerMapping = {
  className: 'DepthwiseConv2D',
  check: checkConv,
  build(ctx, [x]) {
    const y = ctx.b.op('DepthwiseConv2dNative', [x!, ctx.weight('depthwise_kernel').value], convAttrs(ctx.config));
    return [biasAndActivation(ctx, y)];
  },
};

/** `SeparableConv2D` -> depthwise, then a 1x1 Conv2D with the pointwise kernel, bias, activation. */
export const separableConv2d: LayerMapping = {
  className: 'SeparableConv2D',
  check: checkConv,
  build(ctx, [x]) {
    const dw = ctx.b.op('DepthwiseConv2dNative', [x!, ctx.weight('depthwise_kernel').value], convAttrs(ctx.config));
    const pw = ctx.b.op('Conv2D', [dw, ctx.weight('pointwise_kernel').value], {
      T: 'float32', strides: [1, 1, 1, 1], dilations: [1, 1, 1, 1], padding: 'VALID', data_format: 'NHWC',
    });
    return [biasAndActivation(ctx, pw)];
  },
};

/** The convolution family. */
export const CONV_MAPPINGS: LayerMapping[] = [conv2d, depthwiseConv2d, separableConv2d];

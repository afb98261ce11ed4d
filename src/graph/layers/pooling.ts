/** Pooling layers: MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D. */
import { checkChannelsLast, pair, tfPadding, type LayerConfig, type LayerMapping } from './mapping.ts';

function poolAttrs(config: LayerConfig) {
  const [ph, pw] = pair(config.poolSize ?? 2, 'poolSize');
  const [sh, sw] = pair(config.strides ?? config.poolSize ?? 2, 'strides');
  return { T: 'float32' as const, ksize: [1, ph, pw, 1], strides: [1, sh, sw, 1], padding: tfPadding(config.padding), data_format: 'NHWC' };
}

/** `MaxPooling2D` -> MaxPool. */
export const maxPooling2d: LayerMapping = {
  className: 'MaxPooling2D',
  check: checkChannelsLast,
  build: (ctx, [x]) => [ctx.b.op('MaxPool', [x!], poolAttrs(ctx.config))],
};

/** `AveragePooling2D` -> AvgPool. */
export const averagePooling2d: LayerMapping = {
  className: 'AveragePooling2D',
  check: checkChannelsLast,
  build: (ctx, [x]) => [ctx.b.op('AvgPool', [x!], poolAttrs(ctx.config))],
};

/** `GlobalAveragePooling2D` -> Mean over height and width. */
export const globalAveragePooling2d: LayerMapping = {
  className: 'GlobalAveragePooling2D',
  check: checkChannelsLast,
  build: (ctx, [x]) => [ctx.b.mean(x!, [1, 2])],
};

/** `GlobalMaxPooling2D` -> Max over height and width. */
export const globalMaxPooling2d: LayerMapping = {
  className: 'GlobalMaxPooling2D',
  check: checkChannelsLast,
  build: (ctx, [x]) => [ctx.b.op('Max', [x!, ctx.b.constI([1, 2])], { T: 'float32', Tidx: 'int32', keep_dims: false })],
};

/** The pooling family. */
export const POOLING_MAPPINGS: LayerMapping[] = [maxPooling2d, averagePooling2d, globalAveragePooling2d, globalMaxPooling2d];

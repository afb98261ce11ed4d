/**
 * `ds_cnn`: the small depthwise-separable CNN of Zhang et al., "Hello Edge: Keyword Spotting on
 * Microcontrollers" (DS-CNN-S): conv 10x4x64 stride 2x2 + BN + ReLU, then 4 blocks of
 * depthwise 3x3 + BN + ReLU + pointwise 1x1x64 + BN + ReLU, global average pool, dropout, dense.
 */
import type { SymbolicTensor } from './layer-factory.ts';
import { defineModel } from './model-spec.ts';

/** Channels of every DS-CNN-S layer. */
export const DS_CNN_CHANNELS = 64;
/** Number of depthwise-separable blocks. */
export const DS_CNN_BLOCKS = 4;

/** Registry entry of `ds_cnn`. */
export const DS_CNN_MODEL = defineModel(
  { name: 'ds_cnn', kind: 'keyword', description: 'Hello Edge DS-CNN-S: conv 10x4x64/2, 4 x (depthwise 3x3 + pointwise 64) with BN, global avg pool', defaults: { dropout: 0.2 } },
  (input, f) => {
    let x = f.convBlock(input, { filters: DS_CNN_CHANNELS, kernel: [10, 4], strides: [2, 2] }, true);
    for (let i = 0; i < DS_CNN_BLOCKS; i++) {
      x = f.depthwiseConv([3, 3]).apply(x) as SymbolicTensor;
      x = f.batchNorm().apply(x) as SymbolicTensor;
      x = f.activation(4).apply(x) as SymbolicTensor;
      x = f.convBlock(x, { filters: DS_CNN_CHANNELS, kernel: [1, 1] }, true);
    }
    x = f.tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
    return f.maybeDropout(x);
  },
);

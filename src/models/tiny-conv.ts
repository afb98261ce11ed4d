/**
 * `tiny_conv`: TensorFlow speech_commands' `create_tiny_conv_model` (the microcontroller model):
 * conv 10x8x8 with stride 2x2 -> ReLU -> dropout -> dense. About 49k parameters on 49x40 with 12 classes.
 */
import type { SymbolicTensor } from './layer-factory.ts';
import { defineModel } from './model-spec.ts';

/** Registry entry of `tiny_conv`. */
export const TINY_CONV_MODEL = defineModel(
  { name: 'tiny_conv', kind: 'keyword', description: 'TensorFlow speech_commands tiny_conv: conv 10x8x8 stride 2, dense', defaults: { dropout: 0.5 } },
  (input, f) => {
    let x = f.convBlock(input, { filters: 8, kernel: [10, 8], strides: [2, 2] });
    x = f.maybeDropout(x);
    return f.tf.layers.flatten().apply(x) as SymbolicTensor;
  },
);

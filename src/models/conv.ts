/**
 * `conv`: TensorFlow speech_commands' default model (models.py `create_conv_model`, after
 * Sainath & Parada 2015): conv 20x8x64 (time x frequency) -> ReLU -> dropout -> max-pool 2x2 ->
 * conv 10x4x64 -> ReLU -> dropout -> dense. About 940k parameters on a 98x40 input.
 */
import type { SymbolicTensor } from './layer-factory.ts';
import { defineModel } from './model-spec.ts';

/** Registry entry of `conv`. */
export const CONV_MODEL = defineModel(
  { name: 'conv', kind: 'keyword', description: 'TensorFlow speech_commands conv: 2 conv layers (20x8x64, 10x4x64), max-pool, dense', defaults: { dropout: 0.5 } },
  (input, f) => {
    let x = f.convBlock(input, { filters: 64, kernel: [20, 8] });
    x = f.maybeDropout(x);
    x = f.tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2], padding: 'same' }).apply(x) as SymbolicTensor;
    x = f.convBlock(x, { filters: 64, kernel: [10, 4] });
    x = f.maybeDropout(x);
    return f.tf.layers.flatten().apply(x) as SymbolicTensor;
  },
);

/**
 * `low_latency_conv`: TensorFlow speech_commands' `create_low_latency_conv_model`: one
 * convolution spanning the whole time axis (height = input frames, width 8, 186 filters, valid
 * padding) -> ReLU -> dropout, then dense 128 -> dropout -> dense 128 -> dropout -> dense.
 */
import type { SymbolicTensor } from './layer-factory.ts';
import { defineModel } from './model-spec.ts';

/** Filters of the time-spanning convolution. */
export const LOW_LATENCY_FILTERS = 186;
/** Units of each hidden dense layer. */
export const LOW_LATENCY_DENSE_UNITS = 128;

/** Registry entry of `low_latency_conv`. */
export const LOW_LATENCY_CONV_MODEL = defineModel(
  { name: 'low_latency_conv', kind: 'keyword', description: 'TensorFlow speech_commands low_latency_conv: conv over all frames x 8 bins (186), 2 dense 128, dense', defaults: { dropout: 0.5 } },
  (input, f, shape) => {
    let x = f.convBlock(input, { filters: LOW_LATENCY_FILTERS, kernel: [shape[0], 8], padding: 'valid' });
    x = f.maybeDropout(x);
    x = f.tf.layers.flatten().apply(x) as SymbolicTensor;
    for (let i = 0; i < 2; i++) {
      x = f.dense(LOW_LATENCY_DENSE_UNITS).apply(x) as SymbolicTensor;
      x = f.maybeDropout(x);
    }
    return x;
  },
  [1, 8],
);

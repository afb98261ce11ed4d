/**
 * `cnn_bn`: the conv-BN-pool-dropout stack of the course work: two blocks of
 * [conv 3x3 -> BN -> act -> conv 3x3 -> BN -> act -> max-pool 2 -> dropout] with 32 then 64
 * filters, then dense 256 -> BN -> act -> dropout(2 x rate, at most 0.5) -> dense. He initialisation.
 */
import type { SymbolicTensor } from './layer-factory.ts';
import { defineModel } from './model-spec.ts';

/** Filters of the conv blocks, in order. */
export const CNN_BN_FILTERS = [32, 64] as const;
/** Units of the hidden dense layer. */
export const CNN_BN_DENSE_UNITS = 256;

/** Registry entry of `cnn_bn`. */
export const CNN_BN_MODEL = defineModel(
  { name: 'cnn_bn', kind: 'image', description: 'conv-BN-pool-dropout stack: 2 x (2 conv 3x3 + BN, pool, dropout) 32/64, dense 256 + BN, dense', defaults: { dropout: 0.25, batchNorm: true, initializer: 'he_normal' } },
  (input, f) => {
    const L = f.tf.layers;
    const bn = f.options.batchNorm;
    let x = input;
    for (const filters of CNN_BN_FILTERS) {
      x = f.convBlock(x, { filters, kernel: [3, 3] }, bn);
      x = f.convBlock(x, { filters, kernel: [3, 3] }, bn);
      x = L.maxPooling2d({ poolSize: [2, 2], padding: 'same' }).apply(x) as SymbolicTensor;
      x = f.maybeDropout(x);
    }
    x = L.flatten().apply(x) as SymbolicTensor;
    x = f.dense(CNN_BN_DENSE_UNITS).apply(x) as SymbolicTensor;
    if (bn) x = f.batchNorm().apply(x) as SymbolicTensor;
    x = f.activation(2).apply(x) as SymbolicTensor;
    return f.maybeDropout(x, Math.min(0.5, 2 * f.options.dropout));
  },
  [4, 4],
);

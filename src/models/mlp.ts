/**
 * MLP baselines on flattened images: `mlp_100_50` (784-100-50-10) and `mlp_300_100`
 * (784-300-100-10, LeCun et al. 1998's 300-100 net), hidden layers with the model activation,
 * optional batch norm and dropout; and `softmax` (multinomial logistic regression).
 */
import type { SymbolicTensor } from './layer-factory.ts';
import { defineModel, type ModelSpec } from './model-spec.ts';

function mlp(name: string, hidden: readonly number[]): ModelSpec {
  return defineModel(
    { name, kind: 'image', description: `MLP ${['input', ...hidden, 'classes'].join('-')} on flattened pixels`, defaults: {} },
    (input, f) => {
      let x = f.tf.layers.flatten().apply(input) as SymbolicTensor;
      for (const units of hidden) {
        x = f.dense(units).apply(x) as SymbolicTensor;
        if (f.options.batchNorm) x = f.batchNorm().apply(x) as SymbolicTensor;
        x = f.activation(2).apply(x) as SymbolicTensor;
        x = f.maybeDropout(x);
      }
      return x;
    },
  );
}

/** Registry entry of `mlp_100_50` (784-100-50-10 on MNIST). */
export const MLP_100_50_MODEL = mlp('mlp_100_50', [100, 50]);
/** Registry entry of `mlp_300_100` (784-300-100-10 on MNIST). */
export const MLP_300_100_MODEL = mlp('mlp_300_100', [300, 100]);
/** Registry entry of `softmax`: flatten -> dense -> softmax. */
export const SOFTMAX_MODEL = mlp('softmax', []);

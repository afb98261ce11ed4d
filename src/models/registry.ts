/**
 * The model registry: architecture name -> builder. `buildModel('res8', [98, 40, 1], 12)`.
 * One file per architecture in this folder; unknown names fail with the list of valid ones.
 */
import { ConfigError } from '../errors.ts';
import type { ExampleShape } from '../types.ts';
import { CNN_BN_MODEL } from './cnn-bn.ts';
import { CONV_MODEL } from './conv.ts';
import { DS_CNN_MODEL } from './ds-cnn.ts';
import { LOW_LATENCY_CONV_MODEL } from './low-latency-conv.ts';
import { MLP_100_50_MODEL, MLP_300_100_MODEL, SOFTMAX_MODEL } from './mlp.ts';
import { MNIST_CONVNET_MODEL } from './mnist-convnet.ts';
import type { LayersModel, ModelSpec } from './model-spec.ts';
import type { ModelOptions } from './options.ts';
import { RES8_MODEL } from './res8.ts';
import { TINY_CONV_MODEL } from './tiny-conv.ts';

/** Every registered architecture, keyword models first. */
export const MODEL_SPECS: readonly ModelSpec[] = [
  CONV_MODEL, LOW_LATENCY_CONV_MODEL, TINY_CONV_MODEL, DS_CNN_MODEL, RES8_MODEL,
  CNN_BN_MODEL, MNIST_CONVNET_MODEL, MLP_100_50_MODEL, MLP_300_100_MODEL, SOFTMAX_MODEL,
];

/** Registered names, optionally only one kind. */
export function modelNames(kind?: ModelSpec['kind']): string[] {
  return MODEL_SPECS.filter((s) => kind === undefined || s.kind === kind).map((s) => s.name);
}

/**
 * The registry entry of `name`.
 * @throws ConfigError listing the valid names
 */
export function getModelSpec(name: string): ModelSpec {
  const spec = MODEL_SPECS.find((s) => s.name === name);
  if (!spec) throw new ConfigError('model', `one of ${modelNames().join(', ')}`, name);
  return spec;
}

/**
 * Builds a fresh model of architecture `name`.
 * @param inputShape one example, [height, width, channels]
 * @param numClasses number of output classes (>= 2)
 * @param options regularisation, dropout, initialiser, activation, batch norm, seed
 * @returns an uncompiled LayersModel ending in a softmax layer named `probabilities`
 * @throws ConfigError for an unknown name or bad options/shape
 */
export function buildModel(name: string, inputShape: ExampleShape, numClasses: number, options: ModelOptions = {}): LayersModel {
  return getModelSpec(name).build(inputShape, numClasses, options);
}

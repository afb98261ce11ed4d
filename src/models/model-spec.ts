/**
 * ModelSpec: what the registry knows about one architecture (name, kind, defaults, builder),
 * plus the shared argument checks of every builder.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';
import { ConfigError } from '../errors.ts';
import type { ExampleShape } from '../types.ts';
import { LayerFactory, type SymbolicTensor } from './layer-factory.ts';
import { resolveModelOptions, type ModelOptions } from './options.ts';

/** A tfjs layers model. */
export type LayersModel = tfTypes.LayersModel;

/**
 * Builds a fresh, uncompiled model. Input `[height, width, channels]` (NHWC without the batch
 * axis); output: class probabilities from a final softmax layer named `probabilities`, fed by a
 * dense layer named `logits`.
 */
export type ModelBuilder = (inputShape: ExampleShape, numClasses: number, options?: ModelOptions) => LayersModel;

/** A registered architecture. */
export interface ModelSpec {
  /** Registry name (`conv`, `res8`, `mnist_convnet` ...). */
  readonly name: string;
  /** What it is meant for. */
  readonly kind: 'keyword' | 'image';
  /** One line: origin and shape of the architecture. */
  readonly description: string;
  /** Option defaults of this architecture (override {@link DEFAULT_MODEL_OPTIONS}). */
  readonly defaults: ModelOptions;
  /** The builder. */
  readonly build: ModelBuilder;
}

/** Validates builder arguments (positive integer shape, >= 2 classes). */
export function checkBuildArgs(name: string, inputShape: ExampleShape, numClasses: number): void {
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(`${name}: inputShape`, '[height, width, channels] of positive integers', inputShape);
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new ConfigError(`${name}: numClasses`, 'an integer >= 2', numClasses);
}

/**
 * Defines a functional-API architecture: validates arguments, resolves options against
 * `defaults`, and calls `body(input, factory)` which returns the features fed to the classifier
 * head (the head is added here).
 */
export function defineModel(
  spec: Omit<ModelSpec, 'build'>,
  body: (input: SymbolicTensor, f: LayerFactory, inputShape: ExampleShape) => SymbolicTensor,
  minShape: readonly [number, number] = [1, 1],
): ModelSpec {
  const build: ModelBuilder = (inputShape, numClasses, options = {}) => {
    checkBuildArgs(spec.name, inputShape, numClasses);
    if (inputShape[0] < minShape[0] || inputShape[1] < minShape[1]) {
      throw new ConfigError(`${spec.name}: inputShape`, `at least ${minShape[0]}x${minShape[1]} (height x width)`, inputShape);
    }
    const resolved = resolveModelOptions(options, spec.defaults);
    const tf = getTf();
    const f = new LayerFactory(tf, resolved);
    const input = tf.input({ shape: [...inputShape] });
    const normalized = resolved.inputNorm === 'batch_norm' ? f.batchNorm(true).apply(input) as SymbolicTensor : input;
    const features = body(normalized, f, inputShape);
    const output = f.classifier(features, numClasses);
    return tf.model({ inputs: input, outputs: output, name: spec.name });
  };
  return { ...spec, build };
}

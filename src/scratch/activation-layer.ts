/**
 * A parameter-free layer applying one activation function (softmax: per example).
 */
import { ConfigError } from '../errors.ts';
import { activationBackward, activationForward, type ActivationName } from './activations.ts';
import { ensureFloat, type FloatArray, type FloatDType } from './float-array.ts';
import type { Layer, ParamTensor } from './layer.ts';

/** Options of {@link ActivationLayer}. */
export interface ActivationLayerOptions {
  /** The activation function. */
  activation: ActivationName;
  /** Features per example (in = out). */
  size: number;
  /** Name. @default the activation name */
  name?: string;
  /** Buffer dtype. @default 'float32' */
  dtype?: FloatDType;
}

/** An activation layer. */
export class ActivationLayer implements Layer {
  readonly kind = 'activation' as const;
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly dtype: FloatDType;
  /** The activation function. */
  readonly activation: ActivationName;
  private input: FloatArray | undefined;
  private output: FloatArray | undefined;
  private inputGrad: FloatArray | undefined;

  /** @throws ConfigError for a non-positive size */
  constructor(options: ActivationLayerOptions) {
    const { activation, size, name = activation, dtype = 'float32' } = options;
    if (!Number.isInteger(size) || size < 1) throw new ConfigError('size', 'an integer >= 1', size);
    this.activation = activation;
    this.name = name;
    this.inputSize = size;
    this.outputSize = size;
    this.dtype = dtype;
  }

  /** No parameters. */
  params(): readonly ParamTensor[] {
    return [];
  }

  /** `f(x)`. */
  forward(x: FloatArray, batchSize: number, _training: boolean): FloatArray {
    this.input = x;
    this.output = ensureFloat(this.output, this.dtype, batchSize * this.outputSize);
    activationForward(this.activation, x, this.output, this.outputSize);
    return this.output;
  }

  /** `dy · f'(x)`. */
  backward(dy: FloatArray, batchSize: number, needInputGrad: boolean): FloatArray | null {
    if (!needInputGrad) return null;
    if (this.input === undefined || this.output === undefined) throw new Error(`${this.name}: backward() before forward()`);
    this.inputGrad = ensureFloat(this.inputGrad, this.dtype, batchSize * this.inputSize);
    activationBackward(this.activation, this.input, this.output, dy, this.inputGrad, this.outputSize);
    return this.inputGrad;
  }
}

/**
 * A fully connected layer `y = x · W + b`, with the kernel in Keras' `[fanIn, fanOut]` layout.
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';
import { allocFloat, ensureFloat, type FloatArray, type FloatDType } from './float-array.ts';
import { DEFAULT_INITIALISER, initialiseWeights, type InitialiserName } from './initialisers.ts';
import type { Layer, ParamTensor } from './layer.ts';
import { matmulBias, matmulTransAGrad, matmulTransB } from './matmul.ts';

/** Options of {@link DenseLayer}. */
export interface DenseLayerOptions {
  /** Features per example going in (fan-in). */
  inputSize: number;
  /** Units (fan-out). */
  units: number;
  /** Name. @default 'dense' */
  name?: string;
  /** Buffer dtype. @default 'float32' */
  dtype?: FloatDType;
  /** Kernel initialiser (biases start at 0). @default 'xavier' */
  init?: InitialiserName;
}

/** A dense (fully connected) layer. */
export class DenseLayer implements Layer {
  readonly kind = 'dense' as const;
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly dtype: FloatDType;
  /** Kernel `[inputSize, units]` and its gradient. */
  readonly kernel: ParamTensor;
  /** Bias `[units]` and its gradient. */
  readonly bias: ParamTensor;
  private input: FloatArray | undefined;
  private output: FloatArray | undefined;
  private inputGrad: FloatArray | undefined;

  /**
   * Creates the layer with weights drawn from `rng` by the initialiser.
   * @throws ConfigError for non-positive sizes
   */
  constructor(options: DenseLayerOptions, rng: Rng) {
    const { inputSize, units, name = 'dense', dtype = 'float32', init = DEFAULT_INITIALISER } = options;
    if (!Number.isInteger(inputSize) || inputSize < 1) throw new ConfigError('inputSize', 'an integer >= 1', inputSize);
    if (!Number.isInteger(units) || units < 1) throw new ConfigError('units', 'an integer >= 1', units);
    this.name = name;
    this.inputSize = inputSize;
    this.outputSize = units;
    this.dtype = dtype;
    this.kernel = {
      name: `${name}/kernel`, shape: [inputSize, units], regularise: true,
      value: allocFloat(dtype, inputSize * units), grad: allocFloat(dtype, inputSize * units),
    };
    this.bias = {
      name: `${name}/bias`, shape: [units], regularise: false,
      value: allocFloat(dtype, units), grad: allocFloat(dtype, units),
    };
    initialiseWeights(init, this.kernel.value, { fanIn: inputSize, fanOut: units }, rng);
  }

  /** The kernel and the bias. */
  params(): readonly ParamTensor[] {
    return [this.kernel, this.bias];
  }

  /** `x · W + b`. */
  forward(x: FloatArray, batchSize: number, _training: boolean): FloatArray {
    this.input = x;
    this.output = ensureFloat(this.output, this.dtype, batchSize * this.outputSize);
    matmulBias(x, this.kernel.value, this.bias.value, this.output,
      { rows: batchSize, inner: this.inputSize, cols: this.outputSize });
    return this.output;
  }

  /** Kernel gradient `xᵀ·dy`, bias gradient `Σ dy`, input gradient `dy·Wᵀ`. */
  backward(dy: FloatArray, batchSize: number, needInputGrad: boolean): FloatArray | null {
    const x = this.input;
    if (x === undefined) throw new Error(`${this.name}: backward() before forward()`);
    const shape = { rows: batchSize, inner: this.inputSize, cols: this.outputSize };
    matmulTransAGrad(x, dy, this.kernel.grad, this.bias.grad, shape);
    if (!needInputGrad) return null;
    this.inputGrad = ensureFloat(this.inputGrad, this.dtype, batchSize * this.inputSize);
    matmulTransB(dy, this.kernel.value, this.inputGrad, shape);
    return this.inputGrad;
  }
}

/**
 * The layer contract of the from-scratch network: buffers in, buffers out, gradients kept
 * beside the parameters. Buffers are row-major `[batchSize, features]`.
 */
import type { FloatArray, FloatDType } from './float-array.ts';

/** One parameter tensor of a layer, with its gradient (same shape, same dtype). */
export interface ParamTensor {
  /** Name, unique in a network, e.g. `dense1/kernel`. */
  readonly name: string;
  /** Shape, e.g. `[fanIn, fanOut]` for a kernel, `[units]` for a bias. */
  readonly shape: readonly number[];
  /** Values, row-major. */
  readonly value: FloatArray;
  /** Gradient of the loss w.r.t. `value`, written by the last backward pass. */
  readonly grad: FloatArray;
  /** True when L1/L2 penalties apply (kernels yes, biases no). */
  readonly regularise: boolean;
}

/** Kinds of layer. */
export type LayerKind = 'dense' | 'activation' | 'dropout';

/** A layer of the from-scratch network. */
export interface Layer {
  /** What kind of layer this is. */
  readonly kind: LayerKind;
  /** Name, unique in a network. */
  readonly name: string;
  /** Features per example going in. */
  readonly inputSize: number;
  /** Features per example coming out. */
  readonly outputSize: number;
  /** Element type of its buffers. */
  readonly dtype: FloatDType;
  /** Trainable parameters (empty for parameter-free layers). */
  params(): readonly ParamTensor[];
  /**
   * Computes the output for `x` (`[batchSize, inputSize]`). The returned buffer belongs to the
   * layer and is overwritten by the next call; `x` is kept (not copied) for `backward`.
   * @param training true while training (dropout active)
   */
  forward(x: FloatArray, batchSize: number, training: boolean): FloatArray;
  /**
   * Back-propagates `dy` (`[batchSize, outputSize]`, gradient w.r.t. the last forward output):
   * writes the parameter gradients and returns the input gradient (`[batchSize, inputSize]`),
   * or null when `needInputGrad` is false (first layer: saves a matrix product).
   */
  backward(dy: FloatArray, batchSize: number, needInputGrad: boolean): FloatArray | null;
}

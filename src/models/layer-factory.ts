/**
 * LayerFactory: makes the layers of one model from resolved {@link ModelOptions}, so every
 * architecture gets the same regularisers, seeded initialisers and activations.
 * Each initialiser gets its own seed (`seed * 1000 + layer index`): equal seeds, equal weights.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../backend.ts';
import type { ResolvedModelOptions } from './options.ts';

/** A symbolic tensor of the functional API. */
export type SymbolicTensor = tfTypes.SymbolicTensor;
/** A tfjs layer. */
export type Layer = tfTypes.layers.Layer;

/** Convolution options of {@link LayerFactory.conv}. */
export interface ConvSpec {
  /** Number of output channels. */
  filters: number;
  /** Kernel [height, width] (time x frequency for spectrograms, rows x columns for images). */
  kernel: [number, number];
  /** Strides [height, width]. @default [1, 1] */
  strides?: [number, number];
  /** Padding. @default 'same' */
  padding?: 'same' | 'valid';
  /** Add a bias. @default true */
  useBias?: boolean;
}

/** Builds layers with the model's regularisers, initialisers and activation. */
export class LayerFactory {
  readonly tf: Tf;
  readonly options: ResolvedModelOptions;
  private seedIndex = 0;

  constructor(tf: Tf, options: ResolvedModelOptions) {
    this.tf = tf;
    this.options = options;
  }

  /** The next seeded kernel initialiser (the model's `initializer`). */
  kernelInitializer(): ReturnType<Tf["initializers"]["heNormal"]> {
    const seed = this.options.seed * 1000 + this.seedIndex++;
    const init = this.tf.initializers;
    switch (this.options.initializer) {
      case 'he_normal': return init.heNormal({ seed });
      case 'he_uniform': return init.heUniform({ seed });
      case 'glorot_normal': return init.glorotNormal({ seed });
      case 'glorot_uniform': return init.glorotUniform({ seed });
      case 'lecun_normal': return init.leCunNormal({ seed });
      case 'lecun_uniform': return init.leCunUniform({ seed });
      default: throw new Error(`unknown initializer ${String(this.options.initializer)}`);
    }
  }

  /** The kernel regulariser (L1/L2), or undefined when both are 0. */
  kernelRegularizer(): ReturnType<Tf["regularizers"]["l1l2"]> | undefined {
    const { l1, l2 } = this.options;
    return l1 > 0 || l2 > 0 ? this.tf.regularizers.l1l2({ l1, l2 }) : undefined;
  }

  /** A 2-D convolution without activation. */
  conv(spec: ConvSpec, name?: string): Layer {
    return this.tf.layers.conv2d({
      filters: spec.filters,
      kernelSize: spec.kernel,
      strides: spec.strides ?? [1, 1],
      padding: spec.padding ?? 'same',
      useBias: spec.useBias ?? true,
      kernelInitializer: this.kernelInitializer(),
      kernelRegularizer: this.kernelRegularizer(),
      name,
    });
  }

  /** A depthwise 2-D convolution (one filter per channel) without activation. */
  depthwiseConv(kernel: [number, number], strides: [number, number] = [1, 1], name?: string): Layer {
    return this.tf.layers.depthwiseConv2d({
      kernelSize: kernel,
      strides,
      padding: 'same',
      depthwiseInitializer: this.kernelInitializer(),
      depthwiseRegularizer: this.kernelRegularizer(),
      name,
    });
  }

  /** A dense layer; `activation` 'linear' unless given (hidden activations come from {@link activation}). */
  dense(units: number, activation: 'linear' | 'softmax' = 'linear', name?: string): Layer {
    return this.tf.layers.dense({
      units,
      activation,
      kernelInitializer: this.kernelInitializer(),
      kernelRegularizer: this.kernelRegularizer(),
      name,
    });
  }

  /** The model's hidden activation as a layer (`rank` 4 shares PReLU slopes over height and width). */
  activation(rank: 2 | 4 = 4): Layer {
    const L = this.tf.layers;
    switch (this.options.activation) {
      case 'relu': return L.reLU();
      case 'leaky_relu': return L.leakyReLU({ alpha: this.options.leakyReluAlpha });
      case 'prelu': return L.prelu(rank === 4 ? { sharedAxes: [1, 2] } : {});
      case 'elu': return L.elu();
      case 'selu': return L.activation({ activation: 'selu' });
      case 'tanh': return L.activation({ activation: 'tanh' });
      case 'sigmoid': return L.activation({ activation: 'sigmoid' });
      default: throw new Error(`unknown activation ${String(this.options.activation)}`);
    }
  }

  /** Batch normalisation over the last axis (Keras defaults: momentum 0.99, epsilon 0.001). */
  batchNorm(affine = true): Layer {
    return this.tf.layers.batchNormalization({ axis: -1, center: affine, scale: affine });
  }

  /** Dropout at `rate` (default: the model's `dropout`); the trainer seeds it per step. */
  dropout(rate: number = this.options.dropout): Layer {
    return this.tf.layers.dropout({ rate });
  }

  /** The classifier head: dense logits then a separate softmax layer named `probabilities`. */
  classifier(x: SymbolicTensor, numClasses: number): SymbolicTensor {
    const logits = this.dense(numClasses, 'linear', 'logits').apply(x) as SymbolicTensor;
    return this.tf.layers.activation({ activation: 'softmax', name: 'probabilities' }).apply(logits) as SymbolicTensor;
  }

  /** Applies `conv`, optional batch norm, then the activation. */
  convBlock(x: SymbolicTensor, spec: ConvSpec, batchNorm: boolean = this.options.batchNorm): SymbolicTensor {
    let y = this.conv({ ...spec, useBias: spec.useBias ?? !batchNorm }).apply(x) as SymbolicTensor;
    if (batchNorm) y = this.batchNorm().apply(y) as SymbolicTensor;
    return this.activation(4).apply(y) as SymbolicTensor;
  }

  /** Applies `dropout` when its rate is > 0. */
  maybeDropout(x: SymbolicTensor, rate: number = this.options.dropout): SymbolicTensor {
    return rate > 0 ? (this.dropout(rate).apply(x) as SymbolicTensor) : x;
  }
}

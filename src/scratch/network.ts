/**
 * A sequential from-scratch network: layers in order, a loss, L1/L2 penalties on kernels.
 * When the last layer is a softmax and the loss is cross-entropy, the two are fused (loss from
 * the logits with log-sum-exp, gradient `(p − t)/N`), which is stable and exact.
 */
import { ConfigError } from '../errors.ts';
import type { FloatArray, FloatDType } from './float-array.ts';
import type { Layer, ParamTensor } from './layer.ts';
import { crossEntropy, meanSquaredError, softmaxCrossEntropy, type LossName } from './losses.ts';
import { allocFloat, ensureFloat } from './float-array.ts';

/** Options of {@link Network}. */
export interface NetworkOptions {
  /** The loss. @default 'cross-entropy' */
  loss?: LossName;
  /** L1 penalty `l1 · Σ|w|` over every kernel (Keras' convention). @default 0 */
  l1?: number;
  /** L2 penalty `l2 · Σw²` over every kernel (Keras' convention). @default 0 */
  l2?: number;
}

/** A sequential network of from-scratch layers. */
export class Network {
  /** The layers, input first. */
  readonly layers: readonly Layer[];
  /** The loss. */
  readonly loss: LossName;
  /** L1 penalty factor. */
  readonly l1: number;
  /** L2 penalty factor. */
  readonly l2: number;
  /** Buffer dtype (the same in every layer). */
  readonly dtype: FloatDType;
  /** Features per example going in. */
  readonly inputSize: number;
  /** Outputs per example. */
  readonly outputSize: number;
  /** True when softmax + cross-entropy are fused. */
  readonly fusedSoftmaxCrossEntropy: boolean;
  private lossGrad: FloatArray | undefined;
  /** Input of the last layer in the last forward pass (the logits when softmax is last). */
  private lastInput: FloatArray | undefined;
  private lastOut: FloatArray | undefined;

  /** @throws ConfigError for an empty network, mismatched sizes or dtypes, or negative penalties */
  constructor(layers: readonly Layer[], options: NetworkOptions = {}) {
    const { loss = 'cross-entropy', l1 = 0, l2 = 0 } = options;
    if (layers.length === 0) throw new ConfigError('layers', 'at least one layer', []);
    if (!(l1 >= 0)) throw new ConfigError('l1', 'a number >= 0', l1);
    if (!(l2 >= 0)) throw new ConfigError('l2', 'a number >= 0', l2);
    for (let i = 1; i < layers.length; i++) {
      const prev = layers[i - 1]!;
      const cur = layers[i]!;
      if (cur.inputSize !== prev.outputSize) {
        throw new ConfigError(`layers[${i}].inputSize`, `${prev.outputSize} (the output size of ${prev.name})`, cur.inputSize);
      }
      if (cur.dtype !== layers[0]!.dtype) throw new ConfigError(`layers[${i}].dtype`, layers[0]!.dtype, cur.dtype);
    }
    const names = new Set<string>();
    for (const p of layers.flatMap((l) => l.params())) {
      if (names.has(p.name)) throw new ConfigError('layers', 'layers with unique names', p.name);
      names.add(p.name);
    }
    this.layers = layers;
    this.loss = loss;
    this.l1 = l1;
    this.l2 = l2;
    this.dtype = layers[0]!.dtype;
    this.inputSize = layers[0]!.inputSize;
    this.outputSize = layers[layers.length - 1]!.outputSize;
    const last = layers[layers.length - 1]!;
    this.fusedSoftmaxCrossEntropy = loss === 'cross-entropy' && layers.length > 1 &&
      last.kind === 'activation' && (last as Layer & { activation?: string }).activation === 'softmax';
  }

  /** Every parameter tensor, input layer first. */
  params(): ParamTensor[] {
    return this.layers.flatMap((l) => l.params());
  }

  /** Number of trainable values. */
  paramCount(): number {
    return this.params().reduce((n, p) => n + p.value.length, 0);
  }

  /** A short description, e.g. `784-100 sigmoid-50 relu-10 softmax`. */
  describe(): string {
    const parts = [String(this.inputSize)];
    for (const l of this.layers) {
      if (l.kind === 'dense') parts.push(String(l.outputSize));
      else if (l.kind === 'activation') parts[parts.length - 1] += ` ${(l as Layer & { activation: string }).activation}`;
      else parts[parts.length - 1] += ` dropout`;
    }
    return parts.join('-');
  }

  /**
   * The network output for `x` (`[batchSize, inputSize]`, this network's dtype); the returned
   * buffer belongs to the last layer.
   * @param training true while training (dropout active) @default false
   */
  forward(x: FloatArray, batchSize: number, training = false): FloatArray {
    if (x.length !== batchSize * this.inputSize) {
      throw new ConfigError('x.length', `batchSize*inputSize = ${batchSize * this.inputSize}`, x.length);
    }
    let h = x;
    const last = this.layers.length - 1;
    for (let i = 0; i < last; i++) h = this.layers[i]!.forward(h, batchSize, training);
    this.lastInput = h;
    this.lastOut = this.layers[last]!.forward(h, batchSize, training);
    return this.lastOut;
  }

  /** The output of the last forward pass (also run by {@link lossAndGradients}), or undefined before one. */
  lastOutput(): FloatArray | undefined {
    return this.lastOut;
  }

  /** The penalty `l1·Σ|w| + l2·Σw²` over the kernels. */
  penalty(): number {
    if (this.l1 === 0 && this.l2 === 0) return 0;
    let s = 0;
    for (const p of this.params()) {
      if (!p.regularise) continue;
      const w = p.value;
      for (let i = 0; i < w.length; i++) s += this.l1 * Math.abs(w[i]!) + this.l2 * w[i]! * w[i]!;
    }
    return s;
  }

  /**
   * Forward pass and loss (data loss + penalty) without gradients.
   * @param targets `[batchSize, outputSize]` (one-hot for classification)
   */
  evaluateLoss(x: FloatArray, targets: FloatArray, batchSize: number, training = false): number {
    const out = this.forward(x, batchSize, training);
    return this.dataLoss(out, targets, batchSize) + this.penalty();
  }

  /**
   * Forward pass, loss and backward pass: writes every parameter's `grad` and returns the loss
   * (data loss + penalty) of this batch.
   * @param targets `[batchSize, outputSize]` (one-hot for classification)
   * @param training true while training (dropout active) @default true
   */
  lossAndGradients(x: FloatArray, targets: FloatArray, batchSize: number, training = true): number {
    const out = this.forward(x, batchSize, training);
    this.lossGrad = ensureFloat(this.lossGrad, this.dtype, batchSize * this.outputSize);
    const loss = this.dataLoss(out, targets, batchSize, this.lossGrad) + this.penalty();
    let g: FloatArray | null = this.lossGrad;
    const start = this.fusedSoftmaxCrossEntropy ? this.layers.length - 2 : this.layers.length - 1;
    for (let i = start; i >= 0 && g !== null; i--) g = this.layers[i]!.backward(g, batchSize, i > 0);
    if (this.l1 !== 0 || this.l2 !== 0) {
      for (const p of this.params()) {
        if (!p.regularise) continue;
        const w = p.value;
        const gw = p.grad;
        for (let i = 0; i < w.length; i++) gw[i] += this.l1 * Math.sign(w[i]!) + 2 * this.l2 * w[i]!;
      }
    }
    return loss;
  }

  /**
   * Copies of every parameter tensor's values (input layer first, kernel then bias), for saving
   * or for giving another model the same initial weights.
   */
  getWeights(): Float64Array[] {
    return this.params().map((p) => Float64Array.from(p.value));
  }

  /**
   * Sets every parameter tensor from `values` (same order and sizes as {@link getWeights}).
   * @throws ConfigError for a count or size mismatch
   */
  setWeights(values: readonly ArrayLike<number>[]): void {
    const params = this.params();
    if (values.length !== params.length) throw new ConfigError('weights.length', String(params.length), values.length);
    params.forEach((p, i) => {
      const v = values[i]!;
      if (v.length !== p.value.length) throw new ConfigError(`weights[${i}].length (${p.name})`, String(p.value.length), v.length);
      p.value.set(v);
    });
  }

  /**
   * The data loss (no penalty) of the output `out` of the last {@link forward} call; the fused
   * softmax cross-entropy reads that call's logits. Writes the gradient w.r.t. the output (or
   * the logits when fused) into `grad` when given.
   * @throws ConfigError when `targets` is not `[batchSize, outputSize]`
   */
  dataLoss(out: FloatArray, targets: FloatArray, batchSize: number, grad?: FloatArray): number {
    const shape = { batchSize, classes: this.outputSize };
    if (targets.length !== batchSize * this.outputSize) {
      throw new ConfigError('targets.length', `batchSize*outputSize = ${batchSize * this.outputSize}`, targets.length);
    }
    if (this.fusedSoftmaxCrossEntropy) {
      return softmaxCrossEntropy(this.lastInput!, targets, shape, grad);
    }
    return this.loss === 'mse' ? meanSquaredError(out, targets, shape, grad) : crossEntropy(out, targets, shape, grad);
  }
}

/** A zeroed `[rows, cols]` buffer of the network's dtype (for targets or inputs). */
export function allocForNetwork(network: Network, length: number): FloatArray {
  return allocFloat(network.dtype, length);
}

/**
 * Inverted dropout with a seeded RNG: while training, each unit is zeroed with probability
 * `rate` and the survivors are scaled by 1/(1−rate); at evaluation it is the identity.
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';
import { ensureFloat, type FloatArray, type FloatDType } from './float-array.ts';
import type { Layer, ParamTensor } from './layer.ts';

/** Options of {@link DropoutLayer}. */
export interface DropoutLayerOptions {
  /** Probability of dropping a unit, in [0, 1). */
  rate: number;
  /** Features per example (in = out). */
  size: number;
  /** Name. @default 'dropout' */
  name?: string;
  /** Buffer dtype. @default 'float32' */
  dtype?: FloatDType;
}

/** A dropout layer. */
export class DropoutLayer implements Layer {
  readonly kind = 'dropout' as const;
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly dtype: FloatDType;
  /** Probability of dropping a unit. */
  readonly rate: number;
  /**
   * When true, training-mode forward passes reuse the last mask instead of drawing a new one
   * (gradient checks need a fixed function). @default false
   */
  freezeMask = false;
  private readonly rng: Rng;
  private mask: FloatArray | undefined;
  private output: FloatArray | undefined;
  private inputGrad: FloatArray | undefined;
  private lastTraining = false;

  /** @throws ConfigError for a rate outside [0, 1) or a non-positive size */
  constructor(options: DropoutLayerOptions, rng: Rng) {
    const { rate, size, name = 'dropout', dtype = 'float32' } = options;
    if (!(rate >= 0 && rate < 1)) throw new ConfigError('dropout', 'a rate in [0, 1)', rate);
    if (!Number.isInteger(size) || size < 1) throw new ConfigError('size', 'an integer >= 1', size);
    this.rate = rate;
    this.name = name;
    this.inputSize = size;
    this.outputSize = size;
    this.dtype = dtype;
    this.rng = rng;
  }

  /** No parameters. */
  params(): readonly ParamTensor[] {
    return [];
  }

  /** Training: `x ⊙ mask`; evaluation: `x`. */
  forward(x: FloatArray, batchSize: number, training: boolean): FloatArray {
    this.lastTraining = training && this.rate > 0;
    if (!this.lastTraining) return x;
    const n = batchSize * this.outputSize;
    if (!(this.freezeMask && this.mask !== undefined && this.mask.length === n)) {
      this.mask = ensureFloat(this.mask, this.dtype, n);
      const keep = 1 - this.rate;
      const scale = 1 / keep;
      for (let i = 0; i < n; i++) this.mask[i] = this.rng.next() < keep ? scale : 0;
    }
    this.output = ensureFloat(this.output, this.dtype, n);
    const mask = this.mask!;
    for (let i = 0; i < n; i++) this.output[i] = x[i]! * mask[i]!;
    return this.output;
  }

  /** `dy ⊙ mask` (training) or `dy`. */
  backward(dy: FloatArray, batchSize: number, needInputGrad: boolean): FloatArray | null {
    if (!needInputGrad) return null;
    if (!this.lastTraining) return dy;
    const n = batchSize * this.inputSize;
    this.inputGrad = ensureFloat(this.inputGrad, this.dtype, n);
    const mask = this.mask!;
    for (let i = 0; i < n; i++) this.inputGrad[i] = dy[i]! * mask[i]!;
    return this.inputGrad;
  }
}

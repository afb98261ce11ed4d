/**
 * Mini-batch stochastic gradient descent with momentum and inverse-time learning-rate decay,
 * in the same form as TensorFlow.js' momentum optimizer (and PyTorch's SGD):
 * `v ← μ·v + g`, `w ← w − η_t·v`, with `η_t = η / (1 + decay·t)` at step t (0-based).
 * With μ = 0 this is plain SGD `w ← w − η_t·g`.
 */
import { ConfigError } from '../errors.ts';
import { allocFloat, type FloatArray } from './float-array.ts';
import type { ParamTensor } from './layer.ts';

/** Options of {@link SgdOptimizer}. */
export interface SgdOptions {
  /** Initial learning rate η. @default 0.05 */
  learningRate?: number;
  /** Momentum μ in [0, 1). @default 0 */
  momentum?: number;
  /** Inverse-time decay per step: η_t = η / (1 + decay·t). @default 0 */
  lrDecay?: number;
}

/** Default learning rate of the from-scratch trainer. */
export const DEFAULT_LEARNING_RATE = 0.05;

/** Updates parameter tensors from their gradients. */
export class SgdOptimizer {
  /** Initial learning rate. */
  readonly learningRate: number;
  /** Momentum. */
  readonly momentum: number;
  /** Inverse-time decay per step. */
  readonly lrDecay: number;
  private readonly params: readonly ParamTensor[];
  private readonly velocity: FloatArray[];
  private step_ = 0;

  /** @throws ConfigError for a learning rate <= 0, momentum outside [0, 1) or decay < 0 */
  constructor(params: readonly ParamTensor[], options: SgdOptions = {}) {
    const { learningRate = DEFAULT_LEARNING_RATE, momentum = 0, lrDecay = 0 } = options;
    if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new ConfigError('learningRate', 'a number > 0', learningRate);
    if (!(momentum >= 0 && momentum < 1)) throw new ConfigError('momentum', 'a number in [0, 1)', momentum);
    if (!(lrDecay >= 0 && Number.isFinite(lrDecay))) throw new ConfigError('lrDecay', 'a number >= 0', lrDecay);
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.lrDecay = lrDecay;
    this.params = params;
    this.velocity = momentum > 0 ? params.map((p) => allocFloat(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length)) : [];
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.step_;
  }

  /** The learning rate the next step uses. */
  currentLearningRate(): number {
    return this.learningRate / (1 + this.lrDecay * this.step_);
  }

  /** Applies one update from the gradients now in each parameter's `grad`. */
  step(): void {
    const lr = this.currentLearningRate();
    const mu = this.momentum;
    for (let p = 0; p < this.params.length; p++) {
      const { value: w, grad: g } = this.params[p]!;
      if (mu > 0) {
        const v = this.velocity[p]!;
        for (let i = 0; i < w.length; i++) {
          const vi = mu * v[i]! + g[i]!;
          v[i] = vi;
          w[i] -= lr * vi;
        }
      } else {
        for (let i = 0; i < w.length; i++) w[i] -= lr * g[i]!;
      }
    }
    this.step_ += 1;
  }
}

/**
 * Activation functions of the from-scratch network, forward and backward, on row-major
 * `[rows, cols]` buffers. Softmax works along each row (one example's outputs).
 */
import { ConfigError } from '../errors.ts';
import type { FloatArray } from './float-array.ts';

/** Names of the activations, as accepted by `--activations`. */
export const ACTIVATION_NAMES = ['linear', 'sigmoid', 'improved-sigmoid', 'tanh', 'relu', 'softmax'] as const;

/**
 * An activation: `linear` (identity), `sigmoid` 1/(1+e^-x), `improved-sigmoid`
 * 1.7159·tanh(2x/3) (LeCun's scaled tanh), `tanh`, `relu` max(0, x), `softmax` (per row).
 */
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Amplitude of the improved sigmoid 1.7159·tanh(2x/3). */
export const IMPROVED_SIGMOID_AMPLITUDE = 1.7159;
/** Input scale of the improved sigmoid 1.7159·tanh(2x/3). */
export const IMPROVED_SIGMOID_SLOPE = 2 / 3;

/** Validates an activation name. @throws ConfigError listing the valid names */
export function checkActivation(param: string, name: unknown): ActivationName {
  if (typeof name !== 'string' || !(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(param, `one of ${ACTIVATION_NAMES.join(', ')}`, name);
  }
  return name as ActivationName;
}

/**
 * `y = f(x)` element-wise (softmax: per row, shifted by the row maximum for stability).
 * @param x input `[rows, cols]`; @param y output, same shape (may not alias `x` for softmax)
 */
export function activationForward(name: ActivationName, x: FloatArray, y: FloatArray, cols: number): void {
  const n = x.length;
  switch (name) {
    case 'linear':
      y.set(x);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i]!));
      return;
    case 'improved-sigmoid':
      for (let i = 0; i < n; i++) y[i] = IMPROVED_SIGMOID_AMPLITUDE * Math.tanh(IMPROVED_SIGMOID_SLOPE * x[i]!);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        y[i] = v > 0 ? v : 0;
      }
      return;
    case 'softmax':
      for (let o = 0; o < n; o += cols) {
        let max = -Infinity;
        for (let j = 0; j < cols; j++) if (x[o + j]! > max) max = x[o + j]!;
        let sum = 0;
        for (let j = 0; j < cols; j++) {
          const e = Math.exp(x[o + j]! - max);
          y[o + j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let j = 0; j < cols; j++) y[o + j] *= inv;
      }
      return;
    default:
      throw new ConfigError('activation', `one of ${ACTIVATION_NAMES.join(', ')}`, name);
  }
}

/**
 * `dx = dy · ∂f/∂x` (softmax: the per-row Jacobian-vector product `y ⊙ (dy − Σ dy⊙y)`).
 * @param x the forward input; @param y the forward output; @param dy gradient w.r.t. `y`;
 * @param dx gradient w.r.t. `x` (output), all `[rows, cols]`
 */
export function activationBackward(
  name: ActivationName, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray, cols: number,
): void {
  const n = x.length;
  switch (name) {
    case 'linear':
      dx.set(dy);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const s = y[i]!;
        dx[i] = dy[i]! * s * (1 - s);
      }
      return;
    case 'improved-sigmoid': {
      // d/dx A·tanh(Bx) = A·B·(1 − tanh²) = B·(A − y²/A)
      const a = IMPROVED_SIGMOID_AMPLITUDE;
      const b = IMPROVED_SIGMOID_SLOPE;
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dx[i] = dy[i]! * b * (a - (v * v) / a);
      }
      return;
    }
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dx[i] = dy[i]! * (1 - v * v);
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
      return;
    case 'softmax':
      for (let o = 0; o < n; o += cols) {
        let dot = 0;
        for (let j = 0; j < cols; j++) dot += dy[o + j]! * y[o + j]!;
        for (let j = 0; j < cols; j++) dx[o + j] = y[o + j]! * (dy[o + j]! - dot);
      }
      return;
    default:
      throw new ConfigError('activation', `one of ${ACTIVATION_NAMES.join(', ')}`, name);
  }
}

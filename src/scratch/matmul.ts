/**
 * The three dense-layer matrix products, written for speed in plain JavaScript: row-major
 * operands, loop orders whose innermost loop walks contiguous memory, no allocation, and a
 * skip of zero inputs (MNIST pixels are about 80 % zeros), inner loops unrolled by four (about
 * twice as fast in V8 as the plain loops). Shapes are passed explicitly.
 */
import type { FloatArray } from './float-array.ts';

/**
 * `y = x · w + b` (overwrites `y`).
 * @param x `[rows, inner]` row-major
 * @param w `[inner, cols]` row-major
 * @param b `[cols]` added to every row
 * @param y `[rows, cols]` output
 */
export function matmulBias(
  x: FloatArray, w: FloatArray, b: FloatArray, y: FloatArray,
  shape: { rows: number; inner: number; cols: number },
): void {
  const { rows, inner, cols } = shape;
  for (let i = 0; i < rows; i++) {
    const yo = i * cols;
    for (let j = 0; j < cols; j++) y[yo + j] = b[j]!;
    const xo = i * inner;
    for (let k = 0; k < inner; k++) {
      const a = x[xo + k]!;
      if (a === 0) continue;
      const wo = k * cols;
      let j = 0;
      for (; j + 3 < cols; j += 4) {
        y[yo + j] += a * w[wo + j]!;
        y[yo + j + 1] += a * w[wo + j + 1]!;
        y[yo + j + 2] += a * w[wo + j + 2]!;
        y[yo + j + 3] += a * w[wo + j + 3]!;
      }
      for (; j < cols; j++) y[yo + j] += a * w[wo + j]!;
    }
  }
}

/**
 * `dw = xᵀ · dy` and `db = Σ_rows dy` (both overwritten): the weight and bias gradients.
 * @param x `[rows, inner]`; @param dy `[rows, cols]`; @param dw `[inner, cols]`; @param db `[cols]`
 */
export function matmulTransAGrad(
  x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray,
  shape: { rows: number; inner: number; cols: number },
): void {
  const { rows, inner, cols } = shape;
  dw.fill(0);
  db.fill(0);
  for (let i = 0; i < rows; i++) {
    const go = i * cols;
    for (let j = 0; j < cols; j++) db[j] += dy[go + j]!;
    const xo = i * inner;
    for (let k = 0; k < inner; k++) {
      const a = x[xo + k]!;
      if (a === 0) continue;
      const wo = k * cols;
      let j = 0;
      for (; j + 3 < cols; j += 4) {
        dw[wo + j] += a * dy[go + j]!;
        dw[wo + j + 1] += a * dy[go + j + 1]!;
        dw[wo + j + 2] += a * dy[go + j + 2]!;
        dw[wo + j + 3] += a * dy[go + j + 3]!;
      }
      for (; j < cols; j++) dw[wo + j] += a * dy[go + j]!;
    }
  }
}

/**
 * `dx = dy · wᵀ` (overwrites `dx`): the input gradient.
 * @param dy `[rows, cols]`; @param w `[inner, cols]`; @param dx `[rows, inner]`
 */
export function matmulTransB(
  dy: FloatArray, w: FloatArray, dx: FloatArray,
  shape: { rows: number; inner: number; cols: number },
): void {
  const { rows, inner, cols } = shape;
  for (let i = 0; i < rows; i++) {
    const go = i * cols;
    const xo = i * inner;
    for (let k = 0; k < inner; k++) {
      const wo = k * cols;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j + 3 < cols; j += 4) {
        s0 += dy[go + j]! * w[wo + j]!;
        s1 += dy[go + j + 1]! * w[wo + j + 1]!;
        s2 += dy[go + j + 2]! * w[wo + j + 2]!;
        s3 += dy[go + j + 3]! * w[wo + j + 3]!;
      }
      for (; j < cols; j++) s0 += dy[go + j]! * w[wo + j]!;
      dx[xo + k] = s0 + s1 + (s2 + s3);
    }
  }
}

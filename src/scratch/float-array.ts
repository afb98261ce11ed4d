/**
 * Float storage of the from-scratch network: float64 (exact enough for gradient checks) or
 * float32 (half the memory traffic, for training). Every buffer of one network has one dtype.
 */
import { ConfigError } from '../errors.ts';

/** Element type of a from-scratch network's buffers. */
export type FloatDType = 'float32' | 'float64';

/** A buffer of a from-scratch network (its dtype decides which). */
export type FloatArray = Float32Array | Float64Array;

/** The default dtype: float32 trains fastest; use float64 for gradient checks. */
export const DEFAULT_FLOAT_DTYPE: FloatDType = 'float32';

/**
 * Allocates a zero-filled buffer of `length` elements of `dtype`.
 * @throws ConfigError for an unknown dtype
 */
export function allocFloat(dtype: FloatDType, length: number): FloatArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    default:
      throw new ConfigError('dtype', '"float32" or "float64"', dtype);
  }
}

/**
 * Returns `buffer` when it already holds exactly `length` elements, else a new zeroed buffer
 * of `dtype` (used to keep per-batch work buffers without allocating on every batch).
 */
export function ensureFloat(buffer: FloatArray | undefined, dtype: FloatDType, length: number): FloatArray {
  return buffer !== undefined && buffer.length === length ? buffer : allocFloat(dtype, length);
}

/** Validates a dtype option at an API edge. @throws ConfigError naming `param` */
export function checkDType(param: string, dtype: unknown): FloatDType {
  if (dtype !== 'float32' && dtype !== 'float64') throw new ConfigError(param, '"float32" or "float64"', dtype);
  return dtype;
}

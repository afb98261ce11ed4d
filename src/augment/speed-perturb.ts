/**
 * Speed perturbation (Ko et al., "Audio augmentation for speech recognition", Interspeech 2015):
 * the waveform is resampled by a random factor, which changes tempo and pitch together, as
 * playing the clip faster or slower. Here the resampling is done around the clip's centre (where
 * Speech Commands words sit) and fused with the time shift in one linear-interpolation pass, so
 * a factor of exactly 1 reproduces {@link timeShiftInto} bit for bit. Seeded: the factor comes
 * from the {@link Rng} passed in.
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';

/** Largest accepted `speedPerturb` (relative speed change). */
export const MAX_SPEED_PERTURB = 0.5;

/**
 * Checks a relative speed change: a number in [0, {@link MAX_SPEED_PERTURB}].
 * @throws ConfigError naming `speedPerturb`, the range and the value
 */
export function checkSpeedPerturb(speedPerturb: unknown): number {
  if (typeof speedPerturb !== 'number' || !Number.isFinite(speedPerturb) || speedPerturb < 0 || speedPerturb > MAX_SPEED_PERTURB) {
    throw new ConfigError('speedPerturb', `a number in [0, ${MAX_SPEED_PERTURB}]`, speedPerturb);
  }
  return speedPerturb;
}

/**
 * A speed factor uniform in `[1 - maxChange, 1 + maxChange]` (1 when `maxChange` is 0, with no
 * draw). Factors > 1 play faster (shorter, higher), < 1 slower (longer, lower).
 */
export function drawSpeedFactor(maxChange: number, rng: Rng): number {
  return maxChange > 0 ? rng.uniform(1 - maxChange, 1 + maxChange) : 1;
}

/**
 * Writes `src` played at `speedFactor` times its speed around its centre, then delayed by
 * `shiftSamples` (whole samples, as {@link timeShiftInto}), into `out` (same length as `src`;
 * `out` must not be `src`):
 * `out[i] = src(c + (i - shift - c) * speedFactor)` with `c = (n - 1) / 2`, linear interpolation
 * between samples and zeros outside `src`. No anti-aliasing filter: for factors up to ~1.2 at
 * 16 kHz only content above ~6.7 kHz folds back, which is harmless for augmentation.
 * @param speedFactor > 0; exactly 1 is a pure time shift
 * @throws ConfigError for a speed factor that is not a positive finite number
 */
export function speedShiftInto(src: Float32Array, speedFactor: number, shiftSamples: number, out: Float32Array): Float32Array {
  if (!Number.isFinite(speedFactor) || speedFactor <= 0) throw new ConfigError('speedFactor', 'a finite number > 0', speedFactor);
  const n = src.length;
  const s = Math.trunc(shiftSamples);
  const c = (n - 1) / 2;
  for (let i = 0; i < n; i++) {
    const pos = c + (i - s - c) * speedFactor;
    const i0 = Math.floor(pos);
    const frac = pos - i0;
    const a = i0 >= 0 && i0 < n ? src[i0]! : 0;
    const b = frac > 0 && i0 + 1 >= 0 && i0 + 1 < n ? src[i0 + 1]! : 0;
    out[i] = frac > 0 ? a + (b - a) * frac : a;
  }
  return out;
}

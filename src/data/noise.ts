/**
 * Seeded background noise generators: white, pink (-3 dB/octave), brown (-6 dB/octave) and
 * mains hum (a fundamental with decaying harmonics and a little white noise). Output peaks
 * at `peak` (default 0.5), samples in [-1, 1].
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from './rng.ts';

/** Kinds of generated noise. */
export type NoiseKind = 'white' | 'pink' | 'brown' | 'hum';

/** Every {@link NoiseKind}, in the order `data synth` writes them. */
export const NOISE_KINDS: readonly NoiseKind[] = ['white', 'pink', 'brown', 'hum'];

/** Options of {@link generateNoise}. */
export interface NoiseOptions {
  /** Kind of noise. */
  kind: NoiseKind;
  /** Length, samples. */
  numSamples: number;
  /** Sample rate, Hz (hum frequencies depend on it). @default 16000 */
  sampleRateHz?: number;
  /** Peak absolute value after normalisation, in (0, 1]. @default 0.5 */
  peak?: number;
  /** Mains frequency of `hum`, Hz. @default 50 */
  humHz?: number;
}

/**
 * Generates noise with the generator `rng`.
 * @throws ConfigError for an unknown kind or bad sizes
 */
export function generateNoise(options: NoiseOptions, rng: Rng): Float32Array {
  const { kind, numSamples, sampleRateHz = 16000, peak = 0.5, humHz = 50 } = options;
  if (!Number.isInteger(numSamples) || numSamples < 1) throw new ConfigError('numSamples', 'an integer >= 1', numSamples);
  if (!(peak > 0 && peak <= 1)) throw new ConfigError('peak', 'a number in (0, 1]', peak);
  const out = new Float32Array(numSamples);
  switch (kind) {
    case 'white':
      for (let i = 0; i < numSamples; i++) out[i] = rng.normal();
      break;
    case 'pink': {
      // Paul Kellet's refined pink filter on white noise.
      let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
      for (let i = 0; i < numSamples; i++) {
        const w = rng.normal();
        b0 = 0.99886 * b0 + w * 0.0555179;
        b1 = 0.99332 * b1 + w * 0.0750759;
        b2 = 0.969 * b2 + w * 0.153852;
        b3 = 0.8665 * b3 + w * 0.3104856;
        b4 = 0.55 * b4 + w * 0.5329522;
        b5 = -0.7616 * b5 - w * 0.016898;
        out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
        b6 = w * 0.115926;
      }
      break;
    }
    case 'brown': {
      // Leaky integration of white noise (the leak keeps it from drifting away).
      let y = 0;
      for (let i = 0; i < numSamples; i++) {
        y = 0.998 * y + 0.05 * rng.normal();
        out[i] = y;
      }
      break;
    }
    case 'hum': {
      if (!(humHz > 0 && humHz < sampleRateHz / 2)) throw new ConfigError('humHz', `a number in (0, ${sampleRateHz / 2})`, humHz);
      const phases = Array.from({ length: 8 }, () => rng.uniform(0, 2 * Math.PI));
      for (let i = 0; i < numSamples; i++) {
        const t = i / sampleRateHz;
        let v = 0;
        for (let h = 1; h <= 8; h++) {
          if (h * humHz >= sampleRateHz / 2) break;
          v += Math.sin(2 * Math.PI * h * humHz * t + phases[h - 1]!) / h ** 1.5;
        }
        out[i] = v + 0.02 * rng.normal();
      }
      break;
    }
    default:
      throw new ConfigError('kind', `one of ${NOISE_KINDS.join(', ')}`, kind);
  }
  let mean = 0;
  for (let i = 0; i < numSamples; i++) mean += out[i]!;
  mean /= numSamples;
  let max = 0;
  for (let i = 0; i < numSamples; i++) {
    out[i]! -= mean;
    max = Math.max(max, Math.abs(out[i]!));
  }
  const g = max > 0 ? peak / max : 0;
  for (let i = 0; i < numSamples; i++) out[i]! *= g;
  return out;
}

/**
 * Seeded random numbers (seedrandom's Alea generator). Randomness is always an argument:
 * keyspot never calls Math.random. The state can be saved and restored (checkpoints).
 */
import alea from 'seedrandom/lib/alea.js';

/** Serialisable state of an {@link Rng}. */
export type RngState = { c: number; s0: number; s1: number; s2: number };

/** A seeded random number generator. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** An independent generator derived from this one's seed and `label` (stable across runs). */
  fork(label: string): Rng;
  /** Current state, to resume the exact sequence with {@link createRng}. */
  state(): RngState;
}

interface AleaPrng {
  (): number;
  state(): RngState;
}

/**
 * Creates a seeded generator.
 * @param seed any number or string; equal seeds give equal sequences
 * @param state a state saved by {@link Rng.state}, to continue a sequence exactly
 */
export function createRng(seed: number | string, state?: RngState): Rng {
  const seedText = String(seed);
  const prng = (alea as unknown as (s: string, o: object) => AleaPrng)(seedText, state ? { state } : { state: true });
  const rng: Rng = {
    next: () => prng(),
    int: (maxExclusive) => Math.floor(prng() * maxExclusive),
    uniform: (low, high) => low + (high - low) * prng(),
    normal: () => {
      // Box-Muller without a cached spare, so state() alone describes the sequence.
      let u = 0;
      while (u === 0) u = prng();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng());
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(prng() * (i + 1));
        const t = items[i]!;
        items[i] = items[j]!;
        items[j] = t;
      }
      return items;
    },
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[Math.floor(prng() * items.length)]!;
    },
    fork: (label) => createRng(`${seedText}/${label}`),
    state: () => prng.state(),
  };
  return rng;
}

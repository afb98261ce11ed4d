/**
 * Weight initialisers of the from-scratch network: all draw from a seeded RNG passed in.
 */
import { ConfigError } from '../errors.ts';
import type { Rng } from '../data/rng.ts';
import type { FloatArray } from './float-array.ts';

/** Names of the initialisers, as accepted by `--init`. */
export const INITIALISER_NAMES = ['normal-fan-in', 'xavier', 'xavier-normal', 'he'] as const;

/**
 * A weight initialiser for a `[fanIn, fanOut]` kernel:
 * - `normal-fan-in`: N(0, 1/fanIn) (the classic "1/√n" normal initialisation);
 * - `xavier`: Glorot uniform U(−a, a), a = √(6/(fanIn+fanOut)) (the Keras default);
 * - `xavier-normal`: Glorot normal N(0, 2/(fanIn+fanOut));
 * - `he`: He normal N(0, 2/fanIn), for ReLU layers.
 */
export type InitialiserName = (typeof INITIALISER_NAMES)[number];

/** The default initialiser (as Keras' Dense). */
export const DEFAULT_INITIALISER: InitialiserName = 'xavier';

/** Validates an initialiser name. @throws ConfigError listing the valid names */
export function checkInitialiser(param: string, name: unknown): InitialiserName {
  if (typeof name !== 'string' || !(INITIALISER_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(param, `one of ${INITIALISER_NAMES.join(', ')}`, name);
  }
  return name as InitialiserName;
}

/**
 * Fills a `[fanIn, fanOut]` kernel `w` with initial weights drawn from `rng`.
 * @throws ConfigError for an unknown name or a size mismatch
 */
export function initialiseWeights(
  name: InitialiserName, w: FloatArray, fans: { fanIn: number; fanOut: number }, rng: Rng,
): void {
  const { fanIn, fanOut } = fans;
  if (w.length !== fanIn * fanOut) throw new ConfigError('w.length', `fanIn*fanOut = ${fanIn * fanOut}`, w.length);
  switch (name) {
    case 'normal-fan-in':
      return fillNormal(w, Math.sqrt(1 / fanIn), rng);
    case 'xavier': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
      return;
    }
    case 'xavier-normal':
      return fillNormal(w, Math.sqrt(2 / (fanIn + fanOut)), rng);
    case 'he':
      return fillNormal(w, Math.sqrt(2 / fanIn), rng);
    default:
      throw new ConfigError('init', `one of ${INITIALISER_NAMES.join(', ')}`, name);
  }
}

function fillNormal(w: FloatArray, std: number, rng: Rng): void {
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
}

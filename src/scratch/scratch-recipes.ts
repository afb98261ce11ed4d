/**
 * Named optimiser recipes of `keyspot train scratch`: `momentum` (the default: SGD with momentum
 * 0.9, 97.82% on MNIST 784-100-50-10 in 20 epochs, docs/BENCHMARKS.md "From-scratch network") and
 * `course` (the course's plain SGD, 95.57% there). Explicit `--lr` / `--momentum` override them.
 * The library's {@link DEFAULT_SCRATCH_TRAIN_OPTIONS} stay the course's.
 */
import { ConfigError } from '../errors.ts';
import type { ScratchTrainOptions } from './train-scratch-network.ts';

/** What a scratch recipe sets. */
export type ScratchRecipe = Readonly<Required<Pick<ScratchTrainOptions, 'learningRate' | 'momentum'>>>;

/** Recipe names. */
export const SCRATCH_RECIPE_NAMES = ['momentum', 'course'] as const;
/** A recipe name. */
export type ScratchRecipeName = (typeof SCRATCH_RECIPE_NAMES)[number];

/** The recipes: learning rate 0.05 (batch 100, 20 epochs) with and without momentum 0.9. */
export const SCRATCH_RECIPES: Readonly<Record<ScratchRecipeName, ScratchRecipe>> = {
  momentum: { learningRate: 0.05, momentum: 0.9 },
  course: { learningRate: 0.05, momentum: 0 },
};

/** The recipe of `train scratch` without `--recipe`. */
export const DEFAULT_SCRATCH_RECIPE: ScratchRecipeName = 'momentum';

/**
 * The recipe called `name`.
 * @throws ConfigError listing the valid names
 */
export function getScratchRecipe(name: string): ScratchRecipe {
  if (!(SCRATCH_RECIPE_NAMES as readonly string[]).includes(name)) throw new ConfigError('--recipe', `one of ${SCRATCH_RECIPE_NAMES.join(', ')}`, name);
  return SCRATCH_RECIPES[name as ScratchRecipeName];
}

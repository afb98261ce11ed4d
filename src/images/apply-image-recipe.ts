/**
 * Layers a named recipe under a run's own settings: recipe values first, then the config file,
 * then the flags the user actually typed. Which recipe: the `recipe` key when set, otherwise the
 * dataset's default recipe when no model is given, otherwise none (the library defaults, as
 * before recipes existed).
 */
import type { ImageTrainConfig } from '../train/image-config.ts';
import { defaultImageRecipeFor, getImageRecipe, type ImageRecipe } from './image-recipes.ts';

/** What {@link applyImageRecipe} returns. */
export interface AppliedImageRecipe {
  /** The run's settings: the recipe's values overridden by every key of the input; `recipe` names the recipe used. */
  config: ImageTrainConfig;
  /** The recipe used, or undefined when none applies. */
  recipe?: ImageRecipe;
}

/**
 * Resolves the recipe of `config` (file keys and explicit flags merged, flags last) and fills the
 * keys `config` leaves unset from it.
 * @throws ConfigError for an unknown recipe name or dataset kind
 */
export function applyImageRecipe(config: ImageTrainConfig): AppliedImageRecipe {
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as ImageTrainConfig;
  let recipe: ImageRecipe | undefined;
  if (defined.recipe !== undefined) recipe = getImageRecipe(defined.recipe);
  else if (defined.model === undefined && defined.dataset !== undefined) recipe = defaultImageRecipeFor(defined.dataset);
  if (!recipe) return { config: defined };
  return { config: { ...recipe.settings, ...defined, recipe: recipe.name }, recipe };
}

import { describe, expect, it } from 'vitest';
import { applyImageRecipe } from '../../src/images/apply-image-recipe.ts';
import {
  defaultImageRecipeFor, FASHION_MNIST_RECIPE, FOLDER_RECIPE, getImageRecipe, IMAGE_RECIPES, imageRecipeNames, MNIST_RECIPE,
  NOTMNIST_AUG_RECIPE, NOTMNIST_BASE_RECIPE, NOTMNIST_RECIPE,
} from '../../src/images/image-recipes.ts';
import { checkConfigKeys, imageConfigToOptions } from '../../src/train/image-config.ts';

const where = { dataset: 'mnist', data: '/data/mnist', out: '/tmp/m' };

describe('named image recipes', () => {
  it('each dataset kind has its default recipe, with the measured settings', () => {
    expect(defaultImageRecipeFor('mnist')).toBe(MNIST_RECIPE);
    expect(defaultImageRecipeFor('fashion-mnist')).toBe(FASHION_MNIST_RECIPE);
    expect(defaultImageRecipeFor('notmnist')).toBe(NOTMNIST_RECIPE);
    expect(defaultImageRecipeFor('folder')).toBe(FOLDER_RECIPE);
    expect(MNIST_RECIPE.settings).toEqual({
      model: 'cnn_bn', epochs: 15, batchSize: 128, optimizer: 'adam', learningRate: 0.001, schedule: 'exp:0.85@1e',
      augment: 'shift=0.1,rotation=10,zoom=0.1', seed: 1, validationFraction: 0.1, testFraction: 0.1,
    });
    expect(FASHION_MNIST_RECIPE.settings).toEqual({
      model: 'cnn_bn', epochs: 20, batchSize: 128, optimizer: 'adam', learningRate: 0.001, schedule: 'exp:0.88@1e',
      augment: 'shift=0.05,hflip', seed: 1, validationFraction: 0.1, testFraction: 0.1,
    });
    expect(NOTMNIST_BASE_RECIPE.settings).toEqual({
      model: 'cnn_bn', epochs: 40, batchSize: 128, optimizer: 'adam', learningRate: 0.001, schedule: 'exp:0.93@1e',
      augment: 'shift=0.05,rotation=5', dropout: 0.2, seed: 1, validationFraction: 0.1, testFraction: 0.1,
    });
    expect(NOTMNIST_AUG_RECIPE.settings).toEqual({ ...NOTMNIST_BASE_RECIPE.settings, augment: 'shift=0.1,rotation=10,zoom=0.1' });
    expect(FOLDER_RECIPE.settings).toEqual({
      model: 'cnn_bn', epochs: 20, batchSize: 64, optimizer: 'adam', learningRate: 0.001, schedule: 'exp:0.9@1e',
      augment: 'shift=0.05,rotation=5', earlyStopping: 5, seed: 1,
    });
  });

  it('every recipe is reachable by its name, and its settings are valid config keys', () => {
    expect(imageRecipeNames()).toEqual(['mnist', 'fashion-mnist', 'notmnist', 'notmnist-base', 'notmnist-aug', 'folder']);
    for (const name of imageRecipeNames()) {
      const r = getImageRecipe(name);
      expect(r.name).toBe(name);
      expect(IMAGE_RECIPES[name]).toBe(r);
      expect(() => checkConfigKeys({ ...r.settings })).not.toThrow();
      // Every recipe converts to pipeline options (schedules and augmentations parse).
      expect(imageConfigToOptions({ ...where, recipe: name }).model).toBe(r.settings.model);
    }
  });

  it('an unknown recipe name or dataset kind fails with the valid names', () => {
    expect(() => getImageRecipe('cifar')).toThrow(/recipe must be one of mnist, fashion-mnist, notmnist, notmnist-base, notmnist-aug, folder, got "cifar"/);
    expect(() => getImageRecipe('toString')).toThrow(/recipe must be one of mnist, .*got "toString"/);
    expect(() => applyImageRecipe({ ...where, recipe: 'big' })).toThrow(/recipe must be one of mnist, fashion-mnist, .*got "big"/);
    expect(() => defaultImageRecipeFor('cifar')).toThrow(/dataset must be one of mnist, fashion-mnist, notmnist, folder, got "cifar"/);
  });
});

describe('applyImageRecipe', () => {
  it('no model: the dataset recipe fills every unset key', () => {
    const { config, recipe } = applyImageRecipe({ ...where, model: undefined });
    expect(recipe).toBe(MNIST_RECIPE);
    expect(config).toEqual({ ...MNIST_RECIPE.settings, ...where, recipe: 'mnist' });
  });

  it('recipe picks another recipe; every key the run sets overrides the recipe value', () => {
    const { config, recipe } = applyImageRecipe({ ...where, recipe: 'notmnist-base', epochs: 3, dropout: 0, model: 'softmax' });
    expect(recipe).toBe(NOTMNIST_BASE_RECIPE);
    expect(config).toEqual({ ...NOTMNIST_BASE_RECIPE.settings, ...where, recipe: 'notmnist-base', epochs: 3, dropout: 0, model: 'softmax' });
  });

  it('a model without a recipe: no recipe, the library defaults (as before recipes)', () => {
    const { config, recipe } = applyImageRecipe({ ...where, model: 'softmax', epochs: undefined });
    expect(recipe).toBeUndefined();
    expect(config).toEqual({ ...where, model: 'softmax' });
    expect(imageConfigToOptions(config).train).toEqual({ optimizer: {} });
  });

  it('imageConfigToOptions turns the recipe into pipeline options and records its name', () => {
    const o = imageConfigToOptions({ dataset: 'notmnist', data: '/d', out: '/o', recipe: 'notmnist-aug', batchSize: 32 });
    expect(o.recipe).toBe('notmnist-aug');
    expect(o.model).toBe('cnn_bn');
    expect(o.modelOptions).toEqual({ dropout: 0.2, seed: 1 });
    expect(o.data).toEqual({ seed: 1, validationFraction: 0.1, testFraction: 0.1, augment: { widthShift: 0.1, heightShift: 0.1, rotationDeg: 10, zoomX: 0.1, zoomY: 0.1 } });
    expect(o.train).toEqual({
      epochs: 40, batchSize: 32, seed: 1, optimizer: { name: 'adam', learningRate: 0.001 },
      schedule: { kind: 'exponential', decayRate: 0.93, everyEpochs: 1, staircase: false },
    });
    // Applying twice changes nothing.
    const once = applyImageRecipe({ ...where, model: undefined }).config;
    expect(applyImageRecipe(once).config).toEqual(once);
  });
});

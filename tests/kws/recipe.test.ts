import { describe, expect, it } from 'vitest';
import { DEFAULT_KWS_RECIPE, getRecipe, recipeSchedule } from '../../src/kws/recipe.ts';
import { resolveRecipe } from '../../src/kws/train-kws.ts';
import { learningRateAt } from '../../src/train/schedule.ts';

describe('recipeSchedule', () => {
  it('scales a piecewise schedule to the run keeping its proportions', () => {
    const s = recipeSchedule({ kind: 'piecewise', values: [0.001, 0.0001], steps: [15000, 3000] }, 0.001, 600);
    expect(s).toEqual({ kind: 'piecewise', values: [0.001, 0.0001], steps: [500, 100] });
  });

  it('turns cosine into a decreasing piecewise schedule covering every step', () => {
    const s = recipeSchedule({ kind: 'cosine', warmupFraction: 0, finalFraction: 0 }, 0.01, 1000);
    if (s.kind !== 'piecewise') throw new Error('expected piecewise');
    expect(s.steps.reduce((a, b) => a + b, 0)).toBe(1000);
    for (let i = 1; i < s.values.length; i++) expect(s.values[i]!).toBeLessThanOrEqual(s.values[i - 1]!);
    expect(learningRateAt(s, 0.01, 0)).toBeCloseTo(0.01 * 0.5 * (1 + Math.cos(Math.PI * 0.01)), 6);
    expect(learningRateAt(s, 0.01, 500)).toBeCloseTo(0.01 * 0.5 * (1 + Math.cos(Math.PI * 0.51)), 6);
  });

  it('warms up linearly', () => {
    const s = recipeSchedule({ kind: 'cosine', warmupFraction: 0.1, finalFraction: 0 }, 1, 1000);
    expect(learningRateAt(s, 1, 0)).toBeCloseTo(0.1, 6);
    expect(learningRateAt(s, 1, 80)).toBeCloseTo(0.9, 6);
  });

  it('rejects bad values with the parameter name', () => {
    expect(() => recipeSchedule({ kind: 'cosine', warmupFraction: 1, finalFraction: 0 }, 1, 10)).toThrow(/warmupFraction must be a number in \[0, 1\), got 1/);
    expect(() => recipeSchedule({ kind: 'constant' }, 1, 0)).toThrow(/totalSteps must be an integer >= 1, got 0/);
  });
});

describe('recipes', () => {
  it('merges overrides one level deep', () => {
    const r = resolveRecipe({ augment: { backgroundFrequency: 0 }, epochs: 3 });
    expect(r.augment.backgroundFrequency).toBe(0);
    expect(r.augment.timeShiftMs).toBe(DEFAULT_KWS_RECIPE.augment.timeShiftMs);
    expect(r.epochs).toBe(3);
    expect(r.model).toBe(DEFAULT_KWS_RECIPE.model);
  });

  it('lists valid names for an unknown recipe', () => {
    expect(() => getRecipe('nope')).toThrow(/recipe must be one of default, tf_conv, got "nope"/);
  });
});

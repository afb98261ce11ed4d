/**
 * The default keyword-spotting recipe of `keyspot train kws`: model, features, augmentation,
 * optimizer, schedule and epochs, chosen by measurement (docs/BENCHMARKS.md "## Keyword model",
 * bench/kws.ts and bench/kws_keras.py), plus TensorFlow's own `conv` recipe for comparison.
 */
import type { AudioAugmentOptions } from '../augment/audio.ts';
import type { SpecAugmentOptions } from '../augment/spec-augment.ts';
import type { ClassBalance } from '../batch/sampler.ts';
import { DEFAULT_WANTED_WORDS } from '../data/labels.ts';
import { ConfigError } from '../errors.ts';
import type { FeatureOptions } from '../features/settings.ts';
import type { ModelOptions } from '../models/options.ts';
import type { OptimizerConfig } from '../train/optimizers.ts';
import type { LrSchedule } from '../train/schedule.ts';

/**
 * Learning-rate schedule of a recipe: a trainer schedule, or `cosine` (half-cosine decay from the
 * base rate to `finalFraction` of it over the whole run, after a linear warm-up), made into a
 * piecewise schedule once the run's step count is known ({@link recipeSchedule}).
 */
export type RecipeSchedule = LrSchedule | { kind: 'cosine'; /** Warm-up share of the run, [0, 1). */ warmupFraction: number; /** Final rate / base rate, [0, 1). */ finalFraction: number };

/** Everything that defines how a keyword model is trained. */
export interface KwsRecipe {
  /** Registry model name (`res8`, `ds_cnn`, `conv` ...). */
  model: string;
  /** Model options (dropout, regularisation, initialiser ...). */
  modelOptions: ModelOptions;
  /** Front-end options (saved with the model). */
  features: Partial<FeatureOptions>;
  /** Waveform augmentation (time shift, background noise, gain). */
  augment: AudioAugmentOptions;
  /** SpecAugment masks on the features. */
  specAugment: SpecAugmentOptions;
  /** Class balancing of training epochs. */
  balance: ClassBalance;
  /** `_silence_` examples, % of the wanted-word examples. */
  silencePercentage: number;
  /** `_unknown_` examples, % of the wanted-word examples. */
  unknownPercentage: number;
  /** Examples per step. */
  batchSize: number;
  /** Epochs (one epoch = every training clip of the wanted words once, plus the silence/unknown share). */
  epochs: number;
  /** Optimizer and base learning rate. */
  optimizer: OptimizerConfig;
  /** Learning-rate schedule. */
  schedule: RecipeSchedule;
  /** Label smoothing of the cross-entropy targets, in [0, 1); 0 = off. */
  labelSmoothing: number;
  /**
   * Share of the run, in [0, 1), before which no epoch is kept as the best one: the model saved is
   * the best validation epoch among the later ones (with a decaying learning rate, early epochs
   * that score well on a small validation split by chance are not picked). 0 = any epoch.
   */
  selectBestAfter: number;
}

/**
 * keyspot's default recipe (see docs/BENCHMARKS.md "## Keyword model" for the measurements behind
 * each choice): res8 on 40 log-mel bins; speed perturbation +-15 %, gain +-3 dB, 100 ms time
 * shift, background noise (p 0.8, volume <= 0.1), `_silence_` examples at an RMS level
 * log-uniform in [0.0003, 0.3] whatever the noise files' own level, SpecAugment 2x10 frames + 2x6 bins; oversampled
 * keyword classes, 10 % silence and unknown; label smoothing 0.1; Adam 1e-3 with a 3 % warm-up and
 * a cosine decay; the best validation epoch of the last quarter kept; 230 epochs, which take about 15 minutes on 2 idle cores (~2,200 examples per
 * epoch on speech_commands_dev).
 */
export const DEFAULT_KWS_RECIPE: Readonly<KwsRecipe> = Object.freeze<KwsRecipe>({
  model: 'res8',
  modelOptions: {},
  features: { nMels: 40 },
  augment: { timeShiftMs: 100, backgroundFrequency: 0.8, backgroundVolume: 0.1, silenceVolume: 1, silenceMinRms: 0.0003, silenceMaxRms: 0.3, gainDb: 3, speedPerturb: 0.15 },
  specAugment: { timeMasks: 2, maxTimeMaskFrames: 10, freqMasks: 2, maxFreqMaskBins: 6, fill: 'mean' },
  balance: 'oversample',
  silencePercentage: 10,
  unknownPercentage: 10,
  batchSize: 100,
  epochs: 230,
  optimizer: { name: 'adam', learningRate: 0.001 },
  schedule: { kind: 'cosine', warmupFraction: 0.03, finalFraction: 0.01 },
  labelSmoothing: 0.1,
  selectBestAfter: 0.75,
});

/**
 * TensorFlow's `examples/speech_commands` default (`train.py`): `conv`, plain SGD at 0.001 for
 * 15000 steps then 0.0001 for 3000 (scaled to the run's length by {@link recipeSchedule}),
 * batch 100, dropout 0.5, 100 ms shift, noise 0.8 x 0.1, no SpecAugment, no balancing.
 */
export const TF_CONV_RECIPE: Readonly<KwsRecipe> = Object.freeze<KwsRecipe>({
  model: 'conv',
  modelOptions: { dropout: 0.5 },
  features: { nMels: 40 },
  augment: { timeShiftMs: 100, backgroundFrequency: 0.8, backgroundVolume: 0.1, silenceVolume: 1, gainDb: 0 },
  specAugment: { timeMasks: 0, freqMasks: 0 },
  balance: 'none',
  silencePercentage: 10,
  unknownPercentage: 10,
  batchSize: 100,
  epochs: 40,
  optimizer: { name: 'sgd', learningRate: 0.001 },
  schedule: { kind: 'piecewise', values: [0.001, 0.0001], steps: [15000, 3000] },
  labelSmoothing: 0,
  selectBestAfter: 0,
});

/** Named recipes (`--recipe`). */
export const KWS_RECIPES: Readonly<Record<string, Readonly<KwsRecipe>>> = Object.freeze({
  default: DEFAULT_KWS_RECIPE,
  tf_conv: TF_CONV_RECIPE,
});

/** Default wanted words of `train kws`. */
export const DEFAULT_KWS_WORDS = DEFAULT_WANTED_WORDS;

/**
 * The recipe called `name`.
 * @throws ConfigError listing the valid names
 */
export function getRecipe(name: string): Readonly<KwsRecipe> {
  const r = KWS_RECIPES[name];
  if (!r) throw new ConfigError('recipe', `one of ${Object.keys(KWS_RECIPES).join(', ')}`, name);
  return r;
}

/** Segments of the piecewise approximation of a cosine schedule. */
export const COSINE_SEGMENTS = 50;

/**
 * The trainer schedule of a recipe for a run of `totalSteps` steps. `cosine` becomes a
 * piecewise-constant half cosine of {@link COSINE_SEGMENTS} segments (warm-up: linear steps);
 * a `piecewise` schedule is rescaled to `totalSteps`, keeping its phase proportions (TensorFlow's
 * 15000/3000 steps become 5/6 and 1/6 of the run); other schedules are returned as they are.
 * @param baseRate the optimizer's base learning rate
 * @throws ConfigError for a bad cosine schedule or step count
 */
export function recipeSchedule(schedule: RecipeSchedule, baseRate: number, totalSteps: number): LrSchedule {
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new ConfigError('totalSteps', 'an integer >= 1', totalSteps);
  if (schedule.kind === 'piecewise') {
    const total = schedule.steps.reduce((a, b) => a + b, 0);
    const steps = schedule.steps.map((s) => Math.max(1, Math.round((s / total) * totalSteps)));
    return { kind: 'piecewise', values: [...schedule.values], steps };
  }
  if (schedule.kind !== 'cosine') return schedule;
  const { warmupFraction, finalFraction } = schedule;
  if (!(warmupFraction >= 0 && warmupFraction < 1)) throw new ConfigError('warmupFraction', 'a number in [0, 1)', warmupFraction);
  if (!(finalFraction >= 0 && finalFraction < 1)) throw new ConfigError('finalFraction', 'a number in [0, 1)', finalFraction);
  const segments = Math.min(COSINE_SEGMENTS, totalSteps);
  const values: number[] = [];
  const steps: number[] = [];
  let done = 0;
  for (let i = 0; i < segments; i++) {
    const end = Math.round(((i + 1) / segments) * totalSteps);
    const mid = (done + end) / 2 / totalSteps;
    let f: number;
    if (mid < warmupFraction) f = mid / warmupFraction;
    else {
      const p = warmupFraction >= 1 ? 1 : (mid - warmupFraction) / (1 - warmupFraction);
      f = finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * p));
    }
    if (end > done) {
      values.push(Math.max(baseRate * f, baseRate * 1e-4));
      steps.push(end - done);
    }
    done = end;
  }
  return { kind: 'piecewise', values, steps };
}

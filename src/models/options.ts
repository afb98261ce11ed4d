/**
 * Typed options shared by every model builder: regularisation, dropout, initialiser,
 * activation, batch norm and the seed of the initial weights. Validated once, here.
 */
import { ConfigError } from '../errors.ts';

/** Weight initialisers (Keras names): He (fan-in, for ReLU), Glorot (fan-avg), LeCun (fan-in, for SELU/tanh). */
export const INITIALIZERS = ['he_normal', 'he_uniform', 'glorot_normal', 'glorot_uniform', 'lecun_normal', 'lecun_uniform'] as const;
/** A weight initialiser name. */
export type InitializerName = (typeof INITIALIZERS)[number];

/** Hidden-layer activations. `leaky_relu` uses {@link ModelOptions.leakyReluAlpha}; `prelu` learns its slope per channel. */
export const ACTIVATIONS = ['relu', 'leaky_relu', 'prelu', 'elu', 'selu', 'tanh', 'sigmoid'] as const;
/** A hidden-layer activation name. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Options every model builder accepts. Unset fields take the architecture's defaults. */
export interface ModelOptions {
  /** L1 penalty factor on kernels (conv and dense). @default 0 */
  l1?: number;
  /** L2 penalty factor on kernels (conv and dense), Keras convention (`l2 * sum(w^2)`). @default 0 */
  l2?: number;
  /** Dropout rate in [0, 1). @default architecture's own (e.g. 0.5 for TensorFlow's `conv`) */
  dropout?: number;
  /** Kernel initialiser. @default 'glorot_uniform' (Keras' default) unless the architecture says otherwise */
  initializer?: InitializerName;
  /** Hidden-layer activation. @default 'relu' */
  activation?: ActivationName;
  /** Negative slope of `leaky_relu`. @default 0.3 (Keras) */
  leakyReluAlpha?: number;
  /** Insert batch normalisation after convolutions/hidden dense layers (architectures that have it always keep it). @default architecture's own */
  batchNorm?: boolean;
  /**
   * Normalisation of the model input: `batch_norm` puts a batch-normalisation layer (one
   * mean/variance over every input value, learned affine) before the architecture, which
   * standardises unnormalised features such as log-mel energies; `none` feeds them as they are.
   * @default 'none'
   */
  inputNorm?: InputNorm;
  /** Seed of the initial weights; equal seeds give equal initial weights. @default 0 */
  seed?: number;
}

/** Input normalisations of {@link ModelOptions.inputNorm}. */
export const INPUT_NORMS = ['none', 'batch_norm'] as const;
/** An input normalisation name. */
export type InputNorm = (typeof INPUT_NORMS)[number];

/** Fully resolved model options (every field set). */
export type ResolvedModelOptions = Required<ModelOptions>;

/** Library-wide defaults; each architecture may override some (see its `defaults`). */
export const DEFAULT_MODEL_OPTIONS: ResolvedModelOptions = {
  l1: 0,
  l2: 0,
  dropout: 0,
  initializer: 'glorot_uniform',
  activation: 'relu',
  leakyReluAlpha: 0.3,
  batchNorm: false,
  inputNorm: 'none',
  seed: 0,
};

function checkNumber(name: string, value: number, min: number, max: number, maxInclusive: boolean): void {
  const ok = Number.isFinite(value) && value >= min && (maxInclusive ? value <= max : value < max);
  if (!ok) throw new ConfigError(name, `a number in [${min}, ${max}${maxInclusive ? ']' : ')'}`, value);
}

/**
 * Fills unset options from the architecture defaults then {@link DEFAULT_MODEL_OPTIONS},
 * and validates every field.
 * @throws ConfigError naming the bad option
 */
export function resolveModelOptions(options: ModelOptions = {}, archDefaults: ModelOptions = {}): ResolvedModelOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ModelOptions;
  const known = new Set(Object.keys(DEFAULT_MODEL_OPTIONS));
  for (const key of Object.keys(defined)) {
    if (!known.has(key)) throw new ConfigError('model option', `one of ${[...known].join(', ')}`, key);
  }
  const r: ResolvedModelOptions = { ...DEFAULT_MODEL_OPTIONS, ...archDefaults, ...defined };
  checkNumber('l1', r.l1, 0, Infinity, false);
  checkNumber('l2', r.l2, 0, Infinity, false);
  checkNumber('dropout', r.dropout, 0, 1, false);
  checkNumber('leakyReluAlpha', r.leakyReluAlpha, 0, Infinity, false);
  if (!Number.isInteger(r.seed)) throw new ConfigError('seed', 'an integer', r.seed);
  if (!INITIALIZERS.includes(r.initializer)) throw new ConfigError('initializer', `one of ${INITIALIZERS.join(', ')}`, r.initializer);
  if (!ACTIVATIONS.includes(r.activation)) throw new ConfigError('activation', `one of ${ACTIVATIONS.join(', ')}`, r.activation);
  if (typeof r.batchNorm !== 'boolean') throw new ConfigError('batchNorm', 'true or false', r.batchNorm);
  if (!INPUT_NORMS.includes(r.inputNorm)) throw new ConfigError('inputNorm', `one of ${INPUT_NORMS.join(', ')}`, r.inputNorm);
  return r;
}
